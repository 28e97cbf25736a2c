package org.farmid.common.labels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExportPlanTest {

  @Test
  void everyPrefixOfTheSpreadOrderLiesEvenlyOverTime() {
    assertThat(ExportPlan.spreadOrder(8)).containsExactly(4, 2, 6, 1, 5, 3, 7, 0);
    assertThat(ExportPlan.spreadOrder(3)).containsExactly(1, 0, 2);
    assertThat(ExportPlan.spreadOrder(1)).containsExactly(0);
    assertThat(ExportPlan.spreadOrder(0)).isEmpty();
  }

  @Test
  void groupsTakeTurnsDayAndNightAlternatingAndTimesSpreadWithinEach() {
    List<ExportPlan.Candidate> all = new ArrayList<>();
    // Camera a: one day video of 8 candidates; camera b: a day and a night video of 4 each.
    for (int i = 0; i < 8; i++) {
      all.add(new ExportPlan.Candidate("a/1.mp4", "a", "2026-01-01", false, i * 1000L));
    }
    for (int i = 0; i < 4; i++) {
      all.add(new ExportPlan.Candidate("b/1.mp4", "b", "2026-01-01", false, i * 1000L));
      all.add(new ExportPlan.Candidate("b/2.mp4", "b", "2026-01-02", true, i * 1000L));
    }
    List<ExportPlan.Candidate> chosen = ExportPlan.choose(all, 7);
    assertThat(chosen)
        .extracting(c -> c.video() + "@" + c.timestampMicros())
        .containsExactly(
            "a/1.mp4@4000", // day group 1, its middle
            "b/2.mp4@2000", // night group 1
            "b/1.mp4@2000", // day group 2
            "a/1.mp4@2000",
            "b/2.mp4@1000",
            "b/1.mp4@1000",
            "a/1.mp4@6000");
    assertThat(ExportPlan.choose(all, 100)).hasSize(16).doesNotHaveDuplicates();
  }
}
