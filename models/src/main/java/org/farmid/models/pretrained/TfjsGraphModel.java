package org.farmid.models.pretrained;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TFloat32;

/**
 * A TensorFlow.js graph model ({@code model.json} whose {@code modelTopology} is a TensorFlow
 * GraphDef written as JSON, weights in binary shards) rebuilt in a TensorFlow Java graph node by
 * node with the graph's op builder. Every attribute is carried over as the GraphDef states it (the
 * grappler's internal {@code _}-attributes left out). The ops TensorFlow.js fuses and TensorFlow
 * has no public kernel for are written out as TensorFlow ops: {@code _FusedConv2D}, {@code
 * FusedDepthwiseConv2dNative} and {@code _FusedMatMul} become the convolution or product, {@code
 * BiasAdd} and the activation they name ({@code Relu}, {@code Relu6}, {@code Elu}, {@code Sigmoid},
 * {@code Tanh}, {@code LeakyRelu}, {@code Prelu}). Float constants come from the weight shards
 * through a function the caller gives (a constant for inference, a variable to fine-tune); int32
 * constants are constants.
 */
public final class TfjsGraphModel {

  /** One node of the GraphDef. */
  public record Node(String name, String op, List<String> inputs, JsonNode attr) {}

  private final Path dir;
  private final Map<String, Node> nodes;
  private final Map<String, TfjsWeights.Weight> weights;
  private final Map<String, long[]> inputs;
  private final List<String> outputs;

  private TfjsGraphModel(
      Path dir,
      Map<String, Node> nodes,
      Map<String, TfjsWeights.Weight> weights,
      Map<String, long[]> inputs,
      List<String> outputs) {
    this.dir = dir;
    this.nodes = nodes;
    this.weights = weights;
    this.inputs = inputs;
    this.outputs = outputs;
  }

  /** Reads {@code DIR/model.json} and its shards; errors name the file. */
  public static TfjsGraphModel read(Path dir) throws IOException {
    Path file = dir.resolve("model.json");
    JsonNode root = TfjsWeights.modelJson(dir);
    JsonNode graph = root.path("modelTopology").path("node");
    if (!"graph-model".equals(root.path("format").asText()) || !graph.isArray()) {
      throw new IOException(
          file
              + " is no TensorFlow.js graph model (expected format graph-model and"
              + " modelTopology.node, got format '"
              + root.path("format").asText()
              + "')");
    }
    Map<String, Node> nodes = new LinkedHashMap<>();
    for (JsonNode n : graph) {
      List<String> in = new ArrayList<>();
      n.path("input").forEach(i -> in.add(i.asText()));
      String name = n.path("name").asText();
      nodes.put(name, new Node(name, n.path("op").asText(), in, n.path("attr")));
    }
    Map<String, long[]> inputs = new LinkedHashMap<>();
    List<String> outputs = new ArrayList<>();
    JsonNode sig = root.path("signature");
    sig.path("inputs")
        .fields()
        .forEachRemaining(e -> inputs.put(e.getKey(), dims(e.getValue().path("tensorShape"))));
    sig.path("outputs").fieldNames().forEachRemaining(outputs::add);
    if (inputs.isEmpty()) {
      nodes.values().stream()
          .filter(n -> n.op().equals("Placeholder"))
          .forEach(n -> inputs.put(n.name(), dims(n.attr().path("shape").path("shape"))));
    }
    return new TfjsGraphModel(
        dir, nodes, TfjsWeights.read(dir, root.path("weightsManifest")), inputs, outputs);
  }

  /** Every weight by its manifest name (the name of the Const node it fills). */
  public Map<String, TfjsWeights.Weight> weights() {
    return weights;
  }

  /** The graph's inputs (placeholders) and their shapes, -1 where a size is free. */
  public Map<String, long[]> inputs() {
    return inputs;
  }

  /** The outputs the model's signature names. */
  public List<String> outputs() {
    return outputs;
  }

  /** The nodes, in the file's order. */
  public Map<String, Node> nodes() {
    return nodes;
  }

