package org.farmid.jobs.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.farmid.common.config.PipelineSettings;
import org.farmid.jobs.pipeline.TrackStage;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farmid track}. */
@Command(
    name = "track",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Links the classified detections of a gallery version into tracks, one Spark task per",
      "video (Kalman prediction, box overlap and embedding distance, Hungarian assignment, track",
      "birth and death; farmid.track.*), and votes one identity per track, two tracks alive at",
      "once never sharing an animal. Replaces that version's rows of tracks and track_points."
    })
final class TrackCommand extends PipelineCommand {
  @Option(
      names = "--gallery-version",
      paramLabel = "V",
      description = "Gallery version whose identities to track (default: the latest).")
  Long galleryVersion;

  @Override
  Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run) {
    return figures(TrackStage.run(wh, galleryVersion, s, run));
  }

  static Map<String, Object> figures(TrackStage.Outcome o) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("tracks", o.tracks());
    f.put("tracks_named", o.named());
    f.put("track_points", o.points());
    return f;
  }
}
