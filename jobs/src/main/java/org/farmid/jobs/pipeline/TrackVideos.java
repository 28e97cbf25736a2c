package org.farmid.jobs.pipeline;

import java.io.Serializable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
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
 * classified detections in frame order, cuts each track where its crops' identities change ({@link
 * TrackVote#cuts}), names the pieces by {@link TrackVote} (once more after cutting the {@link
 * TrackVote#contested} ones around the frames they share with the track holding their animal), and
 * returns the rows of {@code tracks} and {@code track_points}. Working on detection rows, not
 * pixels, one task follows an animal through a whole file however many segments decoded it.
 */
public final class TrackVideos
    implements FlatMapFunction<Iterator<Tuple2<String, Iterable<Row>>>, TrackVideos.Out> {
  private static final long serialVersionUID = 1L;

  /** The rows of one video. */
  public record Out(List<Row> tracks, List<Row> points) implements Serializable {}

  private final Tracker.Options options;
  private final double minShare;
  private final double switchPenalty;
  private final boolean joinByIdentity;
  private final long version;
  private final String runId;

  public TrackVideos(PipelineSettings s, long version, String runId) {
    this.options = s.trackOptions();
    this.minShare = s.trackMinShare();
    this.switchPenalty = s.trackSwitchPenalty();
    this.joinByIdentity = s.trackJoinByIdentity();
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

  /** Tracks with their detection rows in frame order, and their names. */
  private record Joined(Map<Long, List<Row>> members, Map<Long, TrackVote.Named> names) {}

  /**
   * Merges the tracks {@link TrackVote#joinByIdentity} joins: rows in frame order, the strength of
   * the joined track its pieces' strengths weighted by their detections.
   */
  private static Joined join(Map<Long, List<Row>> pieces, Map<Long, TrackVote.Named> names) {
    Map<Long, Long> to = TrackVote.joinByIdentity(names);
    Map<Long, List<Row>> members = new TreeMap<>();
    Map<Long, double[]> weighted = new HashMap<>();
    pieces.forEach(
        (id, rows) -> {
          long target = to.get(id);
          members.computeIfAbsent(target, k -> new ArrayList<>()).addAll(rows);
          double[] w = weighted.computeIfAbsent(target, k -> new double[2]);
          w[0] += names.get(id).strength() * rows.size();
          w[1] += rows.size();
        });
    Map<Long, TrackVote.Named> joined = new HashMap<>();
    members.forEach(
        (id, rows) -> {
          rows.sort(Comparator.comparing((Row r) -> r.<Integer>getAs("frame_index")));
          double[] w = weighted.get(id);
          joined.put(id, new TrackVote.Named(id, names.get(id).animalId(), w[0] / w[1]));
        });
    return new Joined(members, joined);
  }

  private static List<TrackVote.Ballot> ballots(List<Row> rows) {
    List<TrackVote.Ballot> ballots = new ArrayList<>();
    for (Row r : rows) {
      Double margin = r.getAs("margin");
      ballots.add(new TrackVote.Ballot(r.getAs("animal_id"), margin == null ? Double.NaN : margin));
    }
    return ballots;
  }

  /**
   * Cuts tracks into the pieces {@code pieces} gives for each (in order; one piece keeps it whole):
   * the first non-empty piece keeps the track's id, the others get new ids from {@code nextId} on.
   */
  private static Map<Long, List<Row>> split(
      Map<Long, List<Row>> tracks,
      long nextId,
      BiFunction<Long, List<Row>, List<List<Row>>> pieces) {
    Map<Long, List<Row>> out = new LinkedHashMap<>();
    long id = nextId;
    for (Map.Entry<Long, List<Row>> e : tracks.entrySet()) {
      boolean first = true;
      for (List<Row> piece : pieces.apply(e.getKey(), e.getValue())) {
        if (!piece.isEmpty()) {
          out.put(first ? e.getKey() : id++, piece);
          first = false;
        }
      }
    }
    return out;
  }

  /** Cuts each track where {@link TrackVote#cuts} finds its identity changing. */
  private Map<Long, List<Row>> cut(Map<Long, List<Row>> tracks, long nextId) {
    return split(
        tracks,
        nextId,
        (id, rs) -> {
          int[] starts = TrackVote.cuts(ballots(rs), switchPenalty);
          List<List<Row>> pieces = new ArrayList<>();
          for (int p = 0; p < starts.length; p++) {
            int end = p + 1 < starts.length ? starts[p + 1] : rs.size();
            pieces.add(new ArrayList<>(rs.subList(starts[p], end)));
          }
          return pieces;
        });
  }

  private static List<TrackVote.Candidate> candidates(Map<Long, List<Row>> members) {
    List<TrackVote.Candidate> candidates = new ArrayList<>();
    members.forEach(
        (id, rs) ->
            candidates.add(
                new TrackVote.Candidate(
                    id,
                    rs.stream().mapToInt(r -> r.<Integer>getAs("frame_index")).toArray(),
                    ballots(rs))));
    return candidates;
  }

  /**
   * Cuts each {@link TrackVote#contested} track into the frames before, within and after the range
   * it shares with the track that holds its animal, so the pieces outside may still be named it;
   * the first piece keeps the id, the others get new ids from {@code nextId} on.
   */
  private static Map<Long, List<Row>> cutAround(
      Map<Long, List<Row>> tracks, Map<Long, int[]> contested, long nextId) {
    return split(
        tracks,
        nextId,
        (id, rs) -> {
          int[] range = contested.get(id);
          if (range == null) {
            return List.of(rs);
          }
          List<List<Row>> pieces = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
          for (Row r : rs) {
            int f = r.<Integer>getAs("frame_index");
            pieces.get(f < range[0] ? 0 : f <= range[1] ? 1 : 2).add(r);
          }
          return pieces;
        });
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
    long nextId = tracker.nextId();
    members = cut(members, nextId);
    // an upper bound on the ids the cuts gave out, so the ids below stay unique
    nextId += members.size();
    List<TrackVote.Candidate> candidates = candidates(members);
    Map<Long, TrackVote.Named> voted = TrackVote.name(candidates, minShare);
    Map<Long, int[]> contested = TrackVote.contested(candidates, voted, minShare);
    if (!contested.isEmpty()) {
      members = cutAround(members, contested, nextId);
      voted = TrackVote.name(candidates(members), minShare);
    }
    Joined j = joinByIdentity ? join(members, voted) : new Joined(members, voted);
    Map<Long, List<Row>> paths = j.members();
    Map<Long, TrackVote.Named> names = j.names();
    List<Row> tracks = new ArrayList<>();
    List<Row> points = new ArrayList<>();
    paths.forEach(
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
