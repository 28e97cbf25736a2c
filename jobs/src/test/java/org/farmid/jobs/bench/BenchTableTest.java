package org.farmid.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchTableTest {
  private static final BenchRow DECODE =
      BenchRow.of("1. decode", 380, 580, ">= 0.9", "frames/s", "ours vs ffmpeg");
  private static final BenchRow MEMORY =
      new BenchRow("6. memory", 1100, 1000, 1.1, "<= 1.2", "MB resident", "long vs short");
  private static final BenchRow SHARE =
      new BenchRow("7. share: decode", 54, 680, 54 / 680.0, "", "core-s", "no goal");

  @Test
  void ratiosAreOursOverTheReferenceAndGoalsReadBothWays() {
    assertThat(DECODE.ratio()).isEqualTo(380 / 580.0);
    assertThat(DECODE.met()).isFalse(); // 0.655 < 0.9
    assertThat(BenchRow.of("x", 90, 100, ">= 0.9", "u", "").met()).isTrue();
    assertThat(MEMORY.met()).isTrue();
    assertThat(new BenchRow("m", 1300, 1000, 1.3, "<= 1.2", "MB", "").met()).isFalse();
    assertThat(SHARE.met()).isTrue();
    assertThat(BenchRow.of("c", 500, 100, ">= 5", "u", "").met()).isTrue();
    assertThatThrownBy(() -> new BenchRow("b", 1, 1, 1, "= 1", "u", "").met())
        .hasMessageContaining(">= or <=");
  }

  @Test
  void theTableAlignsNumbersAndMarksEachGoal() {
    StringWriter out = new StringWriter();
    BenchTable.print(new PrintWriter(out), List.of(DECODE, MEMORY, SHARE));
    assertThat(out.toString().lines())
        .containsExactly(
            // columns: figure 16 wide, ours 5 (right-aligned), reference 9, unit 11, ratio 5
            "figure             ours  reference  unit         ratio  goal",
            "1. decode           380        580  frames/s      0.66  >= 0.9  NOT MET",
            "6. memory         1,100      1,000  MB resident   1.10  <= 1.2  met",
            "7. share: decode   54.0        680  core-s        0.08");
  }

  @Test
  void rowsRoundTripThroughTheJsonFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("figures/one.json");
    BenchTable.write(f, List.of(DECODE, MEMORY));
    BenchTable.write(dir.resolve("two.json"), List.of(SHARE));
    assertThat(BenchTable.readAll(List.of(f, dir.resolve("two.json"))))
        .containsExactly(DECODE, MEMORY, SHARE);
    String json = Files.readString(f);
    assertThat(json)
        .contains("\"figure\" : \"1. decode\"", "\"goal\" : \">= 0.9\"", "\"unit\" : \"frames/s\"");
    assertThat(Files.list(f.getParent()).map(p -> p.getFileName().toString()))
        .containsExactly("one.json");
    assertThatThrownBy(() -> BenchTable.read(dir.resolve("missing.json")))
        .hasMessageContaining("missing.json");
  }
}
