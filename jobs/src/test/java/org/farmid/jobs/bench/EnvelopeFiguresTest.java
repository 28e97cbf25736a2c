package org.farmid.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopeFiguresTest {
  @Test
  void theGridCountsItsSeedsUpInTheOrderAnimalsNightVisitors() {
    List<EnvelopeFigures.Cell> cells =
        EnvelopeFigures.grid(List.of(6, 30), List.of(0.0, 1.0), List.of(0, 3), 7000);
    assertThat(cells).hasSize(8);
    assertThat(cells.get(0)).isEqualTo(new EnvelopeFigures.Cell(6, 0.0, 0, 7000));
    assertThat(cells.get(1)).isEqualTo(new EnvelopeFigures.Cell(6, 0.0, 3, 7001));
    assertThat(cells.get(2)).isEqualTo(new EnvelopeFigures.Cell(6, 1.0, 0, 7002));
    assertThat(cells.get(7)).isEqualTo(new EnvelopeFigures.Cell(30, 1.0, 3, 7007));
    assertThat(cells.get(7).name()).isEqualTo("a30-n100-v3");
  }

  @Test
  void aFigureShortOfItsGoalShowsByHowMuchEitherWay() {
    EnvelopeFigures.Goal f1 = new EnvelopeFigures.Goal("F1", "macro_f1", 0.90, true);
    EnvelopeFigures.Goal unknown = new EnvelopeFigures.Goal("u", "u", 0.05, false);
    assertThat(EnvelopeFigures.cell(f1, 0.912)).isEqualTo("0.912");
    assertThat(EnvelopeFigures.cell(f1, 0.874)).isEqualTo("0.874 (-0.026)");
    assertThat(EnvelopeFigures.cell(unknown, 0.04)).isEqualTo("0.040");
    assertThat(EnvelopeFigures.cell(unknown, 0.125)).isEqualTo("0.125 (+0.075)");
    assertThat(EnvelopeFigures.cell(unknown, Double.NaN)).isEqualTo("-");
  }

  @Test
  void theTableHasOneLineACellWithTheCountOfFiguresShort() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("animals_per_pen", 20);
    r.put("night_fraction", 0.5);
    r.put("visitors_per_pen", 0);
    r.put("seed", 7021L);
    double[] values = {0.96, 0.70, 0.94, 0.91, 0.98, Double.NaN, 0.02, 0.93};
    for (int i = 0; i < values.length; i++) {
      r.put(EnvelopeFigures.GOALS.get(i).key(), values[i]);
    }
    r.put("unknown_rejection_rate", Double.NaN);
    r.put("false_unknown_rate", 0.03);
    r.put("mota", 0.8512);
    r.put("id_switches", 12.0);
    r.put("seconds", 171.3);
    r.put("hidden_share", 0.1875);
    r.put("recall50_half_visible", 0.96);
    r.put("recall50_if_half_visible_found", 0.8625);
    String md =
        EnvelopeFigures.markdown(List.of(r), new EnvelopeFigures.Archive(2, 1, 1.0, 1280, 720));
    List<String> lines = md.lines().toList();
    assertThat(lines.get(0)).contains("2 cameras, 1 day(s), 1 min per camera and day, 1280x720");
    assertThat(lines.get(2))
        .startsWith("| animals | night | visitors | seed | mAP50 (>= 0.95) | mAP (>= 0.75) |")
        .endsWith(
            "| goals short | s | under half visible | recall, half visible or more |"
                + " recall if those all found |");
    assertThat(lines.get(3)).isEqualTo("|" + "---:|".repeat(20));
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo(
            "| 20 | 50% | 0 | 7021 | 0.960 | 0.700 (-0.050) | 0.940 (-0.010) | 0.910 | 0.980 | - |"
                + " 0.020 | 0.930 | - | 0.851 | 12 | 2 | 171.3 | 0.188 | 0.960 | 0.863 |");
  }
}
