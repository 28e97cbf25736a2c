package org.farmid.common.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArchiveMeansTest {
  private static final float R = (float) Math.sqrt(0.5);

  private static GalleryEntry entry(String id, float[] mean, float[] infraredMean) {
    return new GalleryEntry(
        id,
        mean,
        12,
        0.2,
        0.3,
        0.6,
        null,
        null,
        "cam01",
        true,
        infraredMean == null ? null : new GalleryEntry.Infrared(infraredMean, 12, 0.35, 0.7));
  }

  @Test
  void eachMeanMovesTowardItsAnimalsArchiveCropsInTheirLightOnly() {
    ArchiveMeans a = new ArchiveMeans();
    // Bella's colour crops average to (0, 1) once re-normalised; one night crop at (-1, 0)
    a.add("bella", new float[] {0, 2}, false);
    a.add("bella", new float[] {0, 1}, false);
    a.add("bella", new float[] {-1, 0}, true);
    List<GalleryEntry> base =
        List.of(
            entry("bella", new float[] {1, 0}, new float[] {0, 1}),
            entry("rosie", new float[] {0, 1}, null));
    assertThat(a.crops("bella", false)).isEqualTo(2);
    assertThat(a.crops("bella", true)).isEqualTo(1);
    assertThat(a.crops("rosie", false)).isZero();

    List<GalleryEntry> half = a.blend(base, 0.5);
    // (0.5 x (1, 0) + 0.5 x (0, 1)) re-normalised
    assertThat(half.get(0).mean()).containsExactly(new float[] {R, R}, within(1e-6f));
    // infrared: 0.5 x (0, 1) + 0.5 x (-1, 0)
    assertThat(half.get(0).infrared().mean()).containsExactly(new float[] {-R, R}, within(1e-6f));
    // spreads, thresholds and the rest stay the enrolment's
    assertThat(half.get(0).threshold()).isEqualTo(0.6);
    assertThat(half.get(0).spreadP95()).isEqualTo(0.3);
    assertThat(half.get(0).infrared().threshold()).isEqualTo(0.7);
    assertThat(half.get(0).count()).isEqualTo(12);
    // an animal without archive crops keeps its mean
    assertThat(half.get(1)).isEqualTo(base.get(1));

    // 0.75 of the archive: (0.25, 0.75) / |(0.25, 0.75)|
    double n = Math.hypot(0.25, 0.75);
    assertThat(a.blend(base, 0.75).get(0).mean())
        .containsExactly(new float[] {(float) (0.25 / n), (float) (0.75 / n)}, within(1e-6f));
    assertThat(a.blend(base, 1).get(0).mean()).containsExactly(new float[] {0, 1}, within(1e-6f));
    assertThat(a.blend(base, 0).get(0).mean()).isSameAs(base.get(0).mean());
  }

  @Test
  void aWeightOutsideZeroToOneOrAnEmbeddingOfAnotherLengthIsRefused() {
    ArchiveMeans a = new ArchiveMeans();
    a.add("bella", new float[] {0, 1, 0}, false);
    List<GalleryEntry> base = List.of(entry("bella", new float[] {1, 0}, null));
    assertThatThrownBy(() -> a.blend(base, 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 0 and 1, got 1.5");
    assertThatThrownBy(() -> a.blend(base, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 numbers against a mean of 2");
    assertThatThrownBy(() -> a.add("bella", new float[] {1, 0}, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cropsGivenByTheirMeanCountAsEachCropAndNearnessIsAShareOfTheThresholdInTheCropsLight() {
    ArchiveMeans byMean = new ArchiveMeans();
    byMean.add("bella", new float[] {0, 1}, 2, false);
    byMean.add("bella", new float[] {-1, 0}, 1, true);
    byMean.add("rosie", new float[] {1, 0}, 0, false);
    assertThat(byMean.crops("bella", false)).isEqualTo(2);
    assertThat(byMean.crops("rosie", false)).isZero();
    List<GalleryEntry> base = List.of(entry("bella", new float[] {1, 0}, new float[] {0, 1}));
    GalleryEntry half = byMean.blend(base, 0.5).get(0);
    assertThat(half.mean()).containsExactly(new float[] {R, R}, within(1e-6f));
    assertThat(half.infrared().mean()).containsExactly(new float[] {-R, R}, within(1e-6f));

    // colour threshold 0.6, infrared 0.7: (0.6, 0.8) lies 0.894 from (1, 0) and 0.632 from (0, 1)
    GalleryEntry bella = base.get(0);
    float[] crop = {0.6f, 0.8f};
    assertThat(ArchiveMeans.within(bella, crop, false, 1.5)).isTrue(); // 0.894 <= 0.9
    assertThat(ArchiveMeans.within(bella, crop, false, 1.4)).isFalse(); // 0.894 > 0.84
    assertThat(ArchiveMeans.within(bella, crop, true, 0.95)).isTrue(); // 0.632 <= 0.665
    assertThat(ArchiveMeans.within(bella, crop, true, 0.85)).isFalse(); // 0.632 > 0.595
    assertThat(ArchiveMeans.within(bella, crop, false, Double.POSITIVE_INFINITY)).isTrue();
    // an infrared crop of an animal without an infrared mean is measured against its colour mean
    GalleryEntry rosie = entry("rosie", new float[] {1, 0}, null);
    assertThat(ArchiveMeans.within(rosie, crop, true, 1.4)).isFalse();
  }
}
