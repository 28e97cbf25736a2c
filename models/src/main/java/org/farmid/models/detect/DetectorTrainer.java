package org.farmid.models.detect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.farmid.common.geom.Box;
import org.farmid.common.image.CropPreprocessor;
import org.farmid.models.pretrained.MobileNetV2Backbone;
import org.farmid.models.pretrained.TfjsGraphModel;
import org.farmid.models.pretrained.TfjsLayersModel;
import org.farmid.models.tf.AdamFeed;
import org.farmid.models.tf.TrainingSession;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * Trains the compact detector on frames and boxes of a generated archive and exports it with the
 * Object Detection API signature and a {@code model.json} card.
 */
public final class DetectorTrainer {

  /**
   * Training settings.
   *
   * @param testFlips none, x or xy: mirror images the exported graph averages over
   * @param softNmsSigma Gaussian soft NMS in the exported graph (0 = off)
   * @param initFrom a detector exported by this class to start from, or null; with {@code epochs} 0
   *     it is re-exported unchanged
   */
  public record Options(
      int inputWidth,
      int inputHeight,
      int width,
      int stride,
      float giouWeight,
      int epochs,
      int batch,
      float learningRate,
      String learningRateSchedule,
      long seed,
      int frameStep,
      String testFlips,
      float softNmsSigma,
      Path initFrom) {

    /** The same recipe, starting from {@code from} (null: from scratch). */
    public Options withInitFrom(Path from) {
      return new Options(
          inputWidth,
          inputHeight,
          width,
          stride,
          giouWeight,
          epochs,
          batch,
          learningRate,
          learningRateSchedule,
          seed,
          frameStep,
          testFlips,
          softNmsSigma,
          from);
    }

    /** No training steps from an exported model: it is exported again, weights unchanged. */
    boolean reExport() {
      return epochs == 0 && initFrom != null;
    }
  }

  /** Refuses test-time flips other than none, x or xy, naming them. */
  public static void checkTestFlips(String flips) {
    DetectorGraph.TestFlips.parse(flips);
  }

  /**
   * One source of training frames.
   *
   * @param repeat how many times each of its frames is shown per epoch (a few real frames beside
   *     many generated ones weigh more when shown more often)
   */
  public record Source(LabelledFrames frames, int repeat) {
    public Source {
      if (repeat < 1) {
        throw new IllegalArgumentException("a source's repeat must be at least 1, got " + repeat);
      }
    }
  }

  /**
   * Zooming into training frames: a {@code share} of them shown as a window of {@code 1 / s} of
   * their width and height, stretched to the frame, with {@code s} drawn evenly from 1 to {@code
   * max} and the window placed evenly at random. Boxes are cut to the window ({@link
   * FrameAugment#zoom(Box, int, int, FrameAugment.Window)}).
   */
  public record Zoom(double share, double max) {
    /** No zoom: the frames as they are (the training of every model before zoom existed). */
    public static final Zoom NONE = new Zoom(0, 1);

    public Zoom {
      if (!(share >= 0 && share <= 1)) {
        throw new IllegalArgumentException("zoom share must be from 0 to 1, got " + share);
      }
      if (!(max >= 1)) {
        throw new IllegalArgumentException("zoom max must be at least 1, got " + max);
      }
    }
  }

  /** What training made. */
  public record Outcome(
      Path modelDir, int frames, long boxes, List<Double> epochLoss, double seconds) {}

  private record Sample(byte[] rgb, List<Box> boxes) {}

  private final Options o;
  private final Consumer<String> progress;
  private DetectorGraph.Backbone backbone = DetectorGraph.Backbone.COMPACT;
  private Path backboneWeights;
  private Zoom zoom = Zoom.NONE;

  /** Both sides of the network input must be multiples of this at the given output stride. */
  public static int inputMultiple(int stride) {
    return DetectorGraph.inputMultiple(stride);
  }

  public DetectorTrainer(Options options, Consumer<String> progress) {
    this.o = options;
    this.progress = progress;
  }

  /** Refuses a backbone other than compact, mobilenet_v2 or centernet, naming it. */
  public static void checkBackbone(String name) {
    DetectorGraph.Backbone.parse(name);
  }

  /**
   * The network under the heads: {@code compact} (the default, {@code width} channels), {@code
   * mobilenet_v2}, started from a pretrained Keras MobileNetV2 in TensorFlow.js format when {@code
   * weights} is given (else from random weights), or {@code centernet}, built from the imported
   * COCO CenterNet in {@code weights} (required) and fine-tuned from its weights.
   */
  public DetectorTrainer backbone(String name, Path weights) {
    this.backbone = DetectorGraph.Backbone.parse(name);
    if (weights != null && backbone == DetectorGraph.Backbone.COMPACT) {
      throw new IllegalArgumentException(
          "pretrained backbone weights need the mobilenet_v2 or centernet backbone");
    }
    if (weights == null && backbone == DetectorGraph.Backbone.CENTERNET) {
      throw new IllegalArgumentException(
          "the centernet backbone needs the imported model's folder (models/pretrained/centernet)");
    }
    this.backboneWeights = weights;
    return this;
  }

