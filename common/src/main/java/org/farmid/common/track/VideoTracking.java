package org.farmid.common.track;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.farmid.common.gallery.OpenSetClassifier;
import org.farmid.common.geom.Box;

/**
 * One video's tracking recipe, from classified detections to named track paths: runs the {@link
 * Tracker} over the detections in frame order (within a frame by detection id), cuts each track
 * where its crops' identities change ({@link TrackVote#cuts}), names the pieces by {@link
 * TrackVote} (once more after cutting the {@link TrackVote#contested} ones around the frames they
 * share with the track holding their animal), and, where the settings ask, joins the pieces {@link
 * TrackVote#joinByIdentity} gives one animal.
 */
public final class VideoTracking {
  private VideoTracking() {}

  /**
   * One classified detection of the video.
   *
   * @param animalId the crop's own identity (or {@code unknown})
   * @param margin the crop's second-nearest minus nearest distance; NaN when unknown
   */
  public record Detection(
      String detectionId,
      int frameIndex,
      Box box,
      float[] embedding,
      String animalId,
      double margin) {}

  /**
   * One track: its detections in frame order, the identity voted along it and the share of the vote
   * behind it.
   */
  public record Path(long id, List<Detection> detections, String animalId, double strength) {
    public Detection first() {
      return detections.get(0);
    }

    public Detection last() {
      return detections.get(detections.size() - 1);
    }
  }

  /**
   * The tracker and the voting settings.
   *
   * @param coverDiscount how much less a crop votes where other detections of its frame cover it:
   *     its weight is scaled by {@code 1 - coverDiscount * cover}, where {@code cover} is the
   *     largest share of its box that one other box of the frame covers (0: every crop votes alike)
   * @param unknownWeight what an {@code unknown} crop's vote is scaled by, above 0 and at most 1
   *     (1: as much as a named crop's; less lets a track be named after the animal most of its
   *     named crops agree on, though many of its crops were too far from every mean to be named)
   */
  public record Settings(
      Tracker.Options tracker,
      double minShare,
      double switchPenalty,
      boolean joinByIdentity,
      double coverDiscount,
      double unknownWeight)
      implements Serializable {
    public Settings {
      if (!(coverDiscount >= 0 && coverDiscount < 1)) {
        throw new IllegalArgumentException(
            "coverDiscount must be at least 0 and below 1, got " + coverDiscount);
      }
      if (!(unknownWeight > 0 && unknownWeight <= 1)) {
        throw new IllegalArgumentException(
            "unknownWeight must be above 0 and at most 1, got " + unknownWeight);
      }
    }

    /** Every crop voting alike, however covered, {@code unknown} ones included. */
    public Settings(
        Tracker.Options tracker, double minShare, double switchPenalty, boolean joinByIdentity) {
      this(tracker, minShare, switchPenalty, joinByIdentity, 0, 1);
    }

    /** {@code unknown} crops voting as much as named ones. */
    public Settings(
        Tracker.Options tracker,
        double minShare,
        double switchPenalty,
        boolean joinByIdentity,
        double coverDiscount) {
      this(tracker, minShare, switchPenalty, joinByIdentity, coverDiscount, 1);
    }
  }

  /**
   * The settings for pens of few animals and those for crowded pens, where animals lie close and
   * their crops look alike: a video whose median detections per frame reach {@code crowdedFrom} is
   * tracked with {@code crowded} ({@code crowdedFrom} 0: never).
   */
  public record Profiles(Settings sparse, Settings crowded, int crowdedFrom)
      implements Serializable {
    public Profiles {
      if (crowdedFrom < 0) {
        throw new IllegalArgumentException("crowdedFrom must be >= 0, got " + crowdedFrom);
      }
    }

    /** The settings for one video's detections. */
    public Settings forVideo(List<Detection> detections) {
      return crowdedFrom > 0 && medianPerFrame(detections) >= crowdedFrom ? crowded : sparse;
    }
  }

