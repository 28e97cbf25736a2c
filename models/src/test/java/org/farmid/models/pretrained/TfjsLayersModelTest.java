package org.farmid.models.pretrained;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.farmid.models.tf.TensorFlowNatives;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The imported MobileNetV2 against the outputs TensorFlow.js itself computes for the same package
 * on the same input (written by {@code scripts/import-pretrained.sh} with {@code
 * scripts/pretrained/tfjs-layers.js}).
 */
class TfjsLayersModelTest {
  static final Path MODEL =
      Path.of(System.getProperty("basedir", "."), "pretrained", "mobilenet_v2");

  @Test
  void theJavaGraphGivesTensorFlowJsOutputsWithin1eMinus4() throws IOException {
    TensorFlowNatives.ensureLoaded();
    TfjsLayersModel model = TfjsLayersModel.read(MODEL);
    assertThat(model.inputSize()).containsExactly(224, 224);
    assertThat(model.weights()).hasSize(266);
    JsonNode golden = GoldenOutputs.read("mobilenet_v2-golden.json");
    List<String> names = new ArrayList<>();
    golden.path("layers").fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("block_1_project_BN", "block_9_add", "dense_3");
    try (Graph g = new Graph();
        Session s = new Session(g);
        TFloat32 input = GoldenOutputs.fixedInput(224, 224, 1f)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = tf.placeholder(TFloat32.class);
      Map<String, Operand<TFloat32>> out = model.build(tf, x, GoldenOutputs.constants(tf));
      Session.Runner r = s.runner().feed(x, input);
      names.forEach(n -> r.fetch(out.get(n)));
      try (Result res = r.run()) {
        for (int i = 0; i < names.size(); i++) {
          assertThat(
                  GoldenOutputs.worstDifference(
                      golden.path("layers").path(names.get(i)), (TFloat32) res.get(i)))
              .as(names.get(i))
              .isLessThan(1e-4);
        }
      }
    }
  }

  @Test
  void halfPrecisionWidensExactly() {
    assertThat(TfjsWeights.halfToFloat((short) 0x3c00)).isEqualTo(1f);
    assertThat(TfjsWeights.halfToFloat((short) 0xc000)).isEqualTo(-2f);
    assertThat(TfjsWeights.halfToFloat((short) 0x3555)).isEqualTo(0.333251953125f);
    assertThat(TfjsWeights.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
    assertThat(TfjsWeights.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
    assertThat(TfjsWeights.halfToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
  }

  @Test
  void shardsThatDoNotMatchTheManifestAreRefusedNamingTheWeight(@TempDir Path dir)
      throws IOException {
    Files.writeString(
        dir.resolve("model.json"),
        "{\"modelTopology\":{\"model_config\":{\"config\":{\"layers\":[]}}},"
            + "\"weightsManifest\":[{\"paths\":[\"w.bin\"],\"weights\":["
            + "{\"name\":\"a/kernel\",\"shape\":[2,2],\"dtype\":\"float32\","
            + "\"quantization\":{\"min\":-1,\"scale\":0.5,\"dtype\":\"uint8\"}}]}]}");
    Files.write(dir.resolve("w.bin"), new byte[] {0, 1, 2, 4});
    TfjsWeights.Weight a = TfjsLayersModel.read(dir).weights().get("a/kernel");
    assertThat(a.values()).containsExactly(-1f, -0.5f, 0f, 1f);
    Files.write(dir.resolve("w.bin"), new byte[] {0, 1, 2});
    assertThatThrownBy(() -> TfjsLayersModel.read(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(
            "weight a/kernel needs 4 bytes, the shards of " + dir + " hold only 3 more");
    Files.delete(dir.resolve("w.bin"));
    assertThatThrownBy(() -> TfjsLayersModel.read(dir))
        .hasMessage("weight shard " + dir.resolve("w.bin") + " is missing");
  }
}
