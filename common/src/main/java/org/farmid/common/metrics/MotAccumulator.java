package org.farmid.common.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.farmid.common.geom.Box;
import org.farmid.common.track.Assignment;

/**
 * Multi-object tracking metrics with the MOTChallenge rules as py-motmetrics implements them: per
 * frame, ground-truth objects and hypotheses are matched by IoU (distance {@code 1 - IoU}, pairs
 * farther than {@code maxDistance} are not allowed); a match of the previous frame is kept while it
 * stays allowed, the rest is assigned optimally; a match to another hypothesis than before is an
 * identity switch. IDF1 comes from one global assignment of whole trajectories.
 */
public final class MotAccumulator {

  /** One box with its identity in one frame. */
  public record Labelled(long id, Box box) {}

  private enum Type {
    MATCH,
    SWITCH,
    MISS,
    FP
  }

  private record Event(long frame, Type type, long oid, long hid, double distance) {}

  private final double maxDistance;
  private final List<Event> events = new ArrayList<>();
  private final Map<Long, Long> lastMatch = new HashMap<>();

  /** Per (object, hypothesis) pair: frames in which they could be matched (IDF1). */
  private final Map<Long, Map<Long, Integer>> pairFrames = new HashMap<>();

  private final Map<Long, Integer> objectFrames = new LinkedHashMap<>();
  private final Map<Long, Integer> hypothesisFrames = new LinkedHashMap<>();

  public MotAccumulator(double maxDistance) {
    this.maxDistance = maxDistance;
  }

  /** The MOTChallenge default: IoU at least 0.5. */
  public MotAccumulator() {
    this(0.5);
  }

  /** Adds one frame; frames must come in increasing order. */
  public void update(long frame, List<Labelled> objects, List<Labelled> hypotheses) {
    int no = objects.size();
    int nh = hypotheses.size();
    double[][] d = new double[no][nh];
    for (int i = 0; i < no; i++) {
      objectFrames.merge(objects.get(i).id(), 1, Integer::sum);
      for (int j = 0; j < nh; j++) {
        double dist = 1 - objects.get(i).box().iou(hypotheses.get(j).box());
        d[i][j] = dist <= maxDistance ? dist : Double.NaN;
        if (!Double.isNaN(d[i][j])) {
          pairFrames
              .computeIfAbsent(objects.get(i).id(), k -> new HashMap<>())
              .merge(hypotheses.get(j).id(), 1, Integer::sum);
        }
      }
    }
    for (Labelled h : hypotheses) {
      hypothesisFrames.merge(h.id(), 1, Integer::sum);
    }
    boolean[] objectDone = new boolean[no];
    boolean[] hypDone = new boolean[nh];
    // 1. Keep last frame's correspondences while they are still allowed.
    for (int i = 0; i < no; i++) {
      Long previous = lastMatch.get(objects.get(i).id());
      if (previous == null) {
        continue;
      }
      for (int j = 0; j < nh; j++) {
        if (!hypDone[j] && hypotheses.get(j).id() == previous && !Double.isNaN(d[i][j])) {
          objectDone[i] = true;
          hypDone[j] = true;
          events.add(new Event(frame, Type.MATCH, objects.get(i).id(), previous, d[i][j]));
          break;
        }
      }
    }
    // 2. Assign the rest optimally.
    double[][] rest = new double[no][nh];
    for (int i = 0; i < no; i++) {
      for (int j = 0; j < nh; j++) {
        rest[i][j] = objectDone[i] || hypDone[j] ? Double.NaN : d[i][j];
      }
    }
    int[] assigned = Assignment.minCost(rest);
    for (int i = 0; i < no; i++) {
      int j = assigned[i];
      if (j < 0) {
        continue;
      }
      long o = objects.get(i).id();
      long h = hypotheses.get(j).id();
      Long previous = lastMatch.get(o);
      Type type = previous != null && previous != h ? Type.SWITCH : Type.MATCH;
      events.add(new Event(frame, type, o, h, rest[i][j]));
      lastMatch.put(o, h);
      objectDone[i] = true;
      hypDone[j] = true;
    }
    // 3. What is left over.
    for (int i = 0; i < no; i++) {
      if (!objectDone[i]) {
        events.add(new Event(frame, Type.MISS, objects.get(i).id(), -1, Double.NaN));
      }
    }
    for (int j = 0; j < nh; j++) {
      if (!hypDone[j]) {
        events.add(new Event(frame, Type.FP, -1, hypotheses.get(j).id(), Double.NaN));
      }
    }
  }

