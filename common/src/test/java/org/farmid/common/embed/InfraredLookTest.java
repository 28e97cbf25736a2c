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
}
