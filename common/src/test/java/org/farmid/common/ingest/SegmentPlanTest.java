package org.farmid.common.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SegmentPlanTest {
  static final long S = 1_000_000;

  @Test
  void segmentsCoverTheFileWithoutGapsAndTheLastRunsToTheEnd() {
    List<SegmentPlan.Segment> p = SegmentPlan.plan(150 * S, 60 * S);
    assertThat(p)
        .containsExactly(
            new SegmentPlan.Segment(0, 0, 60 * S, false),
            new SegmentPlan.Segment(1, 60 * S, 120 * S, false),
            new SegmentPlan.Segment(2, 120 * S, 150 * S, true));
    assertThat(p.get(2).decodeEndMicros()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aSliverOfATailJoinsTheSegmentBeforeIt() {
    // 122 s in 60 s segments: the 2 s tail is under a tenth of a segment.
    assertThat(SegmentPlan.plan(122 * S, 60 * S))
        .containsExactly(
            new SegmentPlan.Segment(0, 0, 60 * S, false),
            new SegmentPlan.Segment(1, 60 * S, 122 * S, true));
    assertThat(SegmentPlan.plan(0, 60 * S)).containsExactly(new SegmentPlan.Segment(0, 0, 0, true));
    assertThatThrownBy(() -> SegmentPlan.plan(10, 0)).hasMessageContaining("positive");
  }

  /** Frames kept by one sampler over the given timestamps (microseconds). */
  private static List<Long> kept(double sampleFps, double videoFps, long start, long... micros) {
    SegmentPlan.Sampler s = new SegmentPlan.Sampler(sampleFps, videoFps, start);
    return java.util.Arrays.stream(micros).filter(s::keep).boxed().toList();
  }

  private static long[] grid(double fps, int from, int to) {
    return IntStream.range(from, to).mapToLong(i -> Math.round(i * 1e6 / fps)).toArray();
  }

  @Test
  void samplingKeepsTheFirstFrameAtOrAfterEachInstantOfTheWholeVideo() {
    assertThat(kept(1, 25, 0, grid(25, 0, 26))).containsExactly(0L, 1_000_000L);
    assertThat(kept(1, 5, 0, grid(5, 0, 20)))
        .containsExactly(0L, 1_000_000L, 2_000_000L, 3_000_000L);
    // 25 fps at 3 per second: instants 0, 1/3, 2/3, 1 s -> frames 0, 9, 17, 25
    assertThat(kept(3, 25, 0, grid(25, 0, 26))).containsExactly(0L, 360_000L, 680_000L, 1_000_000L);
    // a segment starting at 2 s sees the same grid as the whole video
    assertThat(kept(1, 5, 2_000_000, grid(5, 10, 20))).containsExactly(2_000_000L, 3_000_000L);
    // a segment starting inside an interval (at 2.5 s) leaves it to the segment before
    assertThat(kept(1, 5, 2_500_000, grid(5, 13, 20))).containsExactly(3_000_000L);
    // a timestamp a microsecond short of an instant (container rounding) is on it
    assertThat(kept(3, 30, 0, 0, 333_333, 366_667)).containsExactly(0L, 333_333L);
    assertThat(kept(0, 5, 0, grid(5, 0, 4))).hasSize(4);
    assertThat(kept(10, 5, 0, grid(5, 0, 4))).hasSize(4);
  }

  @Test
  void theNextInstantTellsADecoderWhereTheNextKeptFrameCanStart() {
    SegmentPlan.Sampler s = new SegmentPlan.Sampler(1, 25, 0);
    // nothing kept yet: the segment's first instant, 0 s, less the sampler's rounding tolerance
    // (a timestamp up to a microsecond short of an instant counts as on it), so never late
    assertThat(s.nextInstantMicros()).isEqualTo(-2);
    assertThat(s.keep(0)).isTrue();
    assertThat(s.nextInstantMicros()).isEqualTo(999_998);
    assertThat(s.keep(40_000)).isFalse();
    assertThat(s.keep(999_999)).isTrue(); // the instant 1 s, a microsecond early
    assertThat(s.nextInstantMicros()).isEqualTo(1_999_998);
    // a segment starting inside an interval: the next instant is the following whole second
    assertThat(new SegmentPlan.Sampler(1, 25, 2_500_000).nextInstantMicros()).isEqualTo(2_999_998);
    // 4 frames/s: instants every 250 ms
    SegmentPlan.Sampler q = new SegmentPlan.Sampler(4, 25, 0);
    q.keep(0);
    assertThat(q.nextInstantMicros()).isEqualTo(249_998);
    // every frame kept: no instant to skip to
    assertThat(new SegmentPlan.Sampler(0, 25, 0).nextInstantMicros()).isEqualTo(Long.MIN_VALUE);
    assertThat(new SegmentPlan.Sampler(30, 25, 0).nextInstantMicros()).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void aVariableFrameRateFileGetsOneFramePerInterval() {
    // frames at irregular times; 1 per second: the first at or after 0, 1 and 2 s
    assertThat(
            kept(
                1, 4, 0, 0, 200_000, 300_000, 700_000, 1_000_000, 1_100_000, 1_600_000, 2_100_000,
                2_200_000))
        .containsExactly(0L, 1_000_000L, 2_100_000L);
    // a gap longer than the interval skips it: nothing between 1.2 and 3.4 s
    assertThat(kept(1, 4, 0, 0, 1_200_000, 3_400_000, 3_500_000))
        .containsExactly(0L, 1_200_000L, 3_400_000L);
  }

  @Test
  void cameraAndStartComeFromThePath() {
    var pattern = VideoOrigin.compile(VideoOrigin.DEFAULT_PATTERN);
    assertThat(VideoOrigin.of("cam01/2026-01-05/18-14-56.mp4", pattern))
        .isEqualTo(
            new VideoOrigin(
                "cam01", java.util.Optional.of(LocalDateTime.of(2026, 1, 5, 18, 14, 56))));
    assertThat(VideoOrigin.of("farm/barn 2/2026-03-01/061500.mkv", pattern).camera())
        .isEqualTo("barn 2");
    VideoOrigin undated = VideoOrigin.of("misc/clip.mp4", pattern);
    assertThat(undated.camera()).isEqualTo("misc");
    assertThat(undated.start()).isEmpty();
    assertThat(VideoOrigin.of("cam01/2026-02-30/10-00-00.mp4", pattern).start()).isEmpty();
    assertThatThrownBy(() -> VideoOrigin.compile("(?<cam>.*)"))
        .hasMessageContaining("(?<camera>...)");
    assertThatThrownBy(() -> VideoOrigin.compile("(")).hasMessageContaining("regular expression");
  }
}
