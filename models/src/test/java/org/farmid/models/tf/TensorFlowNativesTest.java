package org.farmid.models.tf;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class TensorFlowNativesTest {

  @Test
  void aSavedModelBuiltInTfJavaAnswersThroughDjlOffline(@TempDir Path dir) throws Exception {
    TensorFlowNatives.ensureLoaded();
    assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    Path export = dir.resolve("affine");
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x =
          tf.withName("x")
              .placeholder(
                  TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, 2)));
      var w = tf.constant(new float[][] {{1f, 2f}, {3f, 4f}});
      var y =
          tf.withName("y").math.add(tf.linalg.matMul(x, w), tf.constant(new float[] {0.5f, -1f}));
      try (Session s = new Session(g)) {
        SavedModelBundle.exporter(export.toString())
            .withSession(s)
            .withSignature(
                Signature.builder().key("serving_default").input("x", x).output("y", y).build())
            .export();
      }
    }
    assertThat(Engine.getEngine("TensorFlow").getVersion()).isEqualTo("2.16.1");
    Criteria<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optModelPath(export)
            .optEngine("TensorFlow")
            .optOption("Tags", "serve")
            .optOption("SignatureDefKey", "serving_default")
            .optTranslator(new NoopTranslator())
            .build();
    try (ZooModel<NDList, NDList> model = criteria.loadModel();
        Predictor<NDList, NDList> p = model.newPredictor();
        NDManager m = NDManager.newBaseManager("TensorFlow")) {
      NDArray in = m.create(new float[] {1f, 1f, 2f, 0f}, new Shape(2, 2));
      in.setName("x");
      NDList out = p.predict(new NDList(in));
      // [1,1]·W + b = [4.5, 5], [2,0]·W + b = [2.5, 3]
      assertThat(out.get(0).toFloatArray()).containsExactly(4.5f, 5f, 2.5f, 3f);
    }
    Model.class.getName();
    StdArrays.class.getName();
  }
}
