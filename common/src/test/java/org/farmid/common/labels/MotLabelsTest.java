package org.farmid.common.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.farmid.common.geom.Box;
import org.farmid.common.synth.GroundTruthRow;
import org.junit.jupiter.api.Test;

class MotLabelsTest {

  @Test
  void rowsAreReadIgnoredRowsLeftOut() {
    List<GroundTruthRow> rows =
        MotLabels.parse(
            "gt.txt",
            List.of(
                "1,3,10.5,20,30,40,1,1,0.8",
                "1,4,0,0,5,5,0,1,1",
                "",
                "2, 3, -2, 20, 30, 40",
                "3,3,1,2,3,4,1,2,1.0"),
            2);
    assertThat(rows)
        .containsExactly(
            new GroundTruthRow(1, 3, new Box(10.5, 20, 30, 40), 0.8),
            new GroundTruthRow(2, 3, new Box(-2, 20, 30, 40), 1.0),
            new GroundTruthRow(3, 3, new Box(1, 2, 3, 4), 1.0));
  }

  @Test
  void badLinesAreRefusedWithFileAndLine() {
    assertThatThrownBy(() -> MotLabels.parse("gt/gt.txt", List.of("1,2,3,4,5,6", "1,2,3,4,5"), 0))
        .isInstanceOf(LabelFormatException.class)
        .hasMessage(
            "gt/gt.txt:2: 5 fields; expected"
                + " frame,track,left,top,width,height[,not_ignored,class,visibility]");
    assertThatThrownBy(() -> MotLabels.parse("gt.txt", List.of("0,1,3,4,5,6"), 0))
        .hasMessage("gt.txt:1: frame 0 must be a whole number from 1 (the first frame)");
    assertThatThrownBy(() -> MotLabels.parse("gt.txt", List.of("1,1,3,4,0,6"), 0))
        .hasMessage("gt.txt:1: box size 0x6 must be positive");
    assertThatThrownBy(() -> MotLabels.parse("gt.txt", List.of("1,1,3,4,5,6,1,3,1"), 2))
        .hasMessage("gt.txt:1: unknown class 3; labels.txt names 2 classes (1 to 2)");
    assertThatThrownBy(() -> MotLabels.parse("gt.txt", List.of("1,1,3,4,5,6,1,1,1.5"), 0))
        .hasMessage("gt.txt:1: visibility 1.5 is outside [0, 1]");
    assertThatThrownBy(() -> MotLabels.parse("gt.txt", List.of("1,one,3,4,5,6"), 0))
        .hasMessage("gt.txt:1: field 2 'one' is not a number");
    // Without labels.txt every class counts.
    assertThat(MotLabels.parse("gt.txt", List.of("1,1,3,4,5,6,1,7,1"), 0)).hasSize(1);
  }
}
