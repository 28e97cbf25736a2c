package org.farmid.common.ingest;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.farmid.common.geom.Box;
import org.farmid.common.video.VideoInfo;

/**
 * What ingest makes of one probed file: its camera and start from the path pattern, and one view
 * per camera, each with the segment plan of the file. A mosaic file (see {@link MosaicLayout})
 * gives one view {@code PATH@CAMERA} per tile, of the tile's size; any other file one view of the
 * whole frame, named by its path.
 */
public final class VideoViews {
  private VideoViews() {}

  /** One camera's view of a file. */
  public record View(
      String videoId,
      String camera,
      Optional<LocalDateTime> start,
      int width,
      int height,
      List<SegmentPlan.Segment> segments) {}

  /**
   * @param fileId the file's path below the archive root, '/'-separated
   * @param segmentMicros the planned segment length
   */
  public static List<View> of(
      String fileId,
      VideoInfo info,
      Pattern pathPattern,
      List<MosaicLayout> mosaics,
      long segmentMicros) {
    VideoOrigin origin = VideoOrigin.of(fileId, pathPattern);
    List<SegmentPlan.Segment> plan = SegmentPlan.plan(info.durationMicros(), segmentMicros);
    Optional<MosaicLayout> mosaic = MosaicLayout.find(fileId, mosaics);
    Box tile =
        mosaic
            .map(m -> m.tile(0, info.width(), info.height()))
            .orElse(new Box(0, 0, info.width(), info.height()));
    List<View> views = new ArrayList<>();
    for (String camera : mosaic.map(MosaicLayout::cameras).orElse(List.of(origin.camera()))) {
      views.add(
          new View(
              mosaic.isPresent() ? MosaicLayout.viewId(fileId, camera) : fileId,
              camera,
              origin.start(),
              (int) tile.width(),
              (int) tile.height(),
              plan));
    }
    return views;
  }
}