  /** Every figure of the accumulated frames. */
  public MotSummary summary() {
    long matches = 0;
    long switches = 0;
    long misses = 0;
    long falsePositives = 0;
    double distanceSum = 0;
    Map<Long, List<Boolean>> tracked = new LinkedHashMap<>();
    for (Event e : events) {
      switch (e.type()) {
        case MATCH -> matches++;
        case SWITCH -> switches++;
        case MISS -> misses++;
        case FP -> falsePositives++;
      }
      if (e.type() == Type.MATCH || e.type() == Type.SWITCH) {
        distanceSum += e.distance();
      }
      if (e.type() != Type.FP) {
        tracked.computeIfAbsent(e.oid(), k -> new ArrayList<>()).add(e.type() != Type.MISS);
      }
    }
    long objects = matches + switches + misses;
    long detections = matches + switches;
    int mostly = 0;
    int partly = 0;
    int lost = 0;
    long fragmentations = 0;
    for (List<Boolean> t : tracked.values()) {
      long hits = t.stream().filter(b -> b).count();
      double ratio = (double) hits / t.size();
      if (ratio >= 0.8) {
        mostly++;
      } else if (ratio < 0.2) {
        lost++;
      } else {
        partly++;
      }
      int first = t.indexOf(true);
      int last = t.lastIndexOf(true);
      for (int k = first + 1; first >= 0 && k <= last; k++) {
        if (t.get(k - 1) && !t.get(k)) {
          fragmentations++;
        }
      }
    }
    long[] id = identityFigures();
    long idfn = id[0];
    long idfp = id[1];
    long gtTotal = objectFrames.values().stream().mapToLong(Integer::longValue).sum();
    long hypTotal = hypothesisFrames.values().stream().mapToLong(Integer::longValue).sum();
    long idtp = gtTotal - idfn;
    return new MotSummary(
        objects == 0 ? 0 : 1 - (double) (misses + switches + falsePositives) / objects,
        detections == 0 ? Double.NaN : distanceSum / detections,
        gtTotal + hypTotal == 0 ? 0 : 2.0 * idtp / (gtTotal + hypTotal),
        idtp + idfp == 0 ? 0 : (double) idtp / (idtp + idfp),
        idtp + idfn == 0 ? 0 : (double) idtp / (idtp + idfn),
        objects == 0 ? 0 : (double) detections / objects,
        detections + falsePositives == 0 ? 0 : (double) detections / (detections + falsePositives),
        tracked.size(),
        mostly,
        partly,
        lost,
        falsePositives,
        misses,
        switches,
        fragmentations,
        objects);
  }

  /** IDFN and IDFP of the best one-to-one assignment of object to hypothesis trajectories. */
  private long[] identityFigures() {
    List<Long> oids = new ArrayList<>(objectFrames.keySet());
    List<Long> hids = new ArrayList<>(hypothesisFrames.keySet());
    int no = oids.size();
    int nh = hids.size();
    int n = no + nh;
    if (n == 0) {
      return new long[] {0, 0};
    }
    double[][] fp = new double[n][n];
    double[][] fn = new double[n][n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        if (r >= no && c < nh) {
          fp[r][c] = Double.NaN;
        }
        if (r < no && c >= nh) {
          fn[r][c] = Double.NaN;
        }
      }
    }
    for (int r = 0; r < no; r++) {
      int oc = objectFrames.get(oids.get(r));
      for (int c = 0; c < nh; c++) {
        fn[r][c] = oc;
      }
      fn[r][nh + r] = oc;
    }
    for (int c = 0; c < nh; c++) {
      int hc = hypothesisFrames.get(hids.get(c));
      for (int r = 0; r < no; r++) {
        fp[r][c] = hc;
      }
      fp[c + no][c] = hc;
    }
    for (int r = 0; r < no; r++) {
      Map<Long, Integer> pairs = pairFrames.getOrDefault(oids.get(r), Map.of());
      for (int c = 0; c < nh; c++) {
        int ex = pairs.getOrDefault(hids.get(c), 0);
        fp[r][c] -= ex;
        fn[r][c] -= ex;
      }
    }
    double[][] cost = new double[n][n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        cost[r][c] = fp[r][c] + fn[r][c];
      }
    }
    int[] a = Assignment.minCost(cost);
    long idfn = 0;
    long idfp = 0;
    for (int r = 0; r < n; r++) {
      if (a[r] >= 0) {
        idfn += (long) fn[r][a[r]];
        idfp += (long) fp[r][a[r]];
      }
    }
    return new long[] {idfn, idfp};
  }
}
