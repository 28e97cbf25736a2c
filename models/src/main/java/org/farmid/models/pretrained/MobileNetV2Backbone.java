package org.farmid.models.pretrained;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.farmid.models.tf.NetworkGraph;

/**
 * Maps the weights of a Keras MobileNetV2 (as {@code keras.applications} names its layers: {@code
 * Conv1}, {@code bn_Conv1}, {@code expanded_conv_*}, {@code block_N_expand}, ...) onto the backbone
 * the embedder builds ({@code stem/conv}, {@code stem/bn}, {@code blockN/expand}, {@code
 * blockN/dw}, {@code blockN/project} and their batch norms), block by block up to the embedder's
 * cut. The head stays as the embedder drew it.
 */
public final class MobileNetV2Backbone {
  private static final String[] BN = {"gamma", "beta", "moving_mean", "moving_variance"};

  private MobileNetV2Backbone() {}

  /**
   * The starting values of every backbone weight of {@code params} that the model holds; a weight
   * of another shape (another width) is refused naming both shapes.
   */
  public static Map<String, float[]> weightsFor(
      TfjsLayersModel model, Map<String, NetworkGraph.Param> params) {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("stem/conv/w", "Conv1/kernel");
    bn(names, "stem/bn", "bn_Conv1");
    for (int b = 0; b < 17; b++) {
      String k = b == 0 ? "expanded_conv" : "block_" + b;
      String ours = "block" + b;
      if (b > 0) {
        names.put(ours + "/expand/w", k + "_expand/kernel");
        bn(names, ours + "/expand/bn", k + "_expand_BN");
      }
      names.put(ours + "/dw/w", k + "_depthwise/depthwise_kernel");
      bn(names, ours + "/dw/bn", k + "_depthwise_BN");
      names.put(ours + "/project/w", k + "_project/kernel");
      bn(names, ours + "/project/bn", k + "_project_BN");
    }
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : names.entrySet()) {
      NetworkGraph.Param p = params.get(e.getKey());
      if (p == null) {
        continue; // past the embedder's cut
      }
      TfjsWeights.Weight w = model.weights().get(e.getValue());
      if (w == null) {
        throw new IllegalArgumentException(
            "the backbone has no weight "
                + e.getValue()
                + " for the embedder's "
                + e.getKey()
                + " (is it a Keras MobileNetV2?)");
      }
      if (!Arrays.equals(w.shape(), p.shape())) {
        throw new IllegalArgumentException(
            "the backbone's "
                + e.getValue()
                + " is "
                + Arrays.toString(w.shape())
                + ", the embedder's "
                + e.getKey()
                + " is "
                + Arrays.toString(p.shape())
                + ": the backbone is MobileNetV2 width 1.0, so set embedder.width = 1.0");
      }
      out.put(e.getKey(), w.values());
    }
    if (!out.containsKey("stem/conv/w")) {
      throw new IllegalArgumentException("the embedder has no MobileNetV2 stem (stem/conv/w)");
    }
    return out;
  }

  private static void bn(Map<String, String> names, String ours, String keras) {
    for (String f : BN) {
      names.put(ours + "/" + f, keras + "/" + f);
    }
  }
}
