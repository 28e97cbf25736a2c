package org.farmid.common.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.farmid.common.geom.Box;
import org.farmid.common.image.Jitter;
import org.junit.jupiter.api.Test;

class AugmentationTest {

  @Test
  void partialViewKeepsOneSideOfTheCropOrTheWholeOfIt() {
    SplittableRandom rnd = new SplittableRandom(3);
    int whole = 0;
    int[] cutSides = new int[4];
    for (int i = 0; i < 2000; i++) {
      Box b = Augmentation.partialView(200, 100, 0.5, rnd);
      if (b.equals(new Box(0, 0, 200, 100))) {
        whole++;
        continue;
      }
      // Exactly one axis is shortened, to 45%..90% of it, and the box stays against the far side.
      boolean horizontal = b.height() == 100;
      double keep = horizontal ? b.width() / 200 : b.height() / 100;
      assertThat(keep).isBetween(0.45, 0.9);
      if (horizontal) {
        assertThat(b.top()).isZero();
        assertThat(b.left() == 0 || Math.abs(b.right() - 200) < 1e-9).isTrue();
        cutSides[b.left() == 0 ? 0 : 1]++;
      } else {
        assertThat(b.width()).isEqualTo(200);
        assertThat(b.top() == 0 || Math.abs(b.bottom() - 100) < 1e-9).isTrue();
        cutSides[b.top() == 0 ? 2 : 3]++;
      }
    }
    assertThat(whole).isBetween(900, 1100);
    assertThat(java.util.Arrays.stream(cutSides).min().getAsInt()).isGreaterThan(200);
    assertThat(Augmentation.partialView(50, 40, 0, rnd)).isEqualTo(new Box(0, 0, 50, 40));
  }

  @Test
  void occludeCopiesOneEdgeBandOfTheOtherCropAndNothingElse() {
    int size = 10;
    SplittableRandom rnd = new SplittableRandom(11);
    for (int trial = 0; trial < 200; trial++) {
      byte[] rgb = new byte[size * size * 3];
      byte[] other = new byte[size * size * 3];
      java.util.Arrays.fill(rgb, (byte) 1);
      java.util.Arrays.fill(other, (byte) 2);
      int[] band = Augmentation.occlude(rgb, other, size, rnd);
      assertThat(band).isNotNull();
      int x0 = band[0];
      int y0 = band[1];
      int w = band[2];
      int h = band[3];
      // 2..4 pixels deep (15%..40% of 10) against one side of the crop, 5..10 long.
      assertThat(Math.min(w, h)).isBetween(2, 4);
      assertThat(Math.max(w, h)).isBetween(5, 10);
      if (w < h) {
        assertThat(x0 == 0 || x0 + w == size).isTrue();
      } else {
        assertThat(y0 == 0 || y0 + h == size).isTrue();
      }
      int pasted = 0;
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          boolean inside = x >= x0 && x < x0 + w && y >= y0 && y < y0 + h;
          for (int c = 0; c < 3; c++) {
            assertThat(rgb[(y * size + x) * 3 + c]).isEqualTo((byte) (inside ? 2 : 1));
          }
          pasted += inside ? 1 : 0;
        }
      }
      assertThat(pasted).isEqualTo(w * h);
    }
  }

  @Test
  void occludeRefusesCropsOfAnotherSize() {
    byte[] rgb = new byte[4 * 4 * 3];
    assertThatThrownBy(() -> Augmentation.occlude(rgb, new byte[3], 4, new SplittableRandom(1)))
        .hasMessageContaining("4x4");
  }

  @Test
  void aShareOfZeroDrawsNoRandomNumber() {
    // so training without partial views follows the same random stream as before they existed
    SplittableRandom a = new SplittableRandom(5);
    SplittableRandom b = new SplittableRandom(5);
    assertThat(Augmentation.partialView(30, 20, 0, a)).isEqualTo(new Box(0, 0, 30, 20));
    assertThat(a.nextLong()).isEqualTo(b.nextLong());
  }

  @Test
  void flipsAreLimitedToTheAllowedMirrorsAndTheOtherChangesStayTheSame() {
    int[] flipped = new int[3]; // left-right, upside-down, both
    SplittableRandom all = new SplittableRandom(11);
    SplittableRandom lr = new SplittableRandom(11);
    SplittableRandom none = new SplittableRandom(11);
    for (int i = 0; i < 400; i++) {
      var a = Augmentation.jitter(all, Augmentation.Flips.BOTH);
      var b = Augmentation.jitter(lr, Augmentation.Flips.LEFT_RIGHT);
      var c = Augmentation.jitter(none, Augmentation.Flips.NONE);
      flipped[0] += a.flipX() ? 1 : 0;
      flipped[1] += a.flipY() ? 1 : 0;
      flipped[2] += a.flipX() && a.flipY() ? 1 : 0;
      // the same rotation, zoom and shift whatever the flips, and only the allowed mirrors
      assertThat(b)
          .isEqualTo(
              new Jitter(a.angleRadians(), a.scale(), a.shiftX(), a.shiftY(), a.flipX(), false));
      assertThat(c)
          .isEqualTo(new Jitter(a.angleRadians(), a.scale(), a.shiftX(), a.shiftY(), false, false));
    }
    // each flip about one time in two, independently (400 draws: 200 +- 40, 100 +- 30)
    assertThat(flipped[0]).isBetween(160, 240);
    assertThat(flipped[1]).isBetween(160, 240);
    assertThat(flipped[2]).isBetween(70, 130);
    // the one-argument form is both flips, drawing the same numbers
    SplittableRandom x = new SplittableRandom(4);
    SplittableRandom y = new SplittableRandom(4);
    assertThat(Augmentation.jitter(x)).isEqualTo(Augmentation.jitter(y, Augmentation.Flips.BOTH));
  }

  @Test
  void flipsAreNamedByTheirSettingValue() {
    assertThat(Augmentation.Flips.byKey("left-right")).isEqualTo(Augmentation.Flips.LEFT_RIGHT);
    assertThat(Augmentation.Flips.byKey("none")).isEqualTo(Augmentation.Flips.NONE);
    assertThat(Augmentation.Flips.byKey("both").key()).isEqualTo("both");
    assertThat(Augmentation.Flips.byKey("x")).isNull();
  }
}
