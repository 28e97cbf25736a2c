package org.farmid.jobs.cli.stages;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.farmid.common.config.PipelineSettings;
import org.farmid.jobs.cli.PipelineCommand;
import org.farmid.jobs.cli.UsageException;
import org.farmid.jobs.pipeline.gallery.GalleryStage;
import org.farmid.jobs.pipeline.runtime.DjlModels;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farmid gallery}. */
@Command(
    name = "gallery",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Builds a gallery version from the table enrolment: one re-normalised mean embedding per",
      "animal (a typed Spark aggregation), the spread of its embeddings (mean and 95th percentile",
      "distance to the mean), its open-set threshold (farmid.gallery.threshold-*) and, with",
      "--register, its days in the herd; animals that left before --as-of are retired, not",
      "deleted. Each animal with infrared embeddings (see enrol) gets a second mean and",
      "threshold (farmid.gallery.infrared-threshold-factor) that classify names crops of",
      "infrared frames against. Unchanged inputs reuse the latest version."
    })
public final class GalleryCommand extends PipelineCommand {
  @Option(
      names = "--as-of",
      paramLabel = "DATE",
      description = "Use enrolment up to this day and retire animals that left before it.")
  LocalDate asOf;

  @Option(
      names = "--register",
      paramLabel = "CSV",
      description = "Herd register: id[,first_day,last_day] (animals.csv of synth).")
  Path register;

  @Override
  protected void validate(PipelineSettings settings) throws Exception {
    if (register != null && !java.nio.file.Files.isRegularFile(register)) {
      throw new UsageException("--register " + register + " is not a file");
    }
  }

  @Override
  protected Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run)
      throws Exception {
    String embedder = DjlModels.fromSettings(s, false).embedderId();
    GalleryStage.Outcome o = GalleryStage.run(wh, embedder, asOf, register, s, run);
    return o.report();
  }
}
