package org.farmid.common.evaluate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.farmid.common.geom.Box;
import org.farmid.common.metrics.MotAccumulator;
import org.farmid.common.metrics.MotSummary;

/**
 * CLEAR MOT and identity figures of tracks against ground truth on the frames the pipeline sampled
 * of videos that have ground truth: one summary per video and one for all videos in one accumulator
 * (ids made unique per video), as py-motmetrics merges sequences for its overall row.
 */
public final class MotEvaluation {
  private MotEvaluation() {}

  /** The key of the summary over all videos. */
  public static final String ALL = "";

  /** A frame the pipeline sampled. */
  public record Frame(String videoKey, int frameIndex) {}

  /** A track's box in a frame; {@code trackId} is unique within its video. */
  public record Point(String videoKey, int frameIndex, long trackId, Box box) {}

  /**
   * @param frames the sampled frames (of any video; those without ground truth are left out)
   * @param points the tracks' boxes (those outside the sampled frames are left out)
   * @return the summary per video key, in key order, and over all videos under {@link #ALL}
   */
  public static Map<String, MotSummary> evaluate(
      GroundTruthSet truth, double minVisibility, List<Frame> frames, List<Point> points) {
    Set<String> keys = new TreeSet<>();
    truth.rows().forEach(t -> keys.add(t.videoKey()));
    Map<String, TreeMap<Integer, List<MotAccumulator.Labelled>>> hyp = new TreeMap<>();
    for (Frame f : frames) {
      if (keys.contains(f.videoKey())) {
        hyp.computeIfAbsent(f.videoKey(), k -> new TreeMap<>())
            .put(f.frameIndex(), new ArrayList<>());
      }
    }
    for (Point p : points) {
      var byFrame = hyp.get(p.videoKey());
      if (byFrame != null && byFrame.containsKey(p.frameIndex())) {
        byFrame.get(p.frameIndex()).add(new MotAccumulator.Labelled(p.trackId(), p.box()));
      }
    }
    Map<String, Map<Integer, List<MotAccumulator.Labelled>>> gt = new LinkedHashMap<>();
    for (GroundTruthSet.Truth t : truth.rows()) {
      if (t.visibility() >= minVisibility) {
        gt.computeIfAbsent(t.videoKey(), k -> new LinkedHashMap<>())
            .computeIfAbsent(t.frameIndex(), k -> new ArrayList<>())
            .add(new MotAccumulator.Labelled(numericId(t.animalId()), t.box()));
      }
    }
    MotAccumulator all = new MotAccumulator();
    Map<String, MotSummary> out = new TreeMap<>();
    long offset = 0;
    final long stride = 10_000_000L;
    for (var video : hyp.entrySet()) {
      MotAccumulator one = new MotAccumulator();
      Map<Integer, List<MotAccumulator.Labelled>> g = gt.getOrDefault(video.getKey(), Map.of());
      for (var frame : video.getValue().entrySet()) {
        List<MotAccumulator.Labelled> objects = new ArrayList<>();
        for (MotAccumulator.Labelled o : g.getOrDefault(frame.getKey(), List.of())) {
          objects.add(new MotAccumulator.Labelled(o.id() + offset, o.box()));
        }
        List<MotAccumulator.Labelled> hs = new ArrayList<>();
        for (MotAccumulator.Labelled h : frame.getValue()) {
          hs.add(new MotAccumulator.Labelled(h.id() + offset, h.box()));
        }
        all.update(offset + frame.getKey(), objects, hs);
        one.update(frame.getKey(), objects, hs);
      }
      out.put(video.getKey(), one.summary());
      offset += stride;
    }
    out.put(ALL, all.summary());
    return out;
  }

  /** MOT figures by their JSON and metric names. */
  public static Map<String, Object> figures(MotSummary m) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("mota", m.mota());
    f.put("motp", m.motp());
    f.put("idf1", m.idf1());
    f.put("idp", m.idp());
    f.put("idr", m.idr());
    f.put("id_switches", m.idSwitches());
    f.put("fragmentations", m.fragmentations());
    f.put("mostly_tracked", m.mostlyTracked());
    f.put("mostly_lost", m.mostlyLost());
    return f;
  }

  private static long numericId(String id) {
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      return Math.abs((long) id.hashCode()) % 1_000_000L;
    }
  }
}
