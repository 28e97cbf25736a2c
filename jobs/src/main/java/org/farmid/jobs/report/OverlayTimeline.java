package org.farmid.jobs.report;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which analysed frame's boxes to draw on each decoded frame. Detection runs on sampled frames only
 * (e.g. 1 per second); a frame in between shows the boxes of the nearest sampled frame when that is
 * at most half the usual sampling gap away, and nothing otherwise (a stretch with no analysed
 * frames, such as a failed segment, stays unmarked instead of showing stale boxes).
 */
public final class OverlayTimeline<T> {
  private final TreeMap<Integer, List<T>> byFrame;
  private final int reach;

  public OverlayTimeline(Map<Integer, List<T>> byFrame) {
    this.byFrame = new TreeMap<>(byFrame);
    this.reach =
        typicalGap(this.byFrame.keySet().stream().mapToInt(Integer::intValue).toArray()) / 2;
  }

  /** Half the median gap between analysed frames: how far a frame borrows boxes. */
  public int reach() {
    return reach;
  }

  /** The marks to draw on {@code frame}; empty when no analysed frame is near enough. */
  public List<T> at(int frame) {
    Map.Entry<Integer, List<T>> below = byFrame.floorEntry(frame);
    Map.Entry<Integer, List<T>> above = byFrame.ceilingEntry(frame);
    Map.Entry<Integer, List<T>> best;
    if (below == null) {
      best = above;
    } else if (above == null) {
      best = below;
    } else {
      best = frame - below.getKey() <= above.getKey() - frame ? below : above;
    }
    if (best == null || Math.abs(best.getKey() - frame) > reach) {
      return List.of();
    }
    return best.getValue();
  }

  static int typicalGap(int[] frames) {
    if (frames.length < 2) {
      return 0;
    }
    int[] gaps = new int[frames.length - 1];
    for (int i = 1; i < frames.length; i++) {
      gaps[i - 1] = frames[i] - frames[i - 1];
    }
    Arrays.sort(gaps);
    return gaps[gaps.length / 2];
  }
}
