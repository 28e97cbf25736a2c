package org.farmid.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationReportTest {

  @Test
  void matchesTheHandComputedCase() {
    // y_true=[0,1,2,2,2], y_pred=[0,0,2,2,1]
    ClassificationReport r =
        ClassificationReport.of(List.of("0", "1", "2", "2", "2"), List.of("0", "0", "2", "2", "1"));
    assertThat(r.accuracy()).isCloseTo(0.60, within(1e-9));
    assertThat(r.macroPrecision()).isCloseTo(0.5, within(1e-9));
    assertThat(r.macroRecall()).isCloseTo(5.0 / 9, within(1e-9)); // 0.56
    assertThat(r.macroF1()).isCloseTo((2.0 / 3 + 0 + 0.8) / 3, within(1e-9)); // 0.49
    assertThat(r.weightedPrecision()).isCloseTo(0.70, within(1e-9));
    assertThat(r.weightedRecall()).isCloseTo(0.60, within(1e-9));
    assertThat(r.weightedF1()).isCloseTo((2.0 / 3 + 3 * 0.8) / 5, within(1e-9)); // 0.61
    assertThat(r.labels()).containsExactly("0", "1", "2");
    assertThat(r.confusion()).isDeepEqualTo(new long[][] {{1, 0, 0}, {1, 0, 0}, {0, 1, 2}});
    assertThat(r.perClass().get(2))
        .isEqualTo(new ClassificationReport.ClassFigures("2", 1.0, 2.0 / 3, 0.8, 3));
  }

  @Test
  void aLabelOnlyPredictedCountsWithZeroSupport() {
    ClassificationReport r =
        ClassificationReport.of(List.of("a", "a", "b"), List.of("a", "unknown", "b"));
    assertThat(r.labels()).containsExactly("a", "b", "unknown");
    assertThat(r.perClass().get(2).support()).isZero();
    assertThat(r.perClass().get(2).precision()).isZero();
    assertThat(r.macroF1()).isCloseTo((2.0 / 3 + 1 + 0) / 3, within(1e-9));
    assertThat(r.weightedF1()).isCloseTo((2 * 2.0 / 3 + 1) / 3, within(1e-9));
  }
}
