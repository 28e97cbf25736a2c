package org.farmid.models.pretrained;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * A TensorFlow.js layers model (Keras layer configs in {@code model.json}, weights in binary
 * shards) rebuilt as a TensorFlow Java graph, layer by layer, in inference mode. The layers
 * MobileNet-style networks use are known: InputLayer, ZeroPadding2D, Conv2D, DepthwiseConv2D,
 * BatchNormalization, ReLU, Activation, Add, AveragePooling2D, MaxPooling2D,
 * GlobalAveragePooling2D, Flatten, Dropout, Dense; any other is refused naming it.
 */
public final class TfjsLayersModel {

  private final Path dir;
  private final List<JsonNode> layers;
  private final Map<String, TfjsWeights.Weight> weights;

  private TfjsLayersModel(
      Path dir, List<JsonNode> layers, Map<String, TfjsWeights.Weight> weights) {
    this.dir = dir;
    this.layers = layers;
    this.weights = weights;
  }

  /** Reads {@code DIR/model.json} and its shards; errors name the file. */
  public static TfjsLayersModel read(Path dir) throws IOException {
    Path file = dir.resolve("model.json");
    JsonNode root = TfjsWeights.modelJson(dir);
    JsonNode config = root.path("modelTopology").path("model_config").path("config");
    if (!config.path("layers").isArray()) {
      throw new IOException(
          file + " is no TensorFlow.js layers model (no modelTopology.model_config.config.layers)");
    }
    List<JsonNode> layers = new ArrayList<>();
    config.path("layers").forEach(layers::add);
    return new TfjsLayersModel(dir, layers, TfjsWeights.read(dir, root.path("weightsManifest")));
  }

  /** Every weight by its manifest name ({@code layer/kernel}, {@code layer/gamma}, ...). */
  public Map<String, TfjsWeights.Weight> weights() {
    return weights;
  }

  /** The layer names, in the model's order. */
  public List<String> layerNames() {
    return layers.stream().map(l -> l.path("name").asText()).toList();
  }

  /** Height and width of the input the model was made for. */
  public int[] inputSize() {
    JsonNode shape = layers.get(0).path("config").path("batch_input_shape");
    return new int[] {shape.path(1).asInt(), shape.path(2).asInt()};
  }

  /**
   * Builds every layer on {@code input} (NHWC float32, the values the model expects) and returns
   * each layer's output by name. {@code weight} turns each weight into an operand: a constant for
   * inference, a variable for fine-tuning.
   */
  public Map<String, Operand<TFloat32>> build(
      Ops tf, Operand<TFloat32> input, Function<TfjsWeights.Weight, Operand<TFloat32>> weight) {
    Map<String, Operand<TFloat32>> out = new LinkedHashMap<>();
    for (JsonNode layer : layers) {
      String name = layer.path("name").asText();
      String kind = layer.path("class_name").asText();
      JsonNode c = layer.path("config");
      List<Operand<TFloat32>> in = new ArrayList<>();
      JsonNode nodes = layer.path("inbound_nodes");
      if (nodes.size() > 0) {
        for (JsonNode i : nodes.get(0)) {
          Operand<TFloat32> x = out.get(i.get(0).asText());
          if (x == null) {
            throw new IllegalArgumentException(
                "layer "
                    + name
                    + " reads "
                    + i.get(0).asText()
                    + ", which comes later or not at all");
          }
          in.add(x);
        }
      }
      Function<String, Operand<TFloat32>> w =
          key -> {
            TfjsWeights.Weight v = weights.get(name + "/" + key);
            if (v == null) {
              throw new IllegalArgumentException(
                  "layer " + name + " (" + kind + ") has no weight " + key + " in " + dir);
            }
            return weight.apply(v);
          };
      Operand<TFloat32> y =
          switch (kind) {
            case "InputLayer" -> input;
            case "ZeroPadding2D" -> {
              int[][] p = padding(c.path("padding"));
              yield tf.pad(
                  in.get(0),
                  tf.constant(new int[][] {{0, 0}, p[0], p[1], {0, 0}}),
                  tf.constant(0f));
            }
            case "Conv2D" -> {
              Operand<TFloat32> x =
                  tf.nn.conv2d(
                      in.get(0),
                      w.apply("kernel"),
                      strides(c),
                      pad(c),
                      org.tensorflow.op.nn.Conv2d.dilations(dilations(c)));
              yield activation(tf, c, bias(tf, c, x, w), name);
            }
            case "DepthwiseConv2D" -> {
              if (c.path("depth_multiplier").asInt(1) != 1) {
                throw new IllegalArgumentException(
                    "layer " + name + ": depth_multiplier other than 1 is not supported");
              }
              Operand<TFloat32> x =
                  tf.nn.depthwiseConv2dNative(
                      in.get(0), w.apply("depthwise_kernel"), strides(c), pad(c));
              yield activation(tf, c, bias(tf, c, x, w), name);
            }
            case "BatchNormalization" -> {
              long channels = in.get(0).shape().get(3);
              Operand<TFloat32> gamma =
                  c.path("scale").asBoolean(true)
                      ? w.apply("gamma")
                      : tf.fill(tf.constant(new long[] {channels}), tf.constant(1f));
              Operand<TFloat32> beta =
                  c.path("center").asBoolean(true)
                      ? w.apply("beta")
                      : tf.fill(tf.constant(new long[] {channels}), tf.constant(0f));
              yield tf.nn
                  .fusedBatchNorm(
                      in.get(0),
                      gamma,
                      beta,
                      w.apply("moving_mean"),
                      w.apply("moving_variance"),
                      FusedBatchNorm.epsilon((float) c.path("epsilon").asDouble(1e-3)),
                      FusedBatchNorm.isTraining(false))
                  .y();
            }
            case "ReLU" -> {
              double max = c.path("max_value").asDouble(Double.NaN);
              if (c.path("negative_slope").asDouble(0) != 0
                  || c.path("threshold").asDouble(0) != 0) {
                throw new IllegalArgumentException(
                    "layer " + name + ": ReLU with a negative slope or threshold is not supported");
              }
              yield max == 6
                  ? tf.nn.relu6(in.get(0))
                  : Double.isNaN(max)
                      ? tf.nn.relu(in.get(0))
                      : tf.math.minimum(tf.nn.relu(in.get(0)), tf.constant((float) max));
            }
            case "Activation" -> activation(tf, c, in.get(0), name);
            case "Add" -> {
              Operand<TFloat32> s = in.get(0);
              for (int i = 1; i < in.size(); i++) {
                s = tf.math.add(s, in.get(i));
              }
              yield s;
            }
            case "AveragePooling2D", "MaxPooling2D" -> {
              List<Long> size = window(c.path("pool_size"));
              List<Long> stride =
                  c.path("strides").isNull() || c.path("strides").isMissingNode()
                      ? size
                      : window(c.path("strides"));
              List<Long> k = List.of(1L, size.get(0), size.get(1), 1L);
              List<Long> st = List.of(1L, stride.get(0), stride.get(1), 1L);
              yield kind.equals("AveragePooling2D")
                  ? tf.nn.avgPool(in.get(0), k, st, pad(c))
                  : tf.nn.maxPool(
                      in.get(0), tf.constant(toInts(size)), tf.constant(toInts(stride)), pad(c));
            }
            case "GlobalAveragePooling2D" ->
                tf.math.mean(in.get(0), tf.constant(new int[] {1, 2}), Mean.keepDims(false));
            case "Flatten" -> {
              long n = 1;
              for (int d = 1; d < in.get(0).shape().numDimensions(); d++) {
                n *= in.get(0).shape().get(d);
              }
              yield tf.reshape(in.get(0), tf.constant(new long[] {-1, n}));
            }
            case "Dropout" -> in.get(0);
            case "Dense" -> {
              Operand<TFloat32> x = tf.linalg.matMul(in.get(0), w.apply("kernel"));
              if (c.path("use_bias").asBoolean(true)) {
                x = tf.math.add(x, w.apply("bias"));
              }
              yield activation(tf, c, x, name);
            }
            default ->
                throw new IllegalArgumentException(
                    "layer "
                        + name
                        + ": layer class "
                        + kind
                        + " is not supported by the importer");
          };
      out.put(name, y);
    }
    return out;
  }