  /** The median number of detections of the frames that have any (0 for none). */
  public static int medianPerFrame(List<Detection> detections) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (Detection d : detections) {
      counts.merge(d.frameIndex(), 1, Integer::sum);
    }
    if (counts.isEmpty()) {
      return 0;
    }
    int[] sorted = counts.values().stream().mapToInt(Integer::intValue).sorted().toArray();
    return sorted[sorted.length / 2];
  }

  /** The video's tracks, in the order of their ids' first use. */
  public static List<Path> track(List<Detection> detections, Settings s) {
    TreeMap<Integer, List<Detection>> frames = new TreeMap<>();
    for (Detection d : detections) {
      frames.computeIfAbsent(d.frameIndex(), k -> new ArrayList<>()).add(d);
    }
    Tracker tracker = new Tracker(s.tracker());
    Map<Long, List<Detection>> members = new LinkedHashMap<>();
    for (List<Detection> frame : frames.values()) {
      frame.sort(Comparator.comparing(Detection::detectionId));
      List<Tracker.Observation> obs = new ArrayList<>();
      for (Detection d : frame) {
        obs.add(new Tracker.Observation(d.detectionId(), d.box(), d.embedding()));
      }
      long[] ids = tracker.step(obs);
      for (int i = 0; i < ids.length; i++) {
        members.computeIfAbsent(ids[i], k -> new ArrayList<>()).add(frame.get(i));
      }
    }
    long nextId = tracker.nextId();
    Map<String, Double> scales = scales(frames, s.coverDiscount(), s.unknownWeight());
    members = cut(members, nextId, s.switchPenalty(), scales);
    // an upper bound on the ids the cuts gave out, so the ids below stay unique
    nextId += members.size();
    List<TrackVote.Candidate> candidates = candidates(members, scales);
    Map<Long, TrackVote.Named> voted = TrackVote.name(candidates, s.minShare());
    Map<Long, int[]> contested = TrackVote.contested(candidates, voted, s.minShare());
    if (!contested.isEmpty()) {
      members = cutAround(members, contested, nextId);
      voted = TrackVote.name(candidates(members, scales), s.minShare());
    }
    if (s.joinByIdentity()) {
      return join(members, voted);
    }
    List<Path> paths = new ArrayList<>();
    for (Map.Entry<Long, List<Detection>> e : members.entrySet()) {
      TrackVote.Named n = voted.get(e.getKey());
      paths.add(new Path(e.getKey(), e.getValue(), n.animalId(), n.strength()));
    }
    return paths;
  }

  /**
   * Merges the tracks {@link TrackVote#joinByIdentity} joins: detections in frame order, the
   * strength of the joined track its pieces' strengths weighted by their detections; by id.
   */
  private static List<Path> join(
      Map<Long, List<Detection>> pieces, Map<Long, TrackVote.Named> names) {
    Map<Long, Long> to = TrackVote.joinByIdentity(names);
    Map<Long, List<Detection>> members = new TreeMap<>();
    Map<Long, double[]> weighted = new HashMap<>();
    pieces.forEach(
        (id, ds) -> {
          long target = to.get(id);
          members.computeIfAbsent(target, k -> new ArrayList<>()).addAll(ds);
          double[] w = weighted.computeIfAbsent(target, k -> new double[2]);
          w[0] += names.get(id).strength() * ds.size();
          w[1] += ds.size();
        });
    List<Path> paths = new ArrayList<>();
    members.forEach(
        (id, ds) -> {
          ds.sort(Comparator.comparingInt(Detection::frameIndex));
          double[] w = weighted.get(id);
          paths.add(new Path(id, ds, names.get(id).animalId(), w[0] / w[1]));
        });
    return paths;
  }

  /**
   * Each detection's ballot scale, by detection id: {@code 1 - discount * cover} against the other
   * detections of its frame, times {@code unknownWeight} for an {@code unknown} crop; empty (every
   * scale 1) when {@code discount} is 0 and {@code unknownWeight} 1.
   */
  private static Map<String, Double> scales(
      Map<Integer, List<Detection>> frames, double discount, double unknownWeight) {
    Map<String, Double> out = new HashMap<>();
    if (discount <= 0 && unknownWeight >= 1) {
      return out;
    }
    for (List<Detection> frame : frames.values()) {
      List<Box> boxes = discount > 0 ? frame.stream().map(Detection::box).toList() : List.of();
      for (int k = 0; k < frame.size(); k++) {
        Detection d = frame.get(k);
        double scale = discount > 0 ? 1 - discount * Box.largestCover(boxes, k) : 1;
        if (OpenSetClassifier.UNKNOWN.equals(d.animalId())) {
          scale *= unknownWeight;
        }
        out.put(d.detectionId(), scale);
      }
    }
    return out;
  }

  private static List<TrackVote.Ballot> ballots(List<Detection> ds, Map<String, Double> scales) {
    List<TrackVote.Ballot> ballots = new ArrayList<>();
    for (Detection d : ds) {
      ballots.add(
          new TrackVote.Ballot(
              d.animalId(), d.margin(), scales.getOrDefault(d.detectionId(), 1.0)));
    }
    return ballots;
  }

  /**
   * Cuts tracks into the pieces {@code pieces} gives for each (in order; one piece keeps it whole):
   * the first non-empty piece keeps the track's id, the others get new ids from {@code nextId} on.
   */
  private static Map<Long, List<Detection>> split(
      Map<Long, List<Detection>> tracks,
      long nextId,
      BiFunction<Long, List<Detection>, List<List<Detection>>> pieces) {
    Map<Long, List<Detection>> out = new LinkedHashMap<>();
    long id = nextId;
    for (Map.Entry<Long, List<Detection>> e : tracks.entrySet()) {
      boolean first = true;
      for (List<Detection> piece : pieces.apply(e.getKey(), e.getValue())) {
        if (!piece.isEmpty()) {
          out.put(first ? e.getKey() : id++, piece);
          first = false;
        }
      }
    }
    return out;
  }

  /** Cuts each track where {@link TrackVote#cuts} finds its identity changing. */
  private static Map<Long, List<Detection>> cut(
      Map<Long, List<Detection>> tracks,
      long nextId,
      double switchPenalty,
      Map<String, Double> scales) {
    return split(
        tracks,
        nextId,
        (id, ds) -> {
          int[] starts = TrackVote.cuts(ballots(ds, scales), switchPenalty);
          List<List<Detection>> pieces = new ArrayList<>();
          for (int p = 0; p < starts.length; p++) {
            int end = p + 1 < starts.length ? starts[p + 1] : ds.size();
            pieces.add(new ArrayList<>(ds.subList(starts[p], end)));
          }
          return pieces;
        });
  }

  private static List<TrackVote.Candidate> candidates(
      Map<Long, List<Detection>> members, Map<String, Double> scales) {
    List<TrackVote.Candidate> candidates = new ArrayList<>();
    members.forEach(
        (id, ds) ->
            candidates.add(
                new TrackVote.Candidate(
                    id,
                    ds.stream().mapToInt(Detection::frameIndex).toArray(),
                    ballots(ds, scales))));
    return candidates;
  }

  /**
   * Cuts each {@link TrackVote#contested} track into the frames before, within and after the range
   * it shares with the track that holds its animal, so the pieces outside may still be named it;
   * the first piece keeps the id, the others get new ids from {@code nextId} on.
   */
  private static Map<Long, List<Detection>> cutAround(
      Map<Long, List<Detection>> tracks, Map<Long, int[]> contested, long nextId) {
    return split(
        tracks,
        nextId,
        (id, ds) -> {
          int[] range = contested.get(id);
          if (range == null) {
            return List.of(ds);
          }
          List<List<Detection>> pieces =
              List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
          for (Detection d : ds) {
            int f = d.frameIndex();
            pieces.get(f < range[0] ? 0 : f <= range[1] ? 1 : 2).add(d);
          }
          return pieces;
        });
  }
}
