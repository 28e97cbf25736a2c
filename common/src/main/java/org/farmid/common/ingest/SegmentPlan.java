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
   * Chooses the frames of one segment to analyse, by their timestamps: the first frame at or after
   * each instant {@code k / sampleFps} of the whole video, so the choice does not depend on where
   * segments were cut, and a variable-frame-rate file gets one frame per interval like any other.
   * Every frame is kept when {@code sampleFps} is 0 or not below the video's (average) rate. The
   * segment's first frame counts as the first of its interval when the segment starts on the
   * sampling grid (the default: whole-second segments at whole frames per second); a segment
   * starting inside an interval leaves that interval to the segment before it.
   */
  public static final class Sampler {
    private final double sampleFps;
    private final boolean everyFrame;
    private long lastInterval;

    public Sampler(double sampleFps, double videoFps, long segmentStartMicros) {
      this.sampleFps = sampleFps;
      this.everyFrame = sampleFps <= 0 || sampleFps >= videoFps;
      double x = segmentStartMicros / 1e6 * sampleFps;
      boolean onGrid = Math.abs(x - Math.rint(x)) <= tolerance();
      this.lastInterval = everyFrame ? 0 : interval(segmentStartMicros) - (onGrid ? 1 : 0);
    }

    /** Whether to analyse the frame at {@code timestampMicros}; call in decoding order. */
    public boolean keep(long timestampMicros) {
      if (everyFrame) {
        return true;
      }
      long k = interval(timestampMicros);
      if (k == lastInterval) {
        return false;
      }
      lastInterval = k;
      return true;
    }

    /**
     * The earliest timestamp the next kept frame can have ({@link Long#MIN_VALUE} when every frame
     * is kept): frames before it will be dropped, so a decoder may skip straight to it.
     */
    public long nextInstantMicros() {
      if (everyFrame) {
        return Long.MIN_VALUE;
      }
      return (long) Math.floor(((lastInterval + 1) - tolerance()) / sampleFps * 1e6);
    }

    // A timestamp a microsecond short of an instant (rounding in the container) counts as on it.
    private long interval(long micros) {
      return (long) Math.floor(micros / 1e6 * sampleFps + tolerance());
    }

    private double tolerance() {
      return 1e-6 * sampleFps + 1e-12;
    }
  }
}
