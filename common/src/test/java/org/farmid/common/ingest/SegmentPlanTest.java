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

  @Test
  void samplingFollowsTheWholeVideosGrid() {
    assertThat(IntStream.range(0, 26).filter(i -> SegmentPlan.sampled(i, 25, 1)).boxed())
        .containsExactly(0, 25);
    assertThat(IntStream.range(0, 20).filter(i -> SegmentPlan.sampled(i, 5, 1)).boxed())
        .containsExactly(0, 5, 10, 15);
    // 25 fps at 3 per second: instants 0, 8.33, 16.67, 25 -> frames 0, 9, 17, 25
    assertThat(IntStream.range(0, 26).filter(i -> SegmentPlan.sampled(i, 25, 3)).boxed())
        .containsExactly(0, 9, 17, 25);
    assertThat(IntStream.range(0, 4).filter(i -> SegmentPlan.sampled(i, 5, 0)).count())
        .isEqualTo(4);
    assertThat(IntStream.range(0, 4).filter(i -> SegmentPlan.sampled(i, 5, 10)).count())
        .isEqualTo(4);
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
