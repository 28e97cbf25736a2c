package org.farmid.jobs.cli.tools;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.farmid.common.config.PipelineSettings;
import org.farmid.jobs.cli.GalleryVersionOption;
import org.farmid.jobs.cli.PipelineCommand;
import org.farmid.jobs.cli.UsageException;
import org.farmid.jobs.report.WarehouseReport;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code farmid report}. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Draws the warehouse's results as PNG charts into --out: confusion.png (confusion matrix,",
      "rows normalised, animal names on the axes), f1.png (per-animal F1 bars), projection.png",
      "(enrolment embeddings in 2-D by PCA, coloured by animal, gallery means as diamonds),",
      "distances.png (distance to the nearest mean of registered animals against visitors, with",
      "the threshold), and projector/{vectors,metadata}.tsv for projector.tensorflow.org.",
      "Charts whose tables are missing are skipped with the reason."
    })
public final class ReportCommand extends PipelineCommand {
  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description =
          "Folder for the pictures (created if missing; files of the same name replaced).")
  Path out;

  @Mixin GalleryVersionOption gallery;

  @Option(
      names = "--ground-truth",
      paramLabel = "NAME",
      description =
          "Evaluation to draw, as in the ground_truth column of metrics (default: the only one).")
  String groundTruth;

  @Option(
      names = "--max-points",
      paramLabel = "N",
      description = "Embeddings in the projection and the projector export (default 3000).")
  int maxPoints = 3000;

  @Override
  protected boolean recordsRun() {
    return false;
  }

  @Override
  protected void validate(PipelineSettings settings) {
    if (maxPoints < 3) {
      throw new UsageException("--max-points must be at least 3, got " + maxPoints);
    }
    if (java.nio.file.Files.exists(out) && !java.nio.file.Files.isDirectory(out)) {
      throw new UsageException("--out " + out + " is a file, not a folder");
    }
  }

  @Override
  protected boolean readsExistingWarehouse() {
    return true;
  }

  @Override
  protected Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run)
      throws Exception {
    System.setProperty("java.awt.headless", "true");
    WarehouseReport.Outcome o;
    try {
      o =
          WarehouseReport.write(
              wh,
              out,
              new WarehouseReport.Request(gallery.galleryVersion(), groundTruth, maxPoints, 7L),
              run::progress);
    } catch (IllegalArgumentException e) {
      // what was asked for (a video, a gallery version, an evaluation) is not in the warehouse;
      // a warehouse without the stage's inputs stays a failure (exit 1), as in the other stages
      throw new UsageException(e.getMessage());
    }
    Map<String, Object> f = new LinkedHashMap<>(o.figures());
    o.written().forEach((name, file) -> f.put(name, file.toString()));
    o.skipped().forEach((name, why) -> f.put(name, "skipped: " + why));
    return f;
  }
}