  /**
   * The int32 constants that give a {@code Resize*} op its output size, each scaled from the input
   * size the model was made for to {@code height x width}: a network with fixed upsampling sizes
   * then runs on another input size. Use as {@code replace} in {@link #build}.
   */
  public Map<String, int[]> resizeSizesFor(int height, int width) {
    long[] made = inputs.values().stream().findFirst().orElse(new long[0]);
    if (made.length != 4 || made[1] <= 0 || made[2] <= 0) {
      throw new IllegalArgumentException(
          "the graph in " + dir + " states no fixed input size to scale its resize sizes from");
    }
    Map<String, int[]> out = new LinkedHashMap<>();
    for (Node n : nodes.values()) {
      if (!n.op().startsWith("Resize") || n.inputs().size() < 2) {
        continue;
      }
      String size = n.inputs().get(1);
      TfjsWeights.Weight w = weights.get(size);
      Node c = nodes.get(size);
      if (w == null || c == null || !c.op().equals("Const") || w.size() != 2) {
        throw new IllegalArgumentException(
            "node " + n.name() + " takes its size from " + size + ", not from a constant pair");
      }
      double h = w.values()[0] * height / (double) made[1];
      double wd = w.values()[1] * width / (double) made[2];
      if (h != Math.rint(h) || wd != Math.rint(wd)) {
        throw new IllegalArgumentException(
            "input "
                + width
                + "x"
                + height
                + " gives node "
                + n.name()
                + " a size of "
                + h
                + " x "
                + wd
                + " cells; choose sides that divide evenly (multiples of 32 for most networks)");
      }
      out.put(size, new int[] {(int) h, (int) wd});
    }
    return out;
  }

  /**
   * Builds the nodes that {@code wanted} (node names, {@code name:k} for an op's k-th output) need
   * and returns each wanted output. {@code feeds} gives each placeholder it reaches; {@code
   * replace} stands in for any node by name (a size computed from the actual input, say); {@code
   * weight} turns each float weight into an operand.
   */
  public Map<String, Output<?>> build(
      Ops tf,
      Map<String, ? extends Operand<?>> feeds,
      Map<String, ? extends Operand<?>> replace,
      Function<TfjsWeights.Weight, Operand<TFloat32>> weight,
      Collection<String> wanted) {
    Builder b = new Builder(tf, feeds, replace, weight);
    Map<String, Output<?>> out = new LinkedHashMap<>();
    for (String ref : wanted) {
      out.put(ref, b.output(ref, ref));
    }
    return out;
  }

  private final class Builder {
    private final Ops tf;
    private final Map<String, ? extends Operand<?>> feeds;
    private final Map<String, ? extends Operand<?>> replace;
    private final Function<TfjsWeights.Weight, Operand<TFloat32>> weight;
    private final Map<String, Output<?>[]> built = new HashMap<>();
    private final Set<String> visiting = new java.util.HashSet<>();

    Builder(
        Ops tf,
        Map<String, ? extends Operand<?>> feeds,
        Map<String, ? extends Operand<?>> replace,
        Function<TfjsWeights.Weight, Operand<TFloat32>> weight) {
      this.tf = tf;
      this.feeds = feeds;
      this.replace = replace;
      this.weight = weight;
    }

    /** Output {@code ref} ({@code name} or {@code name:k}), read by node {@code by}. */
    Output<?> output(String ref, String by) {
      int colon = ref.lastIndexOf(':');
      String name = ref;
      int index = 0;
      if (colon > 0 && ref.substring(colon + 1).chars().allMatch(Character::isDigit)) {
        name = ref.substring(0, colon);
        index = Integer.parseInt(ref.substring(colon + 1));
      }
      Output<?>[] outs = node(name, by);
      if (index >= outs.length) {
        throw new IllegalArgumentException(
            "node " + by + " reads output " + index + " of " + name + ", which has " + outs.length);
      }
      return outs[index];
    }

    private Output<?>[] node(String name, String by) {
      Output<?>[] done = built.get(name);
      if (done != null) {
        return done;
      }
      if (replace.containsKey(name)) {
        Output<?>[] outs = {replace.get(name).asOutput()};
        built.put(name, outs);
        return outs;
      }
      Node n = nodes.get(name);
      if (n == null) {
        throw new IllegalArgumentException(
            "node " + by + " reads " + name + ", which the graph in " + dir + " does not hold");
      }
      if (!visiting.add(name)) {
        throw new IllegalArgumentException("the graph in " + dir + " has a cycle through " + name);
      }
      Output<?>[] outs = make(n);
      visiting.remove(name);
      built.put(name, outs);
      return outs;
    }