  private static Operand<TFloat32> bias(
      Ops tf, JsonNode c, Operand<TFloat32> x, Function<String, Operand<TFloat32>> w) {
    return c.path("use_bias").asBoolean(true) ? tf.nn.biasAdd(x, w.apply("bias")) : x;
  }

  private static Operand<TFloat32> activation(
      Ops tf, JsonNode c, Operand<TFloat32> x, String layer) {
    String a = c.path("activation").asText("linear");
    return switch (a) {
      case "linear" -> x;
      case "relu" -> tf.nn.relu(x);
      case "relu6" -> tf.nn.relu6(x);
      case "sigmoid" -> tf.math.sigmoid(x);
      case "tanh" -> tf.math.tanh(x);
      case "softmax" -> tf.nn.softmax(x);
      default ->
          throw new IllegalArgumentException(
              "layer " + layer + ": activation " + a + " is not supported by the importer");
    };
  }

  private static String pad(JsonNode c) {
    return c.path("padding").asText("valid").equalsIgnoreCase("same") ? "SAME" : "VALID";
  }

  private static List<Long> strides(JsonNode c) {
    List<Long> s = window(c.path("strides"));
    return List.of(1L, s.get(0), s.get(1), 1L);
  }

  private static List<Long> dilations(JsonNode c) {
    if (c.path("dilation_rate").isMissingNode()) {
      return List.of(1L, 1L, 1L, 1L);
    }
    List<Long> d = window(c.path("dilation_rate"));
    return List.of(1L, d.get(0), d.get(1), 1L);
  }

  /** [2, 2], [2] or 2 as a pair of longs (the layer's window or stride). */
  private static List<Long> window(JsonNode v) {
    if (v.isArray()) {
      return v.size() == 1
          ? List.of(v.get(0).asLong(), v.get(0).asLong())
          : List.of(v.get(0).asLong(), v.get(1).asLong());
    }
    return List.of(v.asLong(1), v.asLong(1));
  }

  private static int[] toInts(List<Long> hw) {
    return new int[] {1, hw.get(0).intValue(), hw.get(1).intValue(), 1};
  }

  /** ZeroPadding2D's padding: n, [h, w] or [[top, bottom], [left, right]]. */
  private static int[][] padding(JsonNode p) {
    if (!p.isArray()) {
      return new int[][] {{p.asInt(), p.asInt()}, {p.asInt(), p.asInt()}};
    }
    if (!p.get(0).isArray()) {
      return new int[][] {
        {p.get(0).asInt(), p.get(0).asInt()}, {p.get(1).asInt(), p.get(1).asInt()}
      };
    }
    return new int[][] {
      {p.get(0).get(0).asInt(), p.get(0).get(1).asInt()},
      {p.get(1).get(0).asInt(), p.get(1).get(1).asInt()}
    };
  }
}