  /** Zooms into training frames as {@code zoom} says ({@link Zoom#NONE} by default). */
  public DetectorTrainer zoom(Zoom zoom) {
    this.zoom = zoom;
    return this;
  }

  /**
   * Trains on the archive and exports to {@code modelDir}. With {@code epochs} 0 and {@code
   * initFrom} set, re-exports that model unchanged (for other export options) and needs no archive
   * ({@code archiveRoot} may be null).
   */
  public Outcome train(Path archiveRoot, Path modelDir) throws IOException {
    return train(
        archiveRoot == null ? List.of() : List.of(new Source(SynthFrames.of(archiveRoot), 1)),
        modelDir);
  }

  /**
   * Trains on the frames of all sources and exports to {@code modelDir}; with {@code epochs} 0 and
   * {@code initFrom} set, {@code sources} may be empty (a re-export).
   */
  public Outcome train(List<Source> sources, Path modelDir) throws IOException {
    long t0 = System.nanoTime();
    List<Sample> samples = new ArrayList<>();
    long[] boxCount = {0};
    if (!o.reExport()) {
      if (sources.isEmpty()) {
        throw new IOException("no training frames: give at least one labelled source");
      }
      for (Source source : sources) {
        int before = samples.size();
        long boxesBefore = boxCount[0];
        loadFrames(source.frames(), samples, boxCount);
        // Repeats share the decoded pixels; augmentation makes each showing differ. Frames and
        // boxes count every showing.
        List<Sample> loaded = List.copyOf(samples.subList(before, samples.size()));
        long loadedBoxes = boxCount[0] - boxesBefore;
        for (int r = 1; r < source.repeat(); r++) {
          samples.addAll(loaded);
          boxCount[0] += loadedBoxes;
        }
      }
    }
    List<Double> losses = new ArrayList<>();
    try (DetectorGraph g =
            new DetectorGraph(
                o.inputWidth(),
                o.inputHeight(),
                o.width(),
                o.stride(),
                o.giouWeight(),
                o.seed(),
                DetectorGraph.TestFlips.parse(o.testFlips()),
                o.softNmsSigma(),
                backbone,
                backbone == DetectorGraph.Backbone.CENTERNET
                    ? TfjsGraphModel.read(backboneWeights)
                    : null);
        Session session = new Session(g.graph)) {
      session.initialize();
      // The centernet backbone's variables start at the imported weights (its initial values).
      TrainingSession.assign(session, g, g.initialValues());
      if (backboneWeights != null && backbone == DetectorGraph.Backbone.MOBILENET_V2) {
        Map<String, float[]> pretrained =
            MobileNetV2Backbone.weightsFor(TfjsLayersModel.read(backboneWeights), g.params);
        TrainingSession.assign(session, g, pretrained);
        progress.accept(
            "backbone: " + pretrained.size() + " pretrained weights from " + backboneWeights);
      }
      if (o.initFrom() != null) {
        Map<String, float[]> start = TrainingSession.readSaved(o.initFrom(), g, Set.of());
        TrainingSession.assign(session, g, start);
        progress.accept("starting from the " + start.size() + " weights of " + o.initFrom());
      }
      Random rnd = new Random(o.seed());
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < samples.size(); i++) {
        order.add(i);
      }
      long stepCount = 0;
      for (int epoch = 1; epoch <= o.epochs(); epoch++) {
        long e0 = System.nanoTime();
        Collections.shuffle(order, rnd);
        double sum = 0;
        int steps = 0;
        int perEpoch = order.size() / o.batch();
        for (int start = 0; start + o.batch() <= order.size(); start += o.batch()) {
          List<Sample> batch = new ArrayList<>();
          for (int k = start; k < start + o.batch(); k++) {
            batch.add(augment(samples.get(order.get(k)), rnd));
          }
          double progress = (epoch - 1 + (double) steps / perEpoch) / o.epochs();
          float lr = AdamFeed.learningRate(o.learningRateSchedule(), o.learningRate(), progress);
          sum += step(session, g, batch, new AdamFeed(lr, ++stepCount));
          steps++;
        }
        double loss = sum / Math.max(1, steps);
        losses.add(loss);
        progress.accept(
            String.format(
                "epoch %d/%d  loss %.4f  %.1f s",
                epoch, o.epochs(), loss, (System.nanoTime() - e0) / 1e9));
      }
      List<TUint8> calibration = new ArrayList<>();
      // Without training steps the weights, batch-norm statistics included, stay as loaded.
      try {
        if (o.epochs() > 0) {
          for (int b = 0; b < 8 && (b + 1) * o.batch() <= samples.size(); b++) {
            calibration.add(images(samples.subList(b * o.batch(), (b + 1) * o.batch())));
          }
          TrainingSession.recalibrate(session, g, calibration);
        }
      } finally {
        calibration.forEach(TUint8::close);
      }
      Files.createDirectories(modelDir);
      Files.deleteIfExists(modelDir.resolve("saved_model.pb"));
      SavedModelBundle.exporter(modelDir.toString())
          .withSession(session)
          .withSignature(
              Signature.builder()
                  .key(Signature.DEFAULT_KEY)
                  .input(DjlDetector.INPUT, g.input)
                  .output("detection_boxes", g.boxes)
                  .output("detection_scores", g.scores)
                  .output("detection_classes", g.classes)
                  .output("num_detections", g.count)
                  .build())
          .export();
    }
    Outcome outcome =
        new Outcome(modelDir, samples.size(), boxCount[0], losses, (System.nanoTime() - t0) / 1e9);
    writeCard(sources, outcome);
    return outcome;
  }

  private void loadFrames(LabelledFrames source, List<Sample> samples, long[] boxCount)
      throws IOException {
    int before = samples.size();
    long boxesBefore = boxCount[0];
    source.forEach(
        o.frameStep(),
        f -> {
          double sx = (double) o.inputWidth() / f.frame().width();
          double sy = (double) o.inputHeight() / f.frame().height();
          List<Box> scaled = new ArrayList<>();
          for (Box b : f.boxes()) {
            Box s = new Box(b.left() * sx, b.top() * sy, b.width() * sx, b.height() * sy);
            if (s.width() >= 2 && s.height() >= 2) {
              scaled.add(s);
            }
          }
          boxCount[0] += scaled.size();
          samples.add(
              new Sample(
                  CropPreprocessor.resize(
                      f.frame().bgr(),
                      f.frame().width(),
                      f.frame().height(),
                      new Box(0, 0, f.frame().width(), f.frame().height()),
                      o.inputWidth(),
                      o.inputHeight()),
                  scaled));
        });
    if (samples.size() == before) {
      throw new IOException("no frames found in " + source.describe());
    }
    progress.accept(
        (samples.size() - before)
            + " frames with "
            + (boxCount[0] - boxesBefore)
            + " boxes loaded from "
            + source.describe());
  }

  /**
   * The {@link Zoom}'s share of frames zoomed into; then half the frames mirrored left-right, half
   * (independently) top-bottom, half given another contrast (x0.7 to x1.3) and brightness (-25 to
   * +25). Without zoom no random number is drawn for it, so training is as it was before zoom.
   */
  private Sample augment(Sample s, Random rnd) {
    if (zoom.share() > 0 && rnd.nextDouble() < zoom.share()) {
      s = zoomed(s, rnd);
    }
    boolean flipX = rnd.nextBoolean();
    boolean flipY = rnd.nextBoolean();
    boolean photometric = rnd.nextBoolean();
    float gain = photometric ? 0.7f + 0.6f * rnd.nextFloat() : 1f;
    float bias = photometric ? -25f + 50f * rnd.nextFloat() : 0f;
    FrameAugment.Change c = new FrameAugment.Change(flipX, flipY, gain, bias);
    if (c.equals(FrameAugment.Change.NONE)) {
      return s;
    }
    int w = o.inputWidth();
    int h = o.inputHeight();
    List<Box> boxes = new ArrayList<>();
    for (Box b : s.boxes()) {
      boxes.add(FrameAugment.box(b, w, h, c));
    }
    return new Sample(FrameAugment.pixels(s.rgb(), w, h, c), boxes);
  }

  private Sample zoomed(Sample s, Random rnd) {
    int w = o.inputWidth();
    int h = o.inputHeight();
    double scale = 1 + (zoom.max() - 1) * rnd.nextDouble();
    FrameAugment.Window win =
        new FrameAugment.Window(
            rnd.nextDouble() * w * (1 - 1 / scale), rnd.nextDouble() * h * (1 - 1 / scale), scale);
    List<Box> boxes = new ArrayList<>();
    for (Box b : s.boxes()) {
      Box z = FrameAugment.zoom(b, w, h, win);
      if (z != null) {
        boxes.add(z);
      }
    }
    return new Sample(FrameAugment.zoom(s.rgb(), w, h, win), boxes);
  }

  private TUint8 images(List<Sample> batch) {
    return TrainingSession.rgbBatch(
        batch.stream().map(Sample::rgb).toList(), o.inputWidth(), o.inputHeight());
  }

  private double step(Session session, DetectorGraph g, List<Sample> batch, AdamFeed adam) {
    int ow = g.outWidth;
    int oh = g.outHeight;
    int n = batch.size();
    float[] heat = new float[n * oh * ow];
    float[] size = new float[n * oh * ow * 2];
    float[] offset = new float[n * oh * ow * 2];
    float[] centers = new float[n * oh * ow];
    for (int i = 0; i < n; i++) {
      Targets.draw(
          batch.get(i).boxes(),
          o.inputWidth(),
          o.inputHeight(),
          g.stride,
          ow,
          oh,
          i,
          heat,
          size,
          offset,
          centers);
    }
    try (TUint8 x = images(batch);
        TFloat32 ht = TFloat32.tensorOf(Shape.of(n, oh, ow, 1), DataBuffers.of(heat, true, false));
        TFloat32 st = TFloat32.tensorOf(Shape.of(n, oh, ow, 2), DataBuffers.of(size, true, false));
        TFloat32 of =
            TFloat32.tensorOf(Shape.of(n, oh, ow, 2), DataBuffers.of(offset, true, false));
        TFloat32 ct =
            TFloat32.tensorOf(Shape.of(n, oh, ow, 1), DataBuffers.of(centers, true, false));
        adam;
        Result r =
            adam.feed(session.runner(), g)
                .feed(g.trainImages, x)
                .feed(g.heatTarget, ht)
                .feed(g.sizeTarget, st)
                .feed(g.offsetTarget, of)
                .feed(g.centers, ct)
                .addTarget(g.trainStep)
                .fetch(g.loss)
                .run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  private void writeCard(List<Source> sources, Outcome outcome) throws IOException {
    Map<String, Object> card = new LinkedHashMap<>();
    card.put("format", "farmid-model/1");
    card.put("kind", "detector");
    card.put("signature", "serving_default");
    card.put("input_name", DjlDetector.INPUT);
    card.put("input_dtype", "uint8");
    card.put("channel_order", "RGB");
    card.put(
        "outputs",
        List.of("detection_boxes", "detection_scores", "detection_classes", "num_detections"));
    card.put("internal_input", o.inputWidth() + "x" + o.inputHeight());
    Map<String, Object> architecture = new LinkedHashMap<>();
    architecture.put("kind", "centernet-style");
    architecture.put("backbone", backbone.key());
    architecture.put("stride", o.stride());
    architecture.put("width", o.width());
    architecture.put("test_flips", o.testFlips().toLowerCase(java.util.Locale.ROOT));
    architecture.put("soft_nms_sigma", o.softNmsSigma());
    card.put("architecture", architecture);
    Map<String, Object> source = sourceTraining();
    Map<String, Object> training = new LinkedHashMap<>();
    if (o.reExport()) {
      // Re-exported unchanged: the weights' history is the source's.
      training.putAll(source);
      training.put("re_exported_from", o.initFrom().toAbsolutePath().normalize().toString());
    } else {
      if (sources.size() == 1 && sources.get(0).frames() instanceof SynthFrames synth) {
        // A generated archive alone keeps the card's older form: the folder's path.
        training.put("data", synth.root().toAbsolutePath().normalize().toString());
      } else {
        List<Map<String, Object>> data = new ArrayList<>();
        for (Source each : sources) {
          data.add(Map.of("source", each.frames().describe(), "repeat", each.repeat()));
        }
        training.put("data", data);
      }
      training.put("frames", outcome.frames());
      training.put("boxes", outcome.boxes());
      training.put("epochs", o.epochs());
      training.put("batch", o.batch());
      training.put("giou_weight", o.giouWeight());
      if (zoom.share() > 0) {
        training.put("zoom_share", zoom.share());
        training.put("zoom_max", zoom.max());
      }
      training.put("learning_rate", o.learningRate());
      training.put("learning_rate_schedule", o.learningRateSchedule());
      training.put("seed", o.seed());
      training.put("frame_step", o.frameStep());
      if (backboneWeights != null) {
        training.put("backbone_weights", backboneWeights.toAbsolutePath().normalize().toString());
      }
      if (o.initFrom() != null) {
        training.put("init_from", o.initFrom().toAbsolutePath().normalize().toString());
        training.put("init_from_training", source);
      }
      training.put(
          "final_loss",
          outcome.epochLoss().isEmpty()
              ? null
              : outcome.epochLoss().get(outcome.epochLoss().size() - 1));
      training.put("seconds", Math.round(outcome.seconds()));
    }
    card.put("training", training);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(outcome.modelDir().resolve("model.json").toFile(), card);
  }

  /** The training block of the {@code --init-from} model's card, empty when there is none. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> sourceTraining() throws IOException {
    if (o.initFrom() == null || !Files.isRegularFile(o.initFrom().resolve("model.json"))) {
      return Map.of();
    }
    Map<String, Object> card =
        new ObjectMapper().readValue(o.initFrom().resolve("model.json").toFile(), Map.class);
    Object t = card.get("training");
    return t instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
