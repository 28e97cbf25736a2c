package org.farmid.jobs.cli.stages;

import java.util.Map;
import org.farmid.common.config.PipelineSettings;
import org.farmid.jobs.cli.GalleryVersionOption;
import org.farmid.jobs.cli.PipelineCommand;
import org.farmid.jobs.cli.SelectionOptions;
import org.farmid.jobs.pipeline.track.TrackStage;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code farmid track}. */
@Command(
    name = "track",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Links the classified detections (crop_identities) of a gallery version into tracks, one",
      "Spark task per video (Kalman prediction, box overlap and embedding distance, Hungarian",
      "assignment, track birth and death; farmid.track.*), and votes one identity per track, two",
      "tracks alive at once never sharing an animal. Replaces that version's rows of tracks and",
      "of identities (each detection's final identity, the crop's own beside it) of the videos",
      "whose crop identities changed since they were tracked (all, for a new version)."
    })
public final class TrackCommand extends PipelineCommand {
  @Mixin GalleryVersionOption gallery;
  @Mixin SelectionOptions select;

  @Override
  protected Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run) {
    return TrackStage.run(
            wh, gallery.galleryVersion(), s, select.selection(), select.reprocess(), run)
        .report();
  }
}
