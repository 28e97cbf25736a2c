package org.farmid.common.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectionTest {
  static final LocalDate JAN5 = LocalDate.of(2026, 1, 5);
  static final LocalDate JAN6 = LocalDate.of(2026, 1, 6);
  static final LocalDate JAN7 = LocalDate.of(2026, 1, 7);

  @Test
  void boundsIncludeBothEndsAndCamerasAreExact() {
    Selection s = Selection.parse("2026-01-06", "2026-01-07", "cam01, cam03");
    assertThat(s.covers("cam01", JAN5)).isFalse();
    assertThat(s.covers("cam01", JAN6)).isTrue();
    assertThat(s.covers("cam03", JAN7)).isTrue();
    assertThat(s.covers("cam02", JAN6)).isFalse();
    assertThat(s.covers("cam01", null)).as("undated footage has no day in the bounds").isFalse();
    assertThat(s.coversAny(List.of("cam02", "cam03"), JAN6)).isTrue();
    assertThat(s.describe()).isEqualTo("from 2026-01-06 to 2026-01-07 cameras cam01,cam03");
  }

  @Test
  void noFlagsCoverEverythingUndatedIncluded() {
    Selection s = Selection.parse(null, " ", null);
    assertThat(s.isAll()).isTrue();
    assertThat(s.covers("any", null)).isTrue();
    assertThat(s.describe()).isEqualTo("all footage");
    assertThat(Selection.parse(null, null, "cam01").covers("cam01", null)).isTrue();
  }

  @Test
  void malformedFlagsAreNamed() {
    assertThatThrownBy(() -> Selection.parse("2026-13-01", null, null))
        .hasMessage("--since must be a day as yyyy-MM-dd, got '2026-13-01'");
    assertThatThrownBy(() -> Selection.parse(null, "yesterday", null))
        .hasMessage("--until must be a day as yyyy-MM-dd, got 'yesterday'");
    assertThatThrownBy(() -> Selection.parse("2026-01-07", "2026-01-06", null))
        .hasMessage("--until 2026-01-06 is before --since 2026-01-07");
    assertThatThrownBy(() -> Selection.parse(null, null, " , "))
        .hasMessage("--cameras needs at least one camera name, got ' , '");
  }
}
