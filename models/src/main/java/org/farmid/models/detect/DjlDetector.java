package org.farmid.models.detect;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.farmid.common.detect.Detection;
import org.farmid.common.detect.Detector;
import org.farmid.common.detect.NonMaxSuppression;
import org.farmid.common.geom.Box;
import org.farmid.common.video.VideoFrame;
import org.farmid.models.embed.InvalidModelException;
import org.farmid.models.tf.ModelRuntime;
import org.farmid.models.tf.SavedModels;

/**
 * Any SavedModel with the TensorFlow Object Detection API serving signature, through DJL's
 * TensorFlow engine: {@code input_tensor} uint8 {@code [1, H, W, 3]} RGB in; {@code
 * detection_boxes} (normalised ymin, xmin, ymax, xmax), {@code detection_scores}, {@code
 * detection_classes} and {@code num_detections} out, looked up by name. One frame per call, as the
 * signature's batch dimension is 1; the model loads once per JVM and each thread has its own
 * predictor.
 */
public final class DjlDetector implements Detector, AutoCloseable {
  static final String INPUT = "input_tensor";
  private static final ConcurrentHashMap<List<Object>, ZooModel<NDList, NDList>> MODELS =
      new ConcurrentHashMap<>();

  private final Path modelDir;
  private final DetectorOptions options;
  private final SavedModels.ThreadPredictors<NDList, NDList> predictor;

  private DjlDetector(Path modelDir, DetectorOptions options, ZooModel<NDList, NDList> model) {
    this.modelDir = modelDir;
    this.options = options;
    this.predictor = new SavedModels.ThreadPredictors<>(model);
  }

  /** Opens an Object Detection API SavedModel folder. */
  public static DjlDetector open(Path modelDir, DetectorOptions options)
      throws InvalidModelException {
    return open(modelDir, options, ModelRuntime.DEFAULT);
  }

  /** Opens the model with a session configured by {@code runtime} (threads, GPU). */
  public static DjlDetector open(Path modelDir, DetectorOptions options, ModelRuntime runtime)
      throws InvalidModelException {
    Path dir = modelDir.toAbsolutePath().normalize();
    checkSignature(dir);
    try {
      return new DjlDetector(
          dir, options, MODELS.computeIfAbsent(List.of(dir, runtime), k -> load(dir, runtime)));
    } catch (IllegalStateException e) {
      throw new InvalidModelException(e.getMessage());
    }
  }

  /** The outputs an Object Detection API export has, looked up by name. */
  static final List<String> OUTPUTS =
      List.of("detection_boxes", "detection_scores", "detection_classes", "num_detections");

  /**
   * Checks, by reading {@code saved_model.pb} only (no TensorFlow session, no natives), that the
   * folder holds a SavedModel with the {@code serve} tag and the Object Detection API's {@code
   * serving_default} signature: a uint8 {@code input_tensor} and the four detection outputs. Cheap
   * enough for the driver to refuse a wrong model before any executor work.
   */
  public static void checkSignature(Path modelDir) throws InvalidModelException {
    Path dir = modelDir.toAbsolutePath().normalize();
    Path pb = dir.resolve("saved_model.pb");
    if (!Files.isRegularFile(pb)) {
      throw new InvalidModelException("detector folder " + dir + " has no saved_model.pb");
    }
    org.tensorflow.proto.SavedModel saved;
    try (java.io.InputStream in = Files.newInputStream(pb)) {
      saved = org.tensorflow.proto.SavedModel.parseFrom(in);
    } catch (java.io.IOException e) {
      throw new InvalidModelException(
          "detector " + pb + " is not a readable SavedModel: " + e.getMessage());
    }
    org.tensorflow.proto.MetaGraphDef serve =
        saved.getMetaGraphsList().stream()
            .filter(g -> g.getMetaInfoDef().getTagsList().contains("serve"))
            .findFirst()
            .orElseThrow(
                () ->
                    new InvalidModelException(
                        "detector "
                            + pb
                            + " has no graph tagged 'serve' (not a SavedModel export)"));
    org.tensorflow.proto.SignatureDef sig = serve.getSignatureDefMap().get("serving_default");
    if (sig == null) {
      throw new InvalidModelException(
          "detector "
              + dir
              + " has no 'serving_default' signature; it has "
              + serve.getSignatureDefMap().keySet());
    }
    List<String> problems = new ArrayList<>();
    org.tensorflow.proto.TensorInfo input = sig.getInputsMap().get(INPUT);
    if (input == null) {
      problems.add("no input '" + INPUT + "' (inputs: " + sig.getInputsMap().keySet() + ")");
    } else if (input.getDtype() != org.tensorflow.proto.DataType.DT_UINT8) {
      problems.add("input '" + INPUT + "' is " + input.getDtype() + ", expected DT_UINT8");
    }
    List<String> missing =
        OUTPUTS.stream().filter(o -> !sig.getOutputsMap().containsKey(o)).toList();
    if (!missing.isEmpty()) {
      problems.add(
          "no output "
              + missing
              + " (outputs: "
              + new java.util.TreeSet<>(sig.getOutputsMap().keySet())
              + ")");
    }
    if (!problems.isEmpty()) {
      throw new InvalidModelException(
          "detector "
              + dir
              + " does not have the Object Detection API signature: "
              + String.join("; ", problems));
    }
  }

