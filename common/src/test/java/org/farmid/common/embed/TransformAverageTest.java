package org.farmid.common.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransformAverageTest {
  /** 2x2 RGB picture whose pixel (x, y) holds the value 10 * (y * 2 + x + 1) in all channels. */
  private static byte[] square2() {
    byte[] p = new byte[2 * 2 * 3];
    for (int i = 0; i < 4; i++) {
      for (int c = 0; c < 3; c++) {
        p[i * 3 + c] = (byte) (10 * (i + 1));
      }
    }
    return p;
  }

  /** The red channel of a picture, pixel by pixel, row by row. */
  private static int[] red(byte[] p) {
    int[] r = new int[p.length / 3];
    for (int i = 0; i < r.length; i++) {
      r[i] = p[i * 3] & 0xff;
    }
    return r;
  }

  @Test
  void theEightTransformsOfASquareAreItsMirrorsAndTurns() {
    // picture  10 20    (row 0)
    //          30 40    (row 1)
    byte[] p = square2();
    assertThat(red(TransformAverage.transform(p, 2, 2, 0))).containsExactly(10, 20, 30, 40);
    assertThat(red(TransformAverage.transform(p, 2, 2, 1))).containsExactly(20, 10, 40, 30);
    assertThat(red(TransformAverage.transform(p, 2, 2, 2))).containsExactly(30, 40, 10, 20);
    assertThat(red(TransformAverage.transform(p, 2, 2, 3))).containsExactly(40, 30, 20, 10);
    assertThat(red(TransformAverage.transform(p, 2, 2, 4))).containsExactly(10, 30, 20, 40);
    // a quarter turn clockwise and one anticlockwise
    assertThat(red(TransformAverage.transform(p, 2, 2, 5))).containsExactly(30, 10, 40, 20);
    assertThat(red(TransformAverage.transform(p, 2, 2, 6))).containsExactly(20, 40, 10, 30);
    assertThat(red(TransformAverage.transform(p, 2, 2, 7))).containsExactly(40, 20, 30, 10);
    // channels move with their pixel
    byte[] rgb = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    assertThat(TransformAverage.transform(rgb, 2, 2, 3))
        .containsExactly(10, 11, 12, 7, 8, 9, 4, 5, 6, 1, 2, 3);
    assertThat(TransformAverage.transform(rgb, 1, 4, 2))
        .containsExactly(10, 11, 12, 7, 8, 9, 4, 5, 6, 1, 2, 3);
  }

  @Test
  void theAverageIsTheNormalisedMeanOfTheTransformsEmbeddings() {
    // the fake model embeds a 2x2 picture as (its top-left red value, its top-right one)
    Fake fake = new Fake(2, 2);
    Embedder flips = TransformAverage.of(fake, TransformAverage.Mode.FLIPS);
    float[] e = flips.embed(List.of(square2()))[0];
    // flips 0..3 give (10, 20), (20, 10), (30, 40), (40, 30): sum (100, 100), unit length
    assertThat(e[0]).isCloseTo((float) Math.sqrt(0.5), within(1e-6f));
    assertThat(e[1]).isCloseTo((float) Math.sqrt(0.5), within(1e-6f));
    assertThat(fake.seen).isEqualTo(4);
    assertThat(flips.modelId()).isEqualTo("fake+flips");
    assertThat(TransformAverage.of(fake, TransformAverage.Mode.NONE)).isSameAs(fake);
  }

  @Test
  void theDihedralAverageIsTheSameForEveryTurnAndMirrorOfACrop() {
    Fake fake = new Fake(3, 3);
    Embedder dihedral = TransformAverage.of(fake, TransformAverage.Mode.DIHEDRAL);
    byte[] crop = new byte[27];
    for (int i = 0; i < crop.length; i++) {
      crop[i] = (byte) (i * 37 % 251);
    }
    List<byte[]> all = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      all.add(TransformAverage.transform(crop, 3, 3, t));
    }
    float[][] e = dihedral.embed(all);
    assertThat(fake.seen).isEqualTo(64);
    for (int t = 1; t < 8; t++) {
      assertThat(e[t]).as("transform %d", t).containsExactly(e[0], within(1e-6f));
    }
    // the plain model tells a crop from its quarter turn
    float[][] plain = fake.embed(List.of(all.get(0), all.get(5)));
    assertThat(plain[0][0]).isNotEqualTo(plain[1][0]);
  }

  @Test
  void quarterTurnsOfANonSquareInputAreRefusedNamingTheSize() {
    assertThatThrownBy(() -> TransformAverage.of(new Fake(4, 2), TransformAverage.Mode.DIHEDRAL))
        .hasMessageContaining("fake takes 4x2")
        .hasMessageContaining("use 'flips'");
    assertThatThrownBy(() -> TransformAverage.transform(new byte[24], 4, 2, 4))
        .hasMessageContaining("square");
    assertThat(TransformAverage.Mode.byKey("dihedral")).isEqualTo(TransformAverage.Mode.DIHEDRAL);
    assertThat(TransformAverage.Mode.byKey("spin")).isNull();
  }

  /** Embeds a picture as its first two red values, unnormalised; counts what it was given. */
  private static final class Fake implements Embedder {
    private final int width;
    private final int height;
    int seen;

    Fake(int width, int height) {
      this.width = width;
      this.height = height;
    }

    @Override
    public int inputWidth() {
      return width;
    }

    @Override
    public int inputHeight() {
      return height;
    }

    @Override
    public int embeddingSize() {
      return 2;
    }

    @Override
    public String modelId() {
      return "fake";
    }

    @Override
    public float[][] embed(List<byte[]> inputs) {
      seen += inputs.size();
      float[][] out = new float[inputs.size()][];
      for (int i = 0; i < inputs.size(); i++) {
        byte[] p = inputs.get(i);
        out[i] = new float[] {p[0] & 0xff, p[3] & 0xff};
      }
      return out;
    }
  }
}
