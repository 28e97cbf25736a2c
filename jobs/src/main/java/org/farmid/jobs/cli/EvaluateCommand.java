package org.farmid.jobs.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.metrics.ClassificationReport;
import org.farmid.jobs.pipeline.EvaluateStage;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farmid evaluate}. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Matches identities to ground-truth boxes frame by frame (IoU >= farmid.pipeline.match-iou)",
      "and writes detection precision/recall, accuracy, per-animal and macro/weighted F1, the",
      "unknown-rejection rate of visitors and the false-unknown rate of registered animals to",
      "the table metrics, and the confusion matrix to confusion."
    })
final class EvaluateCommand extends PipelineCommand {
  @Option(
      names = "--ground-truth",
      required = true,
      paramLabel = "DIR",
      description = "A synth output folder, or a folder of MOTChallenge .txt files.")
  Path groundTruth;

  @Option(
      names = "--gallery-version",
      paramLabel = "V",
      description = "Gallery version whose identities to evaluate (default: the latest).")
  Long galleryVersion;

  @Override
  Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run) throws Exception {
    if (!java.nio.file.Files.isDirectory(groundTruth)) {
      throw new UsageException("--ground-truth " + groundTruth + " is not a folder");
    }
    EvaluateStage.Outcome o = EvaluateStage.run(wh, groundTruth, galleryVersion, s, run);
    printTable(spec.commandLine().getOut(), o);
    return figures(o);
  }

  static Map<String, Object> figures(EvaluateStage.Outcome o) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("gallery_version", o.galleryVersion());
    f.put("detector_id", o.detectorId());
    f.put("embedder_id", o.embedderId());
    f.put("true_positives", o.figures().truePositives());
    f.put("false_positives", o.figures().falsePositives());
    f.put("false_negatives", o.figures().falseNegatives());
    f.putAll(o.figures().summary());
    if (o.trackFigures() != null) {
      f.putAll(EvaluateStage.trackSummary(o.trackFigures()));
      f.putAll(EvaluateStage.motFigures(o.mot()));
    }
    List<Map<String, Object>> perAnimal = new ArrayList<>();
    for (ClassificationReport.ClassFigures c : o.figures().perAnimal()) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("animal_id", c.label());
      a.put("precision", c.precision());
      a.put("recall", c.recall());
      a.put("f1", c.f1());
      a.put("support", c.support());
      perAnimal.add(a);
    }
    f.put("per_animal", perAnimal);
    return f;
  }

  /** The per-animal table, printed above the summary. */
  static void printTable(PrintWriter out, EvaluateStage.Outcome o) {
    out.println("per-animal identity figures (matched detections):");
    out.printf("  %-10s %9s %9s %9s %8s%n", "animal", "precision", "recall", "f1", "support");
    for (ClassificationReport.ClassFigures c : o.figures().perAnimal()) {
      out.printf(
          Locale.ROOT,
          "  %-10s %9.3f %9.3f %9.3f %8d%n",
          c.label(),
          c.precision(),
          c.recall(),
          c.f1(),
          c.support());
    }
    out.flush();
  }
}
