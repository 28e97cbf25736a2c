package org.farmid.common.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.farmid.common.image.FrameLight;
import org.junit.jupiter.api.Test;

class InfraredLookTest {
  /** A red pixel (200, 40, 40) and a white one (240, 240, 240), packed RGB. */
  private static final byte[] RED_AND_WHITE = {
    (byte) 200, 40, 40, (byte) 240, (byte) 240, (byte) 240
  };

  private static int[] bytes(byte[] p) {
    int[] out = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = p[i] & 0xff;
    }
    return out;
  }

  @Test
  void turnsEachPixelIntoOneGreyOfItsLuminance() {
    // luminance (77 R + 150 G + 29 B) >> 8: red 22560 >> 8 = 88, white 240
    assertThat(bytes(InfraredLook.LUMINANCE.apply(RED_AND_WHITE)))
        .containsExactly(88, 88, 88, 240, 240, 240);
    // synth's night: 55 + 140/256 x luminance: 103.1 -> 103, 186.25 -> 186
    assertThat(bytes(InfraredLook.SYNTH.apply(RED_AND_WHITE)))
        .containsExactly(103, 103, 103, 186, 186, 186);
    // brighter than white clamps at 255
    assertThat(bytes(new InfraredLook(1.2, 10).apply(RED_AND_WHITE)))
        .containsExactly(116, 116, 116, 255, 255, 255);
    assertThat(bytes(RED_AND_WHITE)).as("the input is left as it was").startsWith(200, 40, 40);
  }

  @Test
  void parsesContrastAndOffsetAndNamesWhatItExpected() {
    assertThat(InfraredLook.parse("0.547, 55")).isEqualTo(new InfraredLook(0.547, 55));
    assertThatThrownBy(() -> InfraredLook.parse("0.5"))
        .hasMessageContaining("CONTRAST,OFFSET (such as 0.547,55), got '0.5'");
    assertThatThrownBy(() -> InfraredLook.parse("a,b")).hasMessageContaining("got 'a,b'");
    assertThatThrownBy(() -> InfraredLook.parse("0,55")).hasMessageContaining("contrast=0.0");
    assertThatThrownBy(() -> InfraredLook.parse("1,300")).hasMessageContaining("offset=300.0");
  }

  @Test
  void theEmbedderSeesItsInputsInTheLookAndSaysSo() {
    List<byte[]> seen = new ArrayList<>();
    Embedder base =
        new Embedder() {
          public int inputWidth() {
            return 2;
          }

          public int inputHeight() {
            return 1;
          }

          public int embeddingSize() {
            return 1;
          }

          public String modelId() {
            return "m";
          }

          public float[][] embed(List<byte[]> inputs) {
            seen.addAll(inputs);
            return new float[inputs.size()][1];
          }
        };
    Embedder night = InfraredLook.SYNTH.embedder(base);
    assertThat(night.embed(List.of(RED_AND_WHITE))).hasDimensions(1, 1);
    assertThat(bytes(seen.get(0))).containsExactly(103, 103, 103, 186, 186, 186);
    assertThat(night.modelId()).isEqualTo("m+infrared(0.546875,55.0)");
    assertThat(night.inputWidth()).isEqualTo(2);
  }

  @Test
  void aGreyPictureIsInfraredAndAColourOneIsNot() {
    BufferedImage colour = new BufferedImage(4, 4, BufferedImage.TYPE_3BYTE_BGR);
    BufferedImage grey = new BufferedImage(4, 4, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        colour.setRGB(x, y, 0xc82828); // (200, 40, 40)
        grey.setRGB(x, y, 0x676767);
      }
    }
    assertThat(FrameLight.isInfrared(colour)).isFalse();
    assertThat(FrameLight.isInfrared(grey)).isTrue();
  }

  /** A 40x30 grey scene: a floor graded 40-235 left to right, a white animal at {@code animalX}. */
  private static byte[] scene(int animalX, java.util.function.IntUnaryOperator look) {
    byte[] p = new byte[3 * 40 * 30];
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        int v = x >= animalX && x < animalX + 8 && y >= 10 && y < 18 ? 250 : 40 + 5 * x;
        int g = look.applyAsInt(v);
        int i = 3 * (y * 40 + x);
        p[i] = (byte) g;
        p[i + 1] = (byte) g;
        p[i + 2] = (byte) g;
      }
    }
    return p;
  }

  @Test
  void fitsACamerasNightLookThroughTheMediansOfItsStillPixels() {
    java.util.function.IntUnaryOperator same = v -> v;
    java.util.function.IntUnaryOperator synth = v -> (int) Math.round(55 + 0.547 * v);
    // the animal moves, so every pixel shows the floor in most frames
    List<byte[]> day = List.of(scene(0, same), scene(15, same), scene(30, same));
    List<byte[]> night = List.of(scene(5, synth), scene(20, synth), scene(32, synth));
    InfraredLook.Fit fit = InfraredLook.fit(day, night, 40, 30, 1);
    assertThat(fit.pixels()).isEqualTo(1200);
    assertThat(fit.look().contrast()).isCloseTo(0.547, org.assertj.core.data.Offset.offset(0.002));
    assertThat(fit.look().offset()).isCloseTo(55, org.assertj.core.data.Offset.offset(0.3));
    assertThat(fit.residualSd()).isLessThan(0.5);
    assertThat(InfraredLook.fit(day, night, 40, 30, 4).pixels()).isEqualTo(10 * 8);
    assertThatThrownBy(() -> InfraredLook.fit(day, List.of(), 40, 30, 1))
        .hasMessageContaining("got 3 day and 0 night");
    assertThatThrownBy(() -> InfraredLook.fit(day, List.of(new byte[6]), 40, 30, 1))
        .hasMessageContaining("frames must all be 40x30 (3600 bytes), got one of 6");
  }

  @Test
  void nightQueriesAreTheInfraredCropsOfAnimalsThatAlsoHaveColourOnes(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    BufferedImage colour = new BufferedImage(4, 4, BufferedImage.TYPE_3BYTE_BGR);
    BufferedImage grey = new BufferedImage(4, 4, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        colour.setRGB(x, y, 0xc82828);
        grey.setRGB(x, y, 0x676767);
      }
    }
    // a: two colour crops and one grey; b: colour only; c: grey only
    String[][] files = {
      {"a", "1", "c"}, {"a", "2", "g"}, {"a", "3", "c"}, {"b", "1", "c"}, {"c", "1", "g"}
    };
    List<org.farmid.common.train.LabelledCrops.Crop> crops = new ArrayList<>();
    for (String[] f : files) {
      java.nio.file.Path p =
          java.nio.file.Files.createDirectories(dir.resolve(f[0])).resolve(f[1] + ".png");
      javax.imageio.ImageIO.write(f[2].equals("c") ? colour : grey, "png", p.toFile());
      crops.add(new org.farmid.common.train.LabelledCrops.Crop(p, f[0], ""));
    }
    CropEvaluation.Split split = CropEvaluation.nightQueries(crops);
    assertThat(split.gallery())
        .extracting(c -> c.path().getFileName().toString(), c -> c.identity())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("1.png", "a"),
            org.assertj.core.groups.Tuple.tuple("3.png", "a"));
    assertThat(split.queries())
        .extracting(c -> c.path().getFileName().toString(), c -> c.identity())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("2.png", "a"));
  }
}
