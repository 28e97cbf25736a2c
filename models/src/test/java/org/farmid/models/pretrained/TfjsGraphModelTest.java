package org.farmid.models.pretrained;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.farmid.models.tf.TensorFlowNatives;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The imported CenterNet (a TensorFlow.js graph model) against the outputs TensorFlow.js itself
 * computes for the same package on the same input (written by {@code scripts/import-pretrained.sh}
 * with {@code scripts/pretrained/tfjs-graph.js}), and the fused ops on a graph small enough to work
 * out by hand.
 */
class TfjsGraphModelTest {
  static final Path MODEL = Path.of(System.getProperty("basedir", "."), "pretrained", "centernet");

  @Test
  void theJavaGraphGivesTensorFlowJsOutputsWithin1eMinus4() throws IOException {
    TensorFlowNatives.ensureLoaded();
    TfjsGraphModel model = TfjsGraphModel.read(MODEL);
    assertThat(model.inputs()).containsOnlyKeys("tower_0/images");
    assertThat(model.inputs().get("tower_0/images")).containsExactly(1, 512, 512, 3);
    assertThat(model.outputs())
        .containsExactlyInAnyOrder("tower_0/wh", "tower_0/keypoints", "tower_0/detections");
    assertThat(model.weights()).hasSize(267);
    JsonNode golden = GoldenOutputs.read("centernet-golden.json");
    List<String> names = new ArrayList<>();
    golden.path("nodes").fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactly(
            "tower_0/extern1/hard_swish/mul_1",
            "tower_0/keypoints",
            "tower_0/CenternetHead/centernet_wh_output/BiasAdd",
            "tower_0/wh",
            "tower_0/detections");
    try (Graph g = new Graph();
        Session s = new Session(g);
        TFloat32 input =
            GoldenOutputs.fixedInput(512, 512, (float) golden.path("input_scale").asDouble())) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = tf.placeholder(TFloat32.class);
      Map<String, Output<?>> out =
          model.build(
              tf, Map.of("tower_0/images", x), Map.of(), GoldenOutputs.constants(tf), names);
      Session.Runner r = s.runner().feed(x, input);
      names.forEach(n -> r.fetch(out.get(n)));
      try (Result res = r.run()) {
        for (int i = 0; i < names.size(); i++) {
          // tower_0/wh is the size head times 16, exactly (a power of two), and the detections'
          // corners add it to cell centres: values near 250-500 that carry the head's
          // differences times 16. The head itself is held to 1e-4, those two to 16 x 1e-4.
          String name = names.get(i);
          double limit =
              name.equals("tower_0/wh") || name.equals("tower_0/detections") ? 16e-4 : 1e-4;
          assertThat(
                  GoldenOutputs.worstDifference(
                      golden.path("nodes").path(names.get(i)), (TFloat32) res.get(i)))
              .as(names.get(i))
              .isLessThan(limit);
        }
      }
    }
  }

  /**
   * x = [-2, 3] (a 1x2 picture, one channel); a 1x1 convolution by 2 with bias 1 and prelu 0.5:
   * [-4, 6] + 1 = [-3, 7], prelu [-1.5, 7]; then a 1x1 depthwise by 1, bias 0.5, relu6: [-1, 7.5]
   * -> [0, 6].
   */
  @Test
  void fusedOpsAreWrittenOutAsTheirTensorFlowOps(@TempDir Path dir) throws IOException {
    TensorFlowNatives.ensureLoaded();
    writeModel(dir, "[\"BiasAdd\",\"Prelu\"]", 2);
    TfjsGraphModel model = TfjsGraphModel.read(dir);
    assertThat(run(model, "conv")).containsExactly(-1.5f, 7f);
    assertThat(run(model, "dw")).containsExactly(0f, 6f);
  }

  @Test
  void whatTheImporterCannotBuildIsRefusedNamingTheNode(@TempDir Path dir) throws IOException {
    TensorFlowNatives.ensureLoaded();
    writeModel(dir, "[\"BiasAdd\",\"FusedBatchNorm\"]", 2);
    TfjsGraphModel model = TfjsGraphModel.read(dir);
    assertThatThrownBy(() -> run(model, "conv"))
        .hasMessageContaining("node conv (_FusedConv2D) fuses FusedBatchNorm");
    assertThatThrownBy(() -> run(model, "missing:0"))
        .hasMessageContaining("reads missing, which the graph in " + dir + " does not hold");
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      assertThatThrownBy(
              () -> model.build(tf, Map.of(), Map.of(), w -> tf.constant(0f), List.of("dw")))
          .hasMessageContaining("the graph's input x is needed but was not fed");
    }
    Files.writeString(
        dir.resolve("model.json"),
        "{\"format\":\"layers-model\",\"modelTopology\":{},\"weightsManifest\":[]}");
    assertThatThrownBy(() -> TfjsGraphModel.read(dir))
        .hasMessageContaining("is no TensorFlow.js graph model")
        .hasMessageContaining("layers-model");
  }

  private static float[] run(TfjsGraphModel model, String node) {
    try (Graph g = new Graph();
        Session s = new Session(g);
        TFloat32 x =
            TFloat32.tensorOf(
                Shape.of(1, 1, 2, 1), DataBuffers.of(new float[] {-2, 3}, true, false))) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> in = tf.placeholder(TFloat32.class);
      Map<String, Output<?>> out =
          model.build(tf, Map.of("x", in), Map.of(), GoldenOutputs.constants(tf), List.of(node));
      try (Result r = s.runner().feed(in, x).fetch(out.get(node)).run()) {
        float[] v = new float[2];
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(v, false, false));
        return v;
      }
    }
  }

  /** conv = _FusedConv2D(x, k, b, alpha) with CONV_OPS; dw = FusedDepthwiseConv2dNative(conv). */
  private static void writeModel(Path dir, String convOps, int convArgs) throws IOException {
    StringBuilder ops = new StringBuilder("[");
    for (String op : convOps.replaceAll("[\\[\\]\"]", "").split(",")) {
      ops.append(ops.length() > 1 ? "," : "").append('"').append(b64(op)).append('"');
    }
    ops.append(']');
    String common =
        "\"T\":{\"type\":\"DT_FLOAT\"},\"strides\":{\"list\":{\"i\":[\"1\",\"1\",\"1\",\"1\"]}},"
            + "\"padding\":{\"s\":\""
            + b64("VALID")
            + "\"},\"data_format\":{\"s\":\""
            + b64("NHWC")
            + "\"},\"dilations\":{\"list\":{\"i\":[\"1\",\"1\",\"1\",\"1\"]}},"
            + "\"explicit_paddings\":{\"list\":{}}";
    String json =
        "{\"format\":\"graph-model\",\"modelTopology\":{\"node\":["
            + "{\"name\":\"x\",\"op\":\"Placeholder\",\"attr\":{\"dtype\":{\"type\":\"DT_FLOAT\"},"
            + "\"shape\":{\"shape\":{\"dim\":[{\"size\":\"1\"},{\"size\":\"1\"},{\"size\":\"2\"},"
            + "{\"size\":\"1\"}]}}}},"
            + konst("k")
            + ","
            + konst("b")
            + ","
            + konst("alpha")
            + ","
            + konst("dk")
            + ","
            + konst("db")
            + ",{\"name\":\"conv\",\"op\":\"_FusedConv2D\",\"input\":[\"x\",\"k\",\"b\",\"alpha\"],"
            + "\"attr\":{"
            + common
            + ",\"use_cudnn_on_gpu\":{\"b\":true},\"epsilon\":{\"f\":0},\"num_args\":{\"i\":\""
            + convArgs
            + "\"},\"fused_ops\":{\"list\":{\"s\":"
            + ops
            + "}}}},"
            + "{\"name\":\"dw\",\"op\":\"FusedDepthwiseConv2dNative\",\"input\":[\"conv\",\"dk\","
            + "\"db\"],\"attr\":{"
            + common
            + ",\"num_args\":{\"i\":\"1\"},\"fused_ops\":{\"list\":{\"s\":["
            + "\""
            + b64("BiasAdd")
            + "\",\""
            + b64("Relu6")
            + "\"]}}}}"
            + "]},\"weightsManifest\":[{\"paths\":[\"w.bin\"],\"weights\":["
            + weight("k", "[1,1,1,1]")
            + ","
            + weight("b", "[1]")
            + ","
            + weight("alpha", "[1]")
            + ","
            + weight("dk", "[1,1,1,1]")
            + ","
            + weight("db", "[1]")
            + "]}]}";
    Files.writeString(dir.resolve("model.json"), json);
    ByteBuffer w = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
    w.putFloat(2).putFloat(1).putFloat(0.5f).putFloat(1).putFloat(0.5f);
    Files.write(dir.resolve("w.bin"), w.array());
  }

  private static String konst(String name) {
    return "{\"name\":\""
        + name
        + "\",\"op\":\"Const\",\"attr\":{\"dtype\":{\"type\":\"DT_FLOAT\"},"
        + "\"value\":{\"tensor\":{\"dtype\":\"DT_FLOAT\"}}}}";
  }

  private static String weight(String name, String shape) {
    return "{\"name\":\"" + name + "\",\"shape\":" + shape + ",\"dtype\":\"float32\"}";
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
