package org.farmid.models.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.farmid.common.detect.Detection;
import org.farmid.common.video.VideoFrame;
import org.farmid.models.embed.InvalidModelException;
import org.farmid.models.tf.TensorFlowNatives;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * A SavedModel with the Object Detection API signature, built here with TF Java: fixed boxes, and
 * scores made from the frame's mean red and blue, so the test sees both that boxes come back in the
 * right order and scale and that the frame reached the model as RGB.
 */
class DjlDetectorTest {
  @TempDir static Path dir;
  static Path model;

  @BeforeAll
  static void buildModel() throws Exception {
    TensorFlowNatives.ensureLoaded();
    model = dir.resolve("od-api");
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TUint8> input =
          tf.withName("input_tensor")
              .placeholder(TUint8.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
      Operand<TFloat32> meanRgb =
          tf.math.div(
              tf.math.mean(tf.dtypes.cast(input, TFloat32.class), tf.constant(new int[] {0, 1, 2})),
              tf.constant(255f));
      // detection 0 scores mean red, detection 1 mean blue, detection 2 is below any threshold
      Operand<TFloat32> scores =
          tf.reshape(
              tf.concat(
                  List.of(
                      tf.gather(meanRgb, tf.constant(new int[] {0, 2}), tf.constant(0)),
                      tf.constant(new float[] {0.01f})),
                  tf.constant(0)),
              tf.constant(new int[] {1, 3}));
      Operand<TFloat32> boxes =
          tf.constant(
              new float[][][] {
                {{0.1f, 0.2f, 0.5f, 0.6f}, {0.5f, 0.5f, 1.2f, 0.75f}, {0f, 0f, 1f, 1f}}
              });
      Operand<TFloat32> classes = tf.constant(new float[][] {{1f, 2f, 1f}});
      Operand<TFloat32> num = tf.constant(new float[] {3f});
      try (Session s = new Session(g)) {
        SavedModelBundle.exporter(model.toString())
            .withSession(s)
            .withSignature(
                Signature.builder()
                    .key("serving_default")
                    .input("input_tensor", input)
                    .output("detection_boxes", boxes)
                    .output("detection_scores", scores)
                    .output("detection_classes", classes)
                    .output("num_detections", num)
                    .build())
            .export();
      }
    }
  }

  /** A 320x240 frame of one colour, BGR (50, 100, 200): red 200, blue 50. */
  static VideoFrame frame() {
    byte[] bgr = new byte[320 * 240 * 3];
    for (int i = 0; i < bgr.length; i += 3) {
      bgr[i] = 50;
      bgr[i + 1] = 100;
      bgr[i + 2] = (byte) 200;
    }
    return new VideoFrame(0, 0, 320, 240, bgr);
  }

  @Test
  void boxesComeBackInPixelsWithXAndYInTheirPlaces() throws Exception {
    try (DjlDetector d = DjlDetector.open(model, new DetectorOptions(0.1f, Set.of(), 100, 0))) {
      List<Detection> dets = d.detect(List.of(frame())).get(0);
      assertThat(dets).hasSize(2);
      Detection first = dets.get(0);
      assertThat(first.score()).isCloseTo(200 / 255f, within(1e-5f)); // red: frame fed as RGB
      assertThat(first.classId()).isEqualTo(1);
      // ymin .1, xmin .2, ymax .5, xmax .6 on 320x240
      assertThat(first.box().left()).isCloseTo(64, within(1e-3));
      assertThat(first.box().top()).isCloseTo(24, within(1e-3));
      assertThat(first.box().width()).isCloseTo(128, within(1e-3));
      assertThat(first.box().height()).isCloseTo(96, within(1e-3));
      Detection second = dets.get(1);
      assertThat(second.score()).isCloseTo(50 / 255f, within(1e-5f));
      // ymax 1.2 is clipped to the frame
      assertThat(second.box().top()).isCloseTo(120, within(1e-3));
      assertThat(second.box().bottom()).isCloseTo(240, within(1e-3));
      assertThat(second.box().left()).isCloseTo(160, within(1e-3));
      assertThat(second.box().right()).isCloseTo(240, within(1e-3));
    }
  }

  @Test
  void classesThresholdAndMaximumFilter() throws Exception {
    try (DjlDetector d = DjlDetector.open(model, new DetectorOptions(0.001f, Set.of(1), 1, 0))) {
      List<Detection> dets = d.detect(List.of(frame(), frame())).get(1);
      assertThat(dets).hasSize(1);
      assertThat(dets.get(0).classId()).isEqualTo(1);
      assertThat(dets.get(0).score()).isCloseTo(200 / 255f, within(1e-5f));
    }
  }

  @Test
  void aFolderWithoutSavedModelIsRefused() {
    assertThatThrownBy(
            () ->
                DjlDetector.open(dir.resolve("empty"), new DetectorOptions(0.5f, Set.of(), 10, 0)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("empty")
        .hasMessageContaining("saved_model.pb");
  }

  @Test
  void theObjectDetectionSignatureIsCheckedFromTheFileAlone() throws Exception {
    DjlDetector.checkSignature(model);
    // the default embedder: a real SavedModel, but with the embedder's signature
    Path embedder =
        Path.of(System.getProperty("user.dir")).getParent().resolve("models/embedder-default");
    assertThatThrownBy(() -> DjlDetector.checkSignature(embedder))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("embedder-default")
        .hasMessageContaining("does not have the Object Detection API signature")
        .hasMessageContaining("no input 'input_tensor'")
        .hasMessageContaining("detection_boxes");
    // random bytes under the right name
    Path junk = dir.resolve("junk");
    java.nio.file.Files.createDirectories(junk);
    byte[] bytes = new byte[4096];
    new java.util.Random(3).nextBytes(bytes);
    java.nio.file.Files.write(junk.resolve("saved_model.pb"), bytes);
    assertThatThrownBy(() -> DjlDetector.open(junk, new DetectorOptions(0.5f, Set.of(), 10, 0)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("junk");
  }
}
