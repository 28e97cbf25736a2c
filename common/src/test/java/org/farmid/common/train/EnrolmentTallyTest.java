package org.farmid.common.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrolmentTallyTest {
  static LabelledCrops.Crop crop(Path root, String animal, String file) {
    return new LabelledCrops.Crop(root.resolve(animal).resolve(file), animal, null);
  }

  @Test
  void notesEmptyFoldersThenAnimalsLeftWithOneOrNoUsableCrop(@TempDir Path root) throws Exception {
    for (String a : List.of("a", "b", "c", "empty")) {
      Files.createDirectories(root.resolve(a));
    }
    EnrolmentTally t =
        EnrolmentTally.of(
            root,
            List.of(
                crop(root, "a", "1.png"),
                crop(root, "a", "2.png"),
                crop(root, "b", "1.png"),
                crop(root, "c", "1.png"),
                crop(root, "c", "2.png")));
    assertThat(t.listed()).isEqualTo(3);
    t.rejected("c");
    t.rejected("c");
    assertThat(t.enrolled()).isEqualTo(2);
    assertThat(t.notes())
        .containsExactly(
            "animal empty has no crops in its folder and is not enrolled",
            "animal b has a single usable crop (allowed; its spread is 0)",
            "animal c has no usable crop and is not enrolled");
  }

  @Test
  void idsDifferingOnlyInCaseAreRefused(@TempDir Path root) {
    assertThatThrownBy(
            () ->
                EnrolmentTally.of(
                    root, List.of(crop(root, "Bella", "1"), crop(root, "bella", "1"))))
        .hasMessageContaining(
            "crop folders 'Bella' and 'bella' under " + root + " differ only in case");
  }
}
