package org.farmid.jobs.cli.stages;

import java.util.Map;
import org.farmid.common.config.PipelineSettings;
import org.farmid.jobs.cli.GalleryVersionOption;
import org.farmid.jobs.cli.PipelineCommand;
import org.farmid.jobs.cli.SelectionOptions;
import org.farmid.jobs.pipeline.classify.ClassifyStage;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code farmid classify}. */
@Command(
    name = "classify",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Broadcasts a gallery version and names each detection of the videos whose identities",
      "under it are missing or out of date (all, for a new version) after the nearest mean of the",
      "animals in the herd on its day, or 'unknown' when that mean is farther than the animal's",
      "threshold: each crop's own identity. Replaces that version's rows of crop_identities;",
      "results of other versions stay (query them by gallery_version, or earlier states with",
      "VERSION AS OF). track turns them into the final identities."
    })
public final class ClassifyCommand extends PipelineCommand {
  @Mixin GalleryVersionOption gallery;
  @Mixin SelectionOptions select;

  @Override
  protected Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run) {
    return ClassifyStage.run(
            wh, gallery.galleryVersion(), s, select.selection(), select.reprocess(), run)
        .report();
  }
}
