package org.farmid.common.labels;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chooses frames to label so that they spread over cameras, days and day/night: candidates are
 * grouped by (camera, day, light), the groups take turns (day and night groups alternating), and
 * within a group the frames taken first lie far apart in time (the middle, then the quarters, then
 * the eighths, ...).
 */
public final class ExportPlan {

  /**
   * A frame that may be exported.
   *
   * @param day the recording's date as text, empty when the path does not say
   * @param night whether the frame looks infrared (no colour)
   */
  public record Candidate(
      String video, String camera, String day, boolean night, long timestampMicros) {
    String group() {
      return camera + "\u0000" + day + "\u0000" + (night ? "night" : "day");
    }
  }

  private ExportPlan() {}

  /** Up to {@code count} candidates, in the order they were chosen. */
  public static List<Candidate> choose(List<Candidate> candidates, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, got " + count);
    }
    Map<String, List<Candidate>> groups = new TreeMap<>();
    for (Candidate c : candidates) {
      groups.computeIfAbsent(c.group(), k -> new ArrayList<>()).add(c);
    }
    List<List<Candidate>> dayQueues = new ArrayList<>();
    List<List<Candidate>> nightQueues = new ArrayList<>();
    for (List<Candidate> g : groups.values()) {
      g.sort(Comparator.comparing(Candidate::video).thenComparingLong(Candidate::timestampMicros));
      List<Candidate> ordered = new ArrayList<>();
      for (int i : spreadOrder(g.size())) {
        ordered.add(g.get(i));
      }
      (g.get(0).night() ? nightQueues : dayQueues).add(ordered);
    }
    // Day and night groups alternate, so a few frames already hold both lights.
    List<List<Candidate>> queues = new ArrayList<>();
    for (int i = 0; i < Math.max(dayQueues.size(), nightQueues.size()); i++) {
      if (i < dayQueues.size()) {
        queues.add(dayQueues.get(i));
      }
      if (i < nightQueues.size()) {
        queues.add(nightQueues.get(i));
      }
    }
    List<Candidate> chosen = new ArrayList<>();
    for (int round = 0; chosen.size() < count; round++) {
      boolean any = false;
      for (List<Candidate> q : queues) {
        if (round < q.size() && chosen.size() < count) {
          chosen.add(q.get(round));
          any = true;
        }
      }
      if (!any) {
        break;
      }
    }
    return chosen;
  }

  /**
   * The indices {@code 0..n-1} in an order whose every prefix spreads evenly: the index nearest
   * each point of the base-2 van der Corput sequence (1/2, 1/4, 3/4, 1/8, ...), then any left.
   */
  static List<Integer> spreadOrder(int n) {
    List<Integer> order = new ArrayList<>();
    boolean[] used = new boolean[n];
    for (int k = 1; order.size() < n && k <= 4 * n; k++) {
      double v = 0;
      double f = 0.5;
      for (int b = k; b > 0; b >>= 1, f /= 2) {
        v += (b & 1) * f;
      }
      int i = Math.min(n - 1, (int) (v * n));
      if (!used[i]) {
        used[i] = true;
        order.add(i);
      }
    }
    for (int i = 0; i < n; i++) {
      if (!used[i]) {
        order.add(i);
      }
    }
    return order;
  }
}