  private static ZooModel<NDList, NDList> load(Path dir, ModelRuntime runtime) {
    return SavedModels.load(
        dir,
        NDList.class,
        NDList.class,
        "serving_default",
        new NoopTranslator(),
        "detector",
        runtime);
  }

  @Override
  public String modelId() {
    return modelDir.getFileName().toString();
  }

  @Override
  public List<List<Detection>> detect(List<VideoFrame> frames) {
    List<List<Detection>> out = new ArrayList<>(frames.size());
    Predictor<NDList, NDList> p = predictor.get();
    for (VideoFrame frame : frames) {
      try (NDManager m = NDManager.newBaseManager("TensorFlow")) {
        NDArray input =
            m.create(
                ByteBuffer.wrap(toRgb(frame.bgr())),
                new Shape(1, frame.height(), frame.width(), 3),
                DataType.UINT8);
        input.setName(INPUT);
        NDList result = p.predict(new NDList(input));
        out.add(parse(result, frame.width(), frame.height()));
        result.close();
      } catch (TranslateException e) {
        throw new IllegalStateException(
            "detector " + modelDir + " failed on frame " + frame.index() + ": " + e.getMessage(),
            e);
      }
    }
    return out;
  }

  private List<Detection> parse(NDList result, int width, int height) {
    float[] boxes = named(result, "detection_boxes").toFloatArray();
    float[] scores = named(result, "detection_scores").toFloatArray();
    float[] classes = named(result, "detection_classes").toFloatArray();
    int count = (int) named(result, "num_detections").toFloatArray()[0];
    List<Detection> dets = new ArrayList<>();
    for (int i = 0; i < Math.min(count, scores.length); i++) {
      int cls = Math.round(classes[i]);
      if (scores[i] < options.scoreThreshold()
          || (!options.keepClasses().isEmpty() && !options.keepClasses().contains(cls))) {
        continue;
      }
      float ymin = boxes[4 * i];
      float xmin = boxes[4 * i + 1];
      float ymax = boxes[4 * i + 2];
      float xmax = boxes[4 * i + 3];
      Box box =
          Box.ofCorners(xmin * width, ymin * height, xmax * width, ymax * height)
              .clip(width, height);
      dets.add(new Detection(box, scores[i], cls));
    }
    if (options.extraNmsIou() > 0) {
      dets = NonMaxSuppression.apply(dets, options.extraNmsIou());
    }
    dets.sort((a, b) -> Float.compare(b.score(), a.score()));
    return dets.size() > options.maxDetections()
        ? new ArrayList<>(dets.subList(0, options.maxDetections()))
        : dets;
  }

  private NDArray named(NDList list, String name) {
    NDArray a = list.get(name);
    if (a == null) {
      throw new IllegalStateException(
          "detector "
              + modelDir
              + " has no output '"
              + name
              + "' (Object Detection API signature"
              + " expected)");
    }
    return a;
  }

  /** Packed BGR to packed RGB, the order the Object Detection API expects. */
  static byte[] toRgb(byte[] bgr) {
    byte[] rgb = new byte[bgr.length];
    for (int i = 0; i < bgr.length; i += 3) {
      rgb[i] = bgr[i + 2];
      rgb[i + 1] = bgr[i + 1];
      rgb[i + 2] = bgr[i];
    }
    return rgb;
  }

  @Override
  public void close() {
    predictor.close();
  }
}
