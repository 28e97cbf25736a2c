package org.farmid.jobs.cli.stages;

import java.util.List;
import java.util.Map;
import org.farmid.common.config.PipelineSettings;
import org.farmid.jobs.cli.Overrides;
import org.farmid.jobs.cli.PipelineCommand;
import org.farmid.jobs.cli.UsageException;
import org.farmid.jobs.pipeline.gallery.AdaptStage;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farmid adapt}. */
@Command(
    name = "adapt",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Moves the gallery's means toward the archive's own crops: every crop whose",
      "identity voted along its track (table identities) under the gallery version in",
      "force is an animal joins that animal's archive mean in its light (colour or",
      "infrared), and each mean of the enrolment version is blended with it at",
      "--weight (farmid.gallery.adapt-weight); thresholds stay the enrolment's.",
      "Writes a new gallery version: run classify and track (or run) next to name the",
      "archive under it. With gallery.adapt-weight above 0, `run` adapts once per",
      "enrolment gallery by itself; this command adapts again from the footage",
      "tracked since (nothing new tracked: no new version)."
    })
public final class AdaptCommand extends PipelineCommand {
  @Option(
      names = "--weight",
      paramLabel = "W",
      description =
          "Share of the archive's mean in each blended mean, above 0 and at most 1 (default:"
              + " farmid.gallery.adapt-weight).")
  Double weight;

  @Override
  protected List<String> overrides() {
    List<String> o = super.overrides();
    Overrides.put(o, PipelineSettings.GALLERY_SECTION, "adapt-weight", weight);
    return o;
  }

  @Override
  protected boolean readsExistingWarehouse() {
    return true;
  }

  @Override
  protected void validate(PipelineSettings settings) throws Exception {
    if (!settings.adapts()) {
      throw new UsageException(
          "the adapt weight is 0: give --weight W (above 0, at most 1) or set"
              + " farmid.gallery.adapt-weight");
    }
  }

  @Override
  protected Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run)
      throws Exception {
    return AdaptStage.run(wh, s, true, run).report();
  }
}
