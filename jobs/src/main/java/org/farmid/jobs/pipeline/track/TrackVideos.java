package org.farmid.jobs.pipeline.track;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.track.VideoTracking;
import org.farmid.jobs.spark.Rows;
import org.farmid.jobs.spark.Tables;
import scala.Tuple2;

/**
 * The track task: for each video of its partition, turns the video's classified detection rows into
 * {@link VideoTracking.Detection}s, runs {@link VideoTracking#track} and returns the rows of {@code
 * tracks} and {@code identities}. Working on detection rows, not pixels, one task follows an animal
 * through a whole file however many segments decoded it.
 */
public final class TrackVideos
    implements FlatMapFunction<Iterator<Tuple2<String, Iterable<Row>>>, TrackVideos.Out> {
  private static final long serialVersionUID = 1L;

  /** The rows of one video. */
  public record Out(List<Row> tracks, List<Row> points) implements Serializable {}

  private final VideoTracking.Profiles settings;
  private final String fingerprint;
  private final long version;
  private final String runId;

  public TrackVideos(PipelineSettings s, long version, String runId) {
    this.settings = s.trackProfiles();
    this.fingerprint = s.trackFingerprint();
    this.version = version;
    this.runId = runId;
  }

  @Override
  public Iterator<Out> call(Iterator<Tuple2<String, Iterable<Row>>> videos) {
    List<Out> out = new ArrayList<>();
    while (videos.hasNext()) {
      Tuple2<String, Iterable<Row>> v = videos.next();
      out.add(track(v._1(), v._2()));
    }
    return out.iterator();
  }

  Out track(String videoId, Iterable<Row> rows) {
    Map<String, Row> byId = new HashMap<>();
    List<VideoTracking.Detection> detections = new ArrayList<>();
    for (Row r : rows) {
      String id = r.getAs("detection_id");
      byId.put(id, r);
      Double margin = r.getAs("margin");
      detections.add(
          new VideoTracking.Detection(
              id,
              r.<Integer>getAs("frame_index"),
              Rows.box(r),
              Rows.floats(r, "embedding"),
              r.getAs("animal_id"),
              margin == null ? Double.NaN : margin));
    }
    List<Row> tracks = new ArrayList<>();
    List<Row> points = new ArrayList<>();
    for (VideoTracking.Path p : VideoTracking.track(detections, settings.forVideo(detections))) {
      String trackId = videoId + "#" + p.id();
      Row first = byId.get(p.first().detectionId());
      Row last = byId.get(p.last().detectionId());
      tracks.add(
          Tables.TRACKS
              .row()
              .set("track_id", trackId)
              .set("video_id", videoId)
              .copy(first, "camera", "date")
              .set("first_frame", p.first().frameIndex())
              .set("last_frame", p.last().frameIndex())
              .set("start_time", first.getAs("frame_time"))
              .set("end_time", last.getAs("frame_time"))
              .set("detections", p.detections().size())
              .set("animal_id", p.animalId())
              .set("vote_strength", p.strength())
              .set("gallery_version", version)
              .set("run_id", runId)
              .set("track_fingerprint", fingerprint)
              .build());
      for (VideoTracking.Detection d : p.detections()) {
        Row r = byId.get(d.detectionId());
        points.add(
            Tables.IDENTITIES
                .row()
                .set("track_id", trackId)
                .set("detection_id", d.detectionId())
                .set("video_id", videoId)
                .copy(r, "camera", "date", "frame_index", "frame_time")
                .copy(r, "box_left", "box_top", "box_width", "box_height")
                .set("crop_animal_id", d.animalId())
                .set("animal_id", p.animalId())
                .set("gallery_version", version)
                .set("run_id", runId)
                .set("identity_run_id", r.<String>getAs("run_id"))
                .build());
      }
    }
    return new Out(tracks, points);
  }
}
