package org.farmid.common.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class EmbedderEnsembleTest {

  /** Embeds every input as {@code vector}; inputs of {@code size x size}. */
  private record Fixed(String modelId, int size, float[] vector) implements Embedder {
    @Override
    public int inputWidth() {
      return size;
    }

    @Override
    public int inputHeight() {
      return size;
    }

    @Override
    public int embeddingSize() {
      return vector.length;
    }

    @Override
    public float[][] embed(List<byte[]> inputs) {
      return inputs.stream().map(i -> vector.clone()).toArray(float[][]::new);
    }
  }

  @Test
  void membersSitSideBySideRenormalised() {
    Embedder a = new Fixed("a", 8, new float[] {1, 0});
    Embedder b = new Fixed("b", 8, new float[] {0.6f, 0.8f, 0});
    Embedder e = EmbedderEnsemble.of(List.of(a, b));
    assertThat(e.embeddingSize()).isEqualTo(5);
    assertThat(e.modelId()).isEqualTo("ensemble(a+b)");
    assertThat(e.inputWidth()).isEqualTo(8);
    float[][] out = e.embed(List.of(new byte[8 * 8 * 3], new byte[8 * 8 * 3]));
    assertThat(out).hasNumberOfRows(2);
    double r = 1 / Math.sqrt(2);
    double[] expected = {r, 0, 0.6 * r, 0.8 * r, 0};
    for (int i = 0; i < 5; i++) {
      assertThat((double) out[1][i]).isCloseTo(expected[i], within(1e-6));
    }
    // one member is itself
    assertThat(EmbedderEnsemble.of(List.of(a))).isSameAs(a);
  }

  @Test
  void membersOfAnotherInputAreRefusedNamingBoth() {
    Embedder a = new Fixed("a", 8, new float[] {1, 0});
    Embedder c = new Fixed("c", 16, new float[] {1, 0});
    assertThatThrownBy(() -> EmbedderEnsemble.of(List.of(a, c)))
        .hasMessageContaining("an ensemble's embedders must take one input: a takes 8x8 (")
        .hasMessageContaining(", c takes 16x16 (");
    assertThatThrownBy(() -> EmbedderEnsemble.of(List.of()))
        .hasMessage("an ensemble needs at least one embedder");
  }
}
