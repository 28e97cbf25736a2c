package org.farmid.jobs.pipeline;

import java.io.Serializable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.track.TrackVote;
import org.farmid.common.track.Tracker;
import org.farmid.jobs.spark.Rows;
import scala.Tuple2;

/**
 * The track task: for each video of its partition, runs the {@link Tracker} over the video's
 * classified detections in frame order, names each track by {@link TrackVote}, and returns the rows
 * of {@code tracks} and {@code track_points}. Working on detection rows, not pixels, one task
 * follows an animal through a whole file however many segments decoded it.
 */
public final class TrackVideos
    implements FlatMapFunction<Iterator<Tuple2<String, Iterable<Row>>>, TrackVideos.Out> {
  private static final long serialVersionUID = 1L;

  /** The rows of one video. */
  public record Out(List<Row> tracks, List<Row> points) implements Serializable {}

  private final Tracker.Options options;
  private final double minShare;
  private final long version;
  private final String runId;

  public TrackVideos(PipelineSettings s, long version, String runId) {
    this.options = s.trackOptions();
    this.minShare = s.trackMinShare();
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
    TreeMap<Integer, List<Row>> frames = new TreeMap<>();
    for (Row r : rows) {
      frames.computeIfAbsent(r.<Integer>getAs("frame_index"), k -> new ArrayList<>()).add(r);
    }
    Tracker tracker = new Tracker(options);
    Map<Long, List<Row>> members = new LinkedHashMap<>();
    for (List<Row> frame : frames.values()) {
      frame.sort(Comparator.comparing(r -> r.<String>getAs("detection_id")));
      List<Tracker.Observation> obs = new ArrayList<>();
      for (Row r : frame) {
        obs.add(
            new Tracker.Observation(
                r.getAs("detection_id"), GroundTruthJoin.box(r), Rows.floats(r, "embedding")));
      }
      long[] ids = tracker.step(obs);
      for (int i = 0; i < ids.length; i++) {
        members.computeIfAbsent(ids[i], k -> new ArrayList<>()).add(frame.get(i));
      }
    }
    List<TrackVote.Candidate> candidates = new ArrayList<>();
    members.forEach(
        (id, rs) -> {
          List<TrackVote.Ballot> ballots = new ArrayList<>();
          for (Row r : rs) {
            Double margin = r.getAs("margin");
            ballots.add(
                new TrackVote.Ballot(r.getAs("animal_id"), margin == null ? Double.NaN : margin));
          }
          candidates.add(
              new TrackVote.Candidate(
                  id,
                  rs.get(0).<Integer>getAs("frame_index"),
                  rs.get(rs.size() - 1).<Integer>getAs("frame_index"),
                  ballots));
        });
    Map<Long, TrackVote.Named> names = TrackVote.name(candidates, minShare);
    List<Row> tracks = new ArrayList<>();
    List<Row> points = new ArrayList<>();
    members.forEach(
        (id, rs) -> {
          String trackId = videoId + "#" + id;
          TrackVote.Named n = names.get(id);
          Row first = rs.get(0);
          Row last = rs.get(rs.size() - 1);
          tracks.add(
              RowFactory.create(
                  trackId,
                  videoId,
                  first.getAs("camera"),
                  first.getAs("date"),
                  first.<Integer>getAs("frame_index"),
                  last.<Integer>getAs("frame_index"),
                  first.<Timestamp>getAs("frame_time"),
                  last.<Timestamp>getAs("frame_time"),
                  rs.size(),
                  n.animalId(),
                  n.strength(),
                  version,
                  runId));
          for (Row r : rs) {
            points.add(
                RowFactory.create(
                    trackId,
                    r.getAs("detection_id"),
                    videoId,
                    r.getAs("camera"),
                    r.getAs("date"),
                    r.getAs("frame_index"),
                    r.getAs("frame_time"),
                    r.getAs("box_left"),
                    r.getAs("box_top"),
                    r.getAs("box_width"),
                    r.getAs("box_height"),
                    r.getAs("animal_id"),
                    n.animalId(),
                    version,
                    runId));
          }
        });
    return new Out(tracks, points);
  }
}
