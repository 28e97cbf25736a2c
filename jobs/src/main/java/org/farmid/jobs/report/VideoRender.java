package org.farmid.jobs.report;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.farmid.common.geom.Box;
import org.farmid.common.ingest.MosaicLayout;
import org.farmid.common.video.VideoFrame;
import org.farmid.common.video.VideoInfo;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;
import org.farmid.models.video.SegmentDecoder;
import org.farmid.models.video.VideoEncoder;

/**
 * Re-encodes one archived video with its identities drawn in: a box per detection, labelled with
 * the track's voted animal and track number where tracking ran (the crop's own identity otherwise),
 * {@code unknown} in red. Runs on the driver: one video is one sequential decode.
 */
public final class VideoRender {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  /** What was rendered. */
  public record Outcome(
      String videoId,
      long galleryVersion,
      long frames,
      long framesMarked,
      int analysedFrames,
      Path out) {}

  private VideoRender() {}

  /**
   * @param video a file of the archive (as ingested) or a {@code video_id}
   * @param mosaics the layouts of {@code pipeline.mosaics}: a view of a mosaic file is drawn on its
   *     own tile
   */
  public static Outcome render(
      Warehouse wh,
      String video,
      Long galleryVersion,
      Path out,
      List<MosaicLayout> mosaics,
      Consumer<String> progress)
      throws IOException {
    if (!wh.exists(Tables.VIDEOS) || !wh.exists(Tables.CROP_IDENTITIES)) {
      throw new IllegalStateException(
          "no identities in "
              + wh.root()
              + ": run ingest, detect, enrol, gallery and classify first");
    }
    Row v = findVideo(wh, video);
    String videoId = v.getAs("video_id");
    Path file = Path.of(v.<String>getAs("path"));
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException("video " + videoId + " is no longer readable at " + file);
    }
    Dataset<Row> ids = wh.read(Tables.CROP_IDENTITIES).where(col("video_id").equalTo(videoId));
    long version;
    if (galleryVersion != null) {
      version = galleryVersion;
    } else {
      Row max = ids.agg(functions.max("gallery_version")).first();
      if (max.isNullAt(0)) {
        throw new IllegalArgumentException(
            "video " + videoId + " has no identities: run detect and classify on it first");
      }
      version = max.getLong(0);
    }
    ids = ids.where(col("gallery_version").equalTo(version));
    Dataset<Row> marks =
        ids.select(
            col("detection_id"),
            col("frame_index"),
            col("box_left"),
            col("box_top"),
            col("box_width"),
            col("box_height"),
            col("animal_id").as("crop_animal"));
    if (wh.exists(Tables.IDENTITIES)) {
      Dataset<Row> points =
          wh.read(Tables.IDENTITIES)
              .where(col("video_id").equalTo(videoId).and(col("gallery_version").equalTo(version)))
              .select(col("detection_id"), col("track_id"), col("animal_id").as("track_animal"));
      marks = marks.join(points, "detection_id", "left");
    } else {
      marks =
          marks
              .withColumn("track_id", functions.lit(null).cast("string"))
              .withColumn("track_animal", functions.lit(null).cast("string"));
    }
    Map<Integer, List<FrameAnnotator.Mark>> byFrame = new HashMap<>();
    for (Row r : marks.collectAsList()) {
      String trackId = r.getAs("track_id");
      String animal = trackId != null ? r.getAs("track_animal") : r.getAs("crop_animal");
      String label =
          trackId == null
              ? animal
              : animal + " t" + trackId.substring(trackId.lastIndexOf('#') + 1);
      byFrame
          .computeIfAbsent(r.<Integer>getAs("frame_index"), k -> new ArrayList<>())
          .add(
              new FrameAnnotator.Mark(
                  r.getAs("box_left"),
                  r.getAs("box_top"),
                  r.getAs("box_width"),
                  r.getAs("box_height"),
                  label,
                  animal));
    }
    if (byFrame.isEmpty()) {
      throw new IllegalArgumentException(
          "video " + videoId + " has no identities in gallery version " + version);
    }
    OverlayTimeline<FrameAnnotator.Mark> timeline = new OverlayTimeline<>(byFrame);
    java.sql.Timestamp start = v.getAs("start_time");
    String camera = v.getAs("camera");
    Files.createDirectories(out.toAbsolutePath().getParent());
    Path partial = out.resolveSibling(out.getFileName() + ".partial.mp4");
    long frames = 0;
    long marked = 0;
    long total = v.<Long>getAs("frame_count");
    long lastPrint = System.nanoTime();
    Optional<MosaicLayout.View> view = MosaicLayout.viewOf(videoId, mosaics);
    try (SegmentDecoder in = SegmentDecoder.open(file)) {
      VideoInfo info = in.info();
      int fps = (int) Math.max(1, Math.round(info.fps()));
      Box tile =
          view.map(t -> t.tile(info.width(), info.height()))
              .orElse(new Box(0, 0, info.width(), info.height()));
      int w = (int) tile.width();
      int h = (int) tile.height();
      int bitrate = Math.max(500, (int) ((long) w * h * fps / 4000));
      try (VideoEncoder enc = new VideoEncoder(partial, w, h, fps, bitrate)) {
        VideoFrame f;
        while ((f = in.next()) != null) {
          if (view.isPresent()) {
            f = f.crop((int) tile.left(), (int) tile.top(), w, h);
          }
          List<FrameAnnotator.Mark> m = timeline.at(f.index());
          if (!m.isEmpty()) {
            marked++;
          }
          FrameAnnotator.draw(f.bgr(), f.width(), f.height(), m, caption(camera, start, f));
          enc.write(f.bgr());
          frames++;
          if (System.nanoTime() - lastPrint > 5_000_000_000L) {
            lastPrint = System.nanoTime();
            progress.accept(String.format(Locale.ROOT, "render: %d/%d frames", frames, total));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    progress.accept("render: wrote " + out);
    return new Outcome(videoId, version, frames, marked, byFrame.size(), out);
  }

  private static String caption(String camera, java.sql.Timestamp start, VideoFrame f) {
    String when =
        start == null
            ? String.format(Locale.ROOT, "+%.1f s", f.timestampMicros() / 1e6)
            : CLOCK.format(
                Instant.ofEpochMilli(start.getTime()).plusNanos(f.timestampMicros() * 1000));
    return camera + "  " + when + "  frame " + f.index();
  }

  /** The video by its file (as ingested) or by its id. */
  private static Row findVideo(Warehouse wh, String video) {
    Dataset<Row> videos = wh.read(Tables.VIDEOS);
    Path asFile = Path.of(video);
    List<Row> found = List.of();
    if (Files.exists(asFile)) {
      String abs = asFile.toAbsolutePath().normalize().toString();
      found = videos.where(col("path").equalTo(abs)).collectAsList();
    }
    if (found.isEmpty()) {
      found = videos.where(col("video_id").equalTo(video)).collectAsList();
    }
    if (found.isEmpty()) {
      throw new IllegalArgumentException(
          "--video "
              + video
              + " is neither an ingested file nor a video_id of "
              + wh.root()
              + " (list them: sql \"SELECT video_id, path FROM videos\")");
    }
    if (found.size() > 1) {
      throw new IllegalArgumentException(
          "--video "
              + video
              + " matches "
              + found.size()
              + " videos (ingested from several archives):"
              + " give the file's path");
    }
    return found.get(0);
  }
}
