package org.farmid.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverlayTimelineTest {
  @Test
  void framesBorrowTheNearestAnalysedFrameWithinHalfTheUsualGap() {
    // analysed every 5 frames, with a hole between 10 and 20 (a failed segment)
    OverlayTimeline<String> t =
        new OverlayTimeline<>(
            Map.of(0, List.of("f0"), 5, List.of("f5"), 10, List.of("f10"), 20, List.of("f20")));
    assertThat(t.reach()).isEqualTo(2);
    assertThat(t.at(0)).containsExactly("f0");
    assertThat(t.at(2)).containsExactly("f0");
    assertThat(t.at(3)).containsExactly("f5");
    assertThat(t.at(12)).containsExactly("f10");
    assertThat(t.at(13)).isEmpty();
    assertThat(t.at(17)).isEmpty();
    assertThat(t.at(18)).containsExactly("f20");
    assertThat(t.at(22)).containsExactly("f20");
    assertThat(t.at(23)).isEmpty();
  }

  @Test
  void aTieGoesToTheEarlierFrameAndASingleFrameLendsNothing() {
    OverlayTimeline<String> t = new OverlayTimeline<>(Map.of(0, List.of("a"), 4, List.of("b")));
    assertThat(t.at(2)).containsExactly("a");
    OverlayTimeline<String> one = new OverlayTimeline<>(Map.of(7, List.of("x")));
    assertThat(one.at(7)).containsExactly("x");
    assertThat(one.at(8)).isEmpty();
  }
}
