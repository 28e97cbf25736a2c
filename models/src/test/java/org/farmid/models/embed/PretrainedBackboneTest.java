package org.farmid.models.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.farmid.models.pretrained.MobileNetV2Backbone;
import org.farmid.models.pretrained.TfjsLayersModel;
import org.farmid.models.tf.TensorFlowNatives;
import org.junit.jupiter.api.Test;

/** The pretrained MobileNetV2's weights land on the embedder's backbone, block by block. */
class PretrainedBackboneTest {
  static final Path MODEL =
      Path.of(System.getProperty("basedir", "."), "pretrained", "mobilenet_v2");

  private static EmbedderArchitecture arch(double width, int blocks) {
    return new EmbedderArchitecture(
        96, 96, width, blocks, 64, 256, 0.5, 0.3, "batch-hard", false, "flatten");
  }

  @Test
  void everyBackboneWeightUpToTheCutComesFromTheKerasLayerOfTheSameRole() throws IOException {
    TensorFlowNatives.ensureLoaded();
    TfjsLayersModel model = TfjsLayersModel.read(MODEL);
    try (EmbedderGraph g = new EmbedderGraph(arch(1.0, 3), 1, 4, 0f, 0f, 1f)) {
      Map<String, float[]> w = MobileNetV2Backbone.weightsFor(model, g.params);
      // Stem: conv + 4 batch-norm vectors; block 0: dw, project (+4 each); blocks 1 and 2:
      // expand, dw, project (+4 each): 5 + 10 + 15 + 15.
      assertThat(w).hasSize(45);
      assertThat(w.get("stem/conv/w")).isEqualTo(model.weights().get("Conv1/kernel").values());
      assertThat(w.get("block0/dw/w"))
          .isEqualTo(model.weights().get("expanded_conv_depthwise/depthwise_kernel").values());
      assertThat(w.get("block2/expand/bn/moving_variance"))
          .isEqualTo(model.weights().get("block_2_expand_BN/moving_variance").values());
      assertThat(w).doesNotContainKey("block3/dw/w").doesNotContainKey("head/dense1/w");
    }
    try (EmbedderGraph half = new EmbedderGraph(arch(0.5, 3), 1, 4, 0f, 0f, 1f)) {
      assertThatThrownBy(() -> MobileNetV2Backbone.weightsFor(model, half.params))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "the backbone's Conv1/kernel is [3, 3, 3, 32], the embedder's stem/conv/w is"
                  + " [3, 3, 3, 16]: the backbone is MobileNetV2 width 1.0, so set"
                  + " embedder.width = 1.0");
    }
  }
}
