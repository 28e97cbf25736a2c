package org.farmid.common.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one video into time segments of a fixed length so a long file spreads over many tasks.
 * Segments are half-open, {@code [start, end)}, and cover the file without gaps; the last one is
 * open-ended ({@link Segment#toEnd()}) because containers often declare a duration a frame short.
 */
public final class SegmentPlan {
  private SegmentPlan() {}

  /** One planned piece of a video. */
  public record Segment(int index, long startMicros, long endMicros, boolean toEnd) {
    /** The end to decode to: the planned end, or the end of the file for the last segment. */
    public long decodeEndMicros() {
      return toEnd ? Long.MAX_VALUE : endMicros;
    }
  }

  /**
   * Plans segments of {@code segmentMicros} over a video of {@code durationMicros}. A tail shorter
   * than a tenth of a segment joins the segment before it, so no task decodes a sliver.
   */
  public static List<Segment> plan(long durationMicros, long segmentMicros) {
    if (segmentMicros <= 0) {
      throw new IllegalArgumentException("segment length must be positive: " + segmentMicros);
    }
    long duration = Math.max(0, durationMicros);
    int count = (int) Math.max(1, (duration + segmentMicros - 1) / segmentMicros);
    if (count > 1 && duration - (count - 1) * segmentMicros < segmentMicros / 10) {
      count--;
    }
    List<Segment> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long start = i * segmentMicros;
      boolean last = i == count - 1;
      out.add(new Segment(i, start, last ? duration : start + segmentMicros, last));
    }
    return out;
  }

  /**
   * The frame times to sample from a segment: every frame when {@code sampleFps} is 0 or not below
   * the video's rate, else frames whose index falls on the sampling grid of the whole video (so
   * sampling does not depend on where segments were cut).
   */
  public static boolean sampled(int frameIndex, double videoFps, double sampleFps) {
    if (sampleFps <= 0 || sampleFps >= videoFps) {
      return true;
    }
    double step = videoFps / sampleFps;
    // Frame i is kept when it is the first frame at or after a grid instant k * step.
    long k = (long) Math.floor(frameIndex / step + 1e-9);
    return (long) Math.ceil(k * step - 1e-9) == frameIndex;
  }
}
