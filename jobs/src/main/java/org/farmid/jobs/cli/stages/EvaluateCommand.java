package org.farmid.jobs.cli.stages;

import java.nio.file.Path;
import java.util.Map;
import org.farmid.common.config.PipelineSettings;
import org.farmid.jobs.cli.GalleryVersionOption;
import org.farmid.jobs.cli.PipelineCommand;
import org.farmid.jobs.cli.Report;
import org.farmid.jobs.cli.UsageException;
import org.farmid.jobs.pipeline.evaluate.EvaluateStage;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
public final class EvaluateCommand extends PipelineCommand {
  @Option(
      names = "--ground-truth",
      required = true,
      paramLabel = "DIR",
      description = "A synth output folder, or a folder of MOTChallenge .txt files.")
  Path groundTruth;

  @Mixin GalleryVersionOption gallery;

  @Override
  protected Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run)
      throws Exception {
    if (!java.nio.file.Files.isDirectory(groundTruth)) {
      throw new UsageException("--ground-truth " + groundTruth + " is not a folder");
    }
    EvaluateStage.Outcome o = EvaluateStage.run(wh, groundTruth, gallery.galleryVersion(), s, run);
    Report.perAnimal(spec.commandLine().getOut(), o.figures());
    return o.report();
  }
}
