package org.farmid.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
  @TempDir Path dir;

  @Test
  void confusionRowsAreSharesOfTheirTrueLabelAndEmptyRowsStayZero() {
    long[][] counts = {{3, 1, 0}, {0, 0, 0}, {2, 2, 4}};
    double[][] share = Charts.rowNormalised(counts);
    assertThat(share[0]).containsExactly(0.75, 0.25, 0.0);
    assertThat(share[1]).containsExactly(0.0, 0.0, 0.0);
    assertThat(share[2]).containsExactly(0.25, 0.25, 0.5);
  }

  @Test
  void histogramSharesSumToOnePerGroup() {
    // bins of width 0.25 on [0, 1]: 0.1 and 0.2 in the first, 0.6 in the third, 0.9 in the last
    double[] s = Charts.shares(List.of(0.1, 0.2, 0.6, 0.9), 4, 1.0);
    assertThat(s).containsExactly(0.5, 0.0, 0.25, 0.25);
    assertThat(Charts.shares(List.of(), 4, 1.0)).containsExactly(0, 0, 0, 0);
  }

  @Test
  void animalsSortNumbersByValueThenNames() {
    List<String> ids = new ArrayList<>(List.of("unknown", "10", "2", "B7", "1", "A12"));
    ids.sort(Charts.NATURAL);
    assertThat(ids).containsExactly("1", "2", "10", "A12", "B7", "unknown");
  }

  @Test
  void chartsAreWrittenAsPngsOfTheirSize() throws IOException {
    Path confusion = dir.resolve("c.png");
    Charts.confusion(
        "t",
        List.of("1", "2", "unknown"),
        new long[][] {{5, 1, 0}, {0, 4, 2}, {1, 0, 3}},
        confusion);
    Map<String, Double> f1 = new LinkedHashMap<>();
    f1.put("1", 0.9);
    f1.put("2", null);
    Path bars = dir.resolve("f.png");
    Charts.f1Bars("t", f1, Map.of("1", 6L), bars);
    Path hist = dir.resolve("d.png");
    Charts.distances("t", "a", List.of(0.1, 0.2), "b", List.of(0.7), 0.5, hist);
    Path proj = dir.resolve("p.png");
    Charts.projection(
        "t",
        List.of("1", "1", "2"),
        new double[][] {{0, 0}, {1, 1}, {-1, 0.5}},
        Map.of("1", new double[] {0.5, 0.5}, "3", new double[] {2, 2}),
        proj);
    for (Path p : List.of(confusion, bars, hist, proj)) {
      BufferedImage image = ImageIO.read(p.toFile());
      assertThat(image).as(p.toString()).isNotNull();
      assertThat(image.getWidth()).as(p.toString()).isEqualTo(1100);
    }
  }
}
