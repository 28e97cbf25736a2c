package org.farmid.common.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CropCutTest {
  @Test
  void cropsAreNamedByAnimalSourceFrameAndPlace() {
    assertThat(CropCut.path("7", "images/cam 2_x.jpg", 42, 3)).isEqualTo("7/cam-2_x_000042_3.png");
    assertThat(CropCut.path("12", "clip.mp4@D68VOGH21", 0, 0))
        .isEqualTo("12/clip.mp4-D68VOGH21_000000_0.png");
  }

  @Test
  void eachAnimalsFirstCropsInNameOrderEnrolItAndTheRestAreQueries() {
    List<CropCut.Crop> crops =
        CropCut.split(
            Map.of(
                "2", List.of("2/b_000010_0.png", "2/a_000020_1.png", "2/a_000010_0.png"),
                "10", List.of("10/a_000010_2.png")),
            2);
    assertThat(crops)
        .containsExactly(
            new CropCut.Crop("10/a_000010_2.png", "10", "train"),
            new CropCut.Crop("2/a_000010_0.png", "2", "train"),
            new CropCut.Crop("2/a_000020_1.png", "2", "train"),
            new CropCut.Crop("2/b_000010_0.png", "2", "val"));
    assertThat(CropCut.csv(crops))
        .isEqualTo(
            "path,identity,split\n"
                + "10/a_000010_2.png,10,train\n"
                + "2/a_000010_0.png,2,train\n"
                + "2/a_000020_1.png,2,train\n"
                + "2/b_000010_0.png,2,val\n");
    // Crops of the sources named first enrol before the others, whatever their names.
    assertThat(
            CropCut.split(
                Map.of("2", List.of("2/a_000010_0.png", "2/b_000010_0.png", "2/b_000020_0.png")),
                1,
                p -> p.contains("/b_")))
        .containsExactly(
            new CropCut.Crop("2/b_000010_0.png", "2", "train"),
            new CropCut.Crop("2/b_000020_0.png", "2", "val"),
            new CropCut.Crop("2/a_000010_0.png", "2", "val"));
    assertThatThrownBy(() -> CropCut.split(Map.of(), 0))
        .hasMessage("crops to enrol each animal must be at least 1");
  }
}