    private Output<?>[] make(Node n) {
      switch (n.op()) {
        case "Placeholder" -> {
          Operand<?> fed = feeds.get(n.name());
          if (fed == null) {
            throw new IllegalArgumentException(
                "the graph's input " + n.name() + " is needed but was not fed");
          }
          return new Output<?>[] {fed.asOutput()};
        }
        case "Const" -> {
          return new Output<?>[] {constant(n)};
        }
        case "_FusedConv2D", "FusedDepthwiseConv2dNative", "_FusedMatMul" -> {
          return new Output<?>[] {fused(n)};
        }
        default -> {
          OperationBuilder op = builder(n.op(), n.name());
          List<Operation> control = new ArrayList<>();
          List<Output<?>> data = new ArrayList<>();
          for (String in : n.inputs()) {
            if (in.startsWith("^")) {
              control.add(node(in.substring(1), n.name())[0].op());
            } else {
              data.add(output(in, n.name()));
            }
          }
          // Ops whose first N inputs form one list input (N is an attribute).
          int listed =
              switch (n.op()) {
                case "ConcatV2", "Pack", "AddN", "IdentityN" ->
                    n.attr().path("N").path("i").asInt(data.size());
                default -> 0;
              };
          if (listed > 0) {
            op.addInputList(data.subList(0, listed).toArray(new Output<?>[0]));
          }
          data.subList(listed, data.size()).forEach(op::addInput);
          control.forEach(op::addControlInput);
          copy(n, op, key -> !key.startsWith("_"));
          Operation built;
          try {
            built = op.build();
          } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                "node " + n.name() + " (" + n.op() + ") cannot be built: " + e.getMessage(), e);
          }
          Output<?>[] outs = new Output<?>[built.numOutputs()];
          for (int i = 0; i < outs.length; i++) {
            outs[i] = built.output(i);
          }
          return outs;
        }
      }
    }

    private Output<?> constant(Node n) {
      TfjsWeights.Weight w = weights.get(n.name());
      String dtype = n.attr().path("dtype").path("type").asText();
      if (w == null) {
        throw new IllegalArgumentException(
            "constant " + n.name() + " has no weight in the shards of " + dir);
      }
      return switch (dtype) {
        case "DT_FLOAT" -> weight.apply(w).asOutput();
        case "DT_INT32" -> {
          int[] v = new int[w.size()];
          for (int i = 0; i < v.length; i++) {
            v[i] = (int) w.values()[i];
          }
          yield tf.constant(Shape.of(w.shape()), DataBuffers.of(v, true, false)).asOutput();
        }
        default ->
            throw new IllegalArgumentException(
                "constant " + n.name() + " is " + dtype + "; expected DT_FLOAT or DT_INT32");
      };
    }

    /** A fused convolution or product written out as its TensorFlow ops. */
    private Output<?> fused(Node n) {
      List<String> ops = new ArrayList<>();
      n.attr().path("fused_ops").path("list").path("s").forEach(s -> ops.add(text(s)));
      int numArgs = n.attr().path("num_args").path("i").asInt(0);
      List<String> data = n.inputs().stream().filter(i -> !i.startsWith("^")).toList();
      if (data.size() != 2 + numArgs) {
        throw new IllegalArgumentException(
            "node "
                + n.name()
                + " ("
                + n.op()
                + ") has "
                + data.size()
                + " inputs; num_args "
                + numArgs
                + " needs "
                + (2 + numArgs));
      }
      String base =
          switch (n.op()) {
            case "_FusedConv2D" -> "Conv2D";
            case "FusedDepthwiseConv2dNative" -> "DepthwiseConv2dNative";
            default -> "MatMul";
          };
      Set<String> keep =
          switch (base) {
            case "Conv2D" ->
                Set.of(
                    "T",
                    "strides",
                    "padding",
                    "explicit_paddings",
                    "data_format",
                    "dilations",
                    "use_cudnn_on_gpu");
            case "DepthwiseConv2dNative" ->
                Set.of("T", "strides", "padding", "explicit_paddings", "data_format", "dilations");
            default -> Set.of("T", "transpose_a", "transpose_b");
          };
      OperationBuilder op = builder(base, n.name() + "/" + base);
      op.addInput(output(data.get(0), n.name())).addInput(output(data.get(1), n.name()));
      copy(n, op, keep::contains);
      Output<?> y = op.build().output(0);
      int arg = 2;
      for (String f : ops) {
        switch (f) {
          case "BiasAdd" -> {
            OperationBuilder bias = builder("BiasAdd", n.name() + "/BiasAdd");
            bias.addInput(y).addInput(output(data.get(arg++), n.name()));
            copy(
                n,
                bias,
                (base.equals("MatMul") ? Set.of("T") : Set.of("T", "data_format"))::contains);
            y = bias.build().output(0);
          }
          case "Relu", "Relu6", "Elu", "Sigmoid", "Tanh" -> y = unary(f, n.name(), y);
          case "LeakyRelu" -> {
            OperationBuilder lr = builder("LeakyRelu", n.name() + "/LeakyRelu");
            lr.addInput(y)
                .setAttr("alpha", n.attr().path("leakyrelu_alpha").path("f").floatValue());
            y = lr.build().output(0);
          }
          case "Prelu" -> {
            // max(x, 0) + alpha * min(x, 0), as TensorFlow.js computes prelu.
            @SuppressWarnings("unchecked")
            Operand<TFloat32> x = (Operand<TFloat32>) y;
            @SuppressWarnings("unchecked")
            Operand<TFloat32> alpha = (Operand<TFloat32>) output(data.get(arg++), n.name());
            y =
                tf.math
                    .add(tf.nn.relu(x), tf.math.mul(alpha, tf.math.minimum(x, tf.constant(0f))))
                    .asOutput();
          }
          default ->
              throw new IllegalArgumentException(
                  "node "
                      + n.name()
                      + " ("
                      + n.op()
                      + ") fuses "
                      + f
                      + "; supported: BiasAdd, Relu, Relu6, Elu, Sigmoid, Tanh, LeakyRelu, Prelu");
        }
      }
      return y;
    }

    private Output<?> unary(String op, String name, Output<?> x) {
      return builder(op, name + "/" + op).addInput(x).build().output(0);
    }

    /** An op named as the GraphDef names it, with a suffix where the graph has that name. */
    private OperationBuilder builder(String op, String name) {
      String unique = name;
      if (tf.scope().env() instanceof Graph g) {
        for (int k = 1; g.operation(unique) != null; k++) {
          unique = name + "_" + k;
        }
      }
      return tf.scope().env().opBuilder(op, unique, tf.scope());
    }

    /** Sets on {@code op} each attribute of {@code n} whose name {@code keep} accepts. */
    private void copy(Node n, OperationBuilder op, Predicate<String> keep) {
      n.attr()
          .fields()
          .forEachRemaining(
              e -> {
                if (keep.test(e.getKey())) {
                  op.setAttr(e.getKey(), attr(n, e.getKey(), e.getValue()));
                }
              });
    }
  }

  /** One attribute as the GraphDef's JSON writes an AttrValue. */
  static AttrValue attr(Node n, String key, JsonNode v) {
    AttrValue.Builder a = AttrValue.newBuilder();
    if (v.has("s")) {
      a.setS(ByteString.copyFrom(Base64.getDecoder().decode(v.path("s").asText())));
    } else if (v.has("i")) {
      a.setI(v.path("i").asLong());
    } else if (v.has("f")) {
      a.setF((float) v.path("f").asDouble());
    } else if (v.has("b")) {
      a.setB(v.path("b").asBoolean());
    } else if (v.has("type")) {
      a.setType(type(n, key, v.path("type").asText()));
    } else if (v.has("shape")) {
      a.setShape(shape(v.path("shape")));
    } else if (v.has("list")) {
      AttrValue.ListValue.Builder l = AttrValue.ListValue.newBuilder();
      JsonNode list = v.path("list");
      list.path("s")
          .forEach(s -> l.addS(ByteString.copyFrom(Base64.getDecoder().decode(s.asText()))));
      list.path("i").forEach(i -> l.addI(i.asLong()));
      list.path("f").forEach(f -> l.addF((float) f.asDouble()));
      list.path("b").forEach(b -> l.addB(b.asBoolean()));
      list.path("type").forEach(t -> l.addType(type(n, key, t.asText())));
      list.path("shape").forEach(s -> l.addShape(shape(s)));
      a.setList(l);
    } else {
      throw new IllegalArgumentException(
          "node "
              + n.name()
              + " ("
              + n.op()
              + ") has attribute "
              + key
              + " of a kind the importer does not read: "
              + v);
    }
    return a.build();
  }

  private static DataType type(Node n, String key, String name) {
    try {
      return DataType.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "node " + n.name() + " attribute " + key + " names an unknown type " + name, e);
    }
  }

  private static TensorShapeProto shape(JsonNode s) {
    TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
    if (s.path("unknownRank").asBoolean(false)) {
      return b.setUnknownRank(true).build();
    }
    s.path("dim")
        .forEach(d -> b.addDim(TensorShapeProto.Dim.newBuilder().setSize(d.path("size").asLong())));
    return b.build();
  }

  private static long[] dims(JsonNode shape) {
    JsonNode dim = shape.path("dim");
    long[] out = new long[dim.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = dim.get(i).path("size").asLong(-1);
    }
    return out;
  }

  private static String text(JsonNode base64) {
    return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
  }
}
