package org.farmid.models.embed;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.farmid.common.embed.CropEvaluation;
import org.farmid.common.embed.NearestMean;
import org.farmid.common.geom.Box;
import org.farmid.common.image.CropPreprocessor;
import org.farmid.common.metrics.ClassificationReport;
import org.farmid.common.train.Augmentation;
import org.farmid.common.train.LabelledCrops;
import org.farmid.common.train.PkBatches;
import org.farmid.models.pretrained.MobileNetV2Backbone;
import org.farmid.models.pretrained.TfjsLayersModel;
import org.farmid.models.tf.AdamFeed;
import org.farmid.models.tf.TrainingSession;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * Trains the embedder with a triplet loss on labelled crops and exports it as a SavedModel with its
 * card. Batches hold P animals with K crops each; a held-out slice of each animal's crops is
 * classified by nearest mean after every epoch, the best weights are kept, and training stops early
 * when the held-out macro F1 stops rising.
 */
public final class EmbedderTrainer {

  /** Training settings. */
  public record Options(
      EmbedderArchitecture architecture,
      int epochs,
      int animalsPerBatch,
      int cropsPerAnimal,
      float learningRate,
      long seed,
      double validationShare,
      int patience,
      double classificationWeight,
      double classificationMargin,
      boolean augment,
      String learningRateSchedule,
      double partialViewShare,
      double occlusionShare,
      Augmentation.Flips flips,
      Path initFrom,
      Augmentation.Infrared infrared,
      double backboneRateFactor,
      boolean align) {

    /** The same settings, training from the weights of {@code model} (null: from scratch). */
    public Options withInitFrom(Path model) {
      return new Options(
          architecture,
          epochs,
          animalsPerBatch,
          cropsPerAnimal,
          learningRate,
          seed,
          validationShare,
          patience,
          classificationWeight,
          classificationMargin,
          augment,
          learningRateSchedule,
          partialViewShare,
          occlusionShare,
          flips,
          model,
          infrared,
          backboneRateFactor,
          align);
    }

    /** The step size at {@code progress} of training (0 to 1), by the schedule. */
    public float learningRateAt(double progress) {
      return AdamFeed.learningRate(learningRateSchedule, learningRate, progress);
    }
  }

  /** One epoch's figures. */
  public record Epoch(int epoch, double loss, double validationMacroF1, double seconds) {}

  /** What training made. */
  public record Outcome(
      Path modelDir,
      List<Epoch> epochs,
      int bestEpoch,
      double bestValidationMacroF1,
      int trainCrops,
      int validationCrops,
      int identities,
      double seconds,
      String fingerprint) {}

  /** A decoded crop kept small in memory: packed BGR, at most twice the input's longer side. */
  private record Image(String label, int labelIndex, byte[] bgr, int width, int height) {}

  private final Options options;
  private final Consumer<String> progress;
  private final CropPreprocessor preprocessor;
  private Path backbone;

  public EmbedderTrainer(Options options, Consumer<String> progress) {
    this.options = options;
    this.progress = progress;
    EmbedderArchitecture a = options.architecture();
    this.preprocessor = new CropPreprocessor(a.inputWidth(), a.inputHeight(), options.align());
  }

  /**
   * Starts the backbone from a pretrained Keras MobileNetV2 in TensorFlow.js format ({@code
   * models/pretrained/mobilenet_v2}) instead of random weights; {@code --init-from} still wins
   * where both are given. Null: from scratch.
   */
  public EmbedderTrainer backbone(Path tfjsModel) {
    this.backbone = tfjsModel;
    return this;
  }

  public Outcome train(List<LabelledCrops.Crop> crops, Path modelDir, String dataDescription)
      throws IOException {
    long t0 = System.nanoTime();
    Map<String, Integer> labelIndex = new TreeMap<>();
    for (LabelledCrops.Crop c : crops) {
      labelIndex.putIfAbsent(c.identity(), 0);
    }
    int k = 0;
    for (Map.Entry<String, Integer> e : labelIndex.entrySet()) {
      e.setValue(k++);
    }
    progress.accept("loading " + crops.size() + " crops of " + labelIndex.size() + " animals");
    List<Image> all = new ArrayList<>();
    for (LabelledCrops.Crop c : crops) {
      all.add(load(c, labelIndex.get(c.identity())));
    }
    // Hold out a slice of each animal's crops (never its only ones) for validation.
    SplittableRandom splitRnd = new SplittableRandom(options.seed() ^ 0x5EED);
    Map<Integer, List<Image>> byLabel = new TreeMap<>();
    for (Image img : all) {
      byLabel.computeIfAbsent(img.labelIndex(), x -> new ArrayList<>()).add(img);
    }
    List<Image> train = new ArrayList<>();
    List<Image> validation = new ArrayList<>();
    for (List<Image> imgs : byLabel.values()) {
      List<Image> shuffled = new ArrayList<>(imgs);
      for (int i = shuffled.size() - 1; i > 0; i--) {
        java.util.Collections.swap(shuffled, i, splitRnd.nextInt(i + 1));
      }
      // A share of 0 holds nothing out: every crop trains and the last epoch is exported.
      int held =
          imgs.size() >= 4 && options.validationShare() > 0
              ? Math.max(1, (int) Math.round(imgs.size() * options.validationShare()))
              : 0;
      validation.addAll(shuffled.subList(0, held));
      train.addAll(shuffled.subList(held, shuffled.size()));
    }
    int[] labels = train.stream().mapToInt(Image::labelIndex).toArray();
    String fingerprint = fingerprint(crops);

    List<Epoch> epochs = new ArrayList<>();
    double best = -1;
    int bestEpoch = 0;
    Map<String, float[]> bestWeights = null;
    try (EmbedderGraph g =
            new EmbedderGraph(
                options.architecture(),
                options.seed(),
                labelIndex.size(),
                (float) options.classificationWeight(),
                (float) options.classificationMargin(),
                (float) options.backboneRateFactor());
        Session session = new Session(g.graph)) {
      session.initialize();
      TrainingSession.assign(session, g, g.initialValues());
      if (backbone != null) {
        Map<String, float[]> pretrained =
            MobileNetV2Backbone.weightsFor(TfjsLayersModel.read(backbone), g.params);
        TrainingSession.assign(session, g, pretrained);
        progress.accept("backbone: " + pretrained.size() + " pretrained weights from " + backbone);
      }
      if (options.initFrom() != null) {
        Map<String, float[]> start =
            TrainingSession.readSaved(options.initFrom(), g, Set.of(EmbedderGraph.CLASS_WEIGHTS));
        TrainingSession.assign(session, g, start);
        progress.accept(
            "starting from the "
                + start.size()
                + " weights of "
                + options.initFrom()
                + (start.containsKey(EmbedderGraph.CLASS_WEIGHTS)
                    ? ""
                    : " (classification head new: other animals)"));
      }
      int sinceBest = 0;
      long stepCount = 0;
      for (int epoch = 1; epoch <= options.epochs(); epoch++) {
        long e0 = System.nanoTime();
        SplittableRandom augRnd = new SplittableRandom(options.seed() * 31 + epoch);
        List<int[]> batches =
            PkBatches.epoch(
                labels,
                options.animalsPerBatch(),
                options.cropsPerAnimal(),
                options.seed() + epoch);
        double lossSum = 0;
        for (int b = 0; b < batches.size(); b++) {
          stepCount++;
          float lr =
              options.learningRateAt((epoch - 1 + (double) b / batches.size()) / options.epochs());
          lossSum += step(session, g, train, batches.get(b), augRnd, lr, stepCount);
        }
        recalibrate(session, g, train);
        double f1 = validation.isEmpty() ? Double.NaN : validate(session, g, train, validation);
        double loss = lossSum / Math.max(1, batches.size());
        Epoch report = new Epoch(epoch, loss, f1, (System.nanoTime() - e0) / 1e9);
        epochs.add(report);
        boolean improved = validation.isEmpty() || f1 > best;
        if (improved) {
          best = validation.isEmpty() ? Double.NaN : f1;
          bestEpoch = epoch;
          bestWeights = TrainingSession.read(session, g);
          sinceBest = 0;
        } else {
          sinceBest++;
        }
        progress.accept(
            validation.isEmpty()
                ? String.format(
                    "epoch %d/%d  loss %.4f  (nothing held out)  %.1f s",
                    epoch, options.epochs(), loss, report.seconds())
                : String.format(
                    "epoch %d/%d  loss %.4f  validation macro F1 %.4f%s  %.1f s",
                    epoch,
                    options.epochs(),
                    loss,
                    f1,
                    improved ? " (best)" : "",
                    report.seconds()));
        if (sinceBest >= options.patience()) {
          progress.accept(
              "no better validation F1 for " + options.patience() + " epochs: stopping");
          break;
        }
      }
      if (bestWeights == null) {
        // No epoch ran (--epochs 0): export the untrained network, its statistics calibrated.
        recalibrate(session, g, train);
      } else {
        TrainingSession.assign(session, g, bestWeights);
      }
      Files.createDirectories(modelDir.getParent() == null ? Path.of(".") : modelDir.getParent());
      export(session, g, modelDir);
    }
    Outcome outcome =
        new Outcome(
            modelDir,
            epochs,
            bestEpoch,
            best,
            train.size(),
            validation.size(),
            labelIndex.size(),
            (System.nanoTime() - t0) / 1e9,
            fingerprint);
    writeCard(modelDir, outcome, labelIndex.size(), dataDescription);
    return outcome;
  }

  private double step(
      Session session,
      EmbedderGraph g,
      List<Image> train,
      int[] batch,
      SplittableRandom rnd,
      float learningRate,
      long step) {
    List<byte[]> inputs = new ArrayList<>();
    int[] labels = new int[batch.length];
    for (int i = 0; i < batch.length; i++) {
      Image img = train.get(batch[i]);
      byte[] input;
      if (options.augment()) {
        input = augmented(img, rnd);
        if (options.occlusionShare() > 0 && rnd.nextDouble() < options.occlusionShare()) {
          Image other = train.get(rnd.nextInt(train.size()));
          if (other.labelIndex() != img.labelIndex()) {
            Augmentation.occlude(
                input, augmented(other, rnd), preprocessor.width(), preprocessor.height(), rnd);
          }
        }
        Augmentation.photometric(input, rnd, options.infrared());
      } else {
        input = cleanInput(img);
      }
      inputs.add(input);
      labels[i] = img.labelIndex();
    }
    try (TUint8 x = batchOf(inputs);
        TInt32 y = TInt32.vectorOf(labels);
        AdamFeed adam = new AdamFeed(learningRate, step);
        Result r =
            adam.feed(session.runner(), g)
                .feed(g.images, x)
                .feed(g.labels, y)
                .addTarget(g.trainStep)
                .fetch(g.loss)
                .run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  /**
   * Sets the inference path's batch-norm statistics to the mean of the training path's batch
   * statistics over up to 16 clean (unaugmented) batches of training crops.
   */
  private void recalibrate(Session session, EmbedderGraph g, List<Image> train) {
    int batch = 64;
    SplittableRandom rnd = new SplittableRandom(options.seed() + 17);
    List<TUint8> batches = new ArrayList<>();
    try {
      for (int b = 0; b < 16 && b * batch < train.size(); b++) {
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 0; i < Math.min(batch, train.size()); i++) {
          inputs.add(cleanInput(train.get(rnd.nextInt(train.size()))));
        }
        batches.add(batchOf(inputs));
      }
      TrainingSession.recalibrate(session, g, batches);
    } finally {
      batches.forEach(TUint8::close);
    }
  }

  /** Macro F1 of the held-out crops by nearest mean of (up to 12 per animal) training crops. */
  private double validate(
      Session session, EmbedderGraph g, List<Image> train, List<Image> validation) {
    Map<Integer, Integer> perLabel = new LinkedHashMap<>();
    List<Image> gallery = new ArrayList<>();
    for (Image img : train) {
      if (perLabel.merge(img.labelIndex(), 1, Integer::sum) <= 12) {
        gallery.add(img);
      }
    }
    float[][] ge = embed(session, g, gallery);
    float[][] ve = embed(session, g, validation);
    List<String> gl = gallery.stream().map(Image::label).toList();
    NearestMean nm = NearestMean.fit(gl, List.of(ge));
    List<String> truth = new ArrayList<>();
    List<String> predicted = new ArrayList<>();
    for (int i = 0; i < validation.size(); i++) {
      truth.add(validation.get(i).label());
      predicted.add(nm.classify(ve[i]).label());
    }
    return ClassificationReport.of(truth, predicted).macroF1();
  }

  private float[][] embed(Session session, EmbedderGraph g, List<Image> images) {
    int d = options.architecture().embeddingSize();
    float[][] out = new float[images.size()][];
    int batch = 64;
    for (int start = 0; start < images.size(); start += batch) {
      int n = Math.min(batch, images.size() - start);
      List<byte[]> inputs = new ArrayList<>();
      for (Image img : images.subList(start, start + n)) {
        inputs.add(cleanInput(img));
      }
      try (TUint8 x = batchOf(inputs);
          Result r = session.runner().feed(g.images, x).fetch(g.embedding).run()) {
        float[] flat = new float[n * d];
        r.get(0).asRawTensor().data().asFloats().read(flat);
        for (int i = 0; i < n; i++) {
          out[start + i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
        }
      }
    }
    return out;
  }

  /** A training crop: a random partial view, through a random geometric jitter. */
  private byte[] augmented(Image img, SplittableRandom rnd) {
    Box region =
        Augmentation.partialView(img.width(), img.height(), options.partialViewShare(), rnd);
    return preprocessor.apply(
        img.bgr(), img.width(), img.height(), region, Augmentation.jitter(rnd, options.flips()));
  }

  /** A crop as the model sees it at inference: the shared preprocessing, no augmentation. */
  private byte[] cleanInput(Image img) {
    return preprocessor.apply(
        img.bgr(), img.width(), img.height(), new Box(0, 0, img.width(), img.height()));
  }

  /** Model inputs packed into one uint8 {@code [N, H, W, 3]} tensor; the caller closes it. */
  private TUint8 batchOf(List<byte[]> inputs) {
    return TrainingSession.rgbBatch(inputs, preprocessor.width(), preprocessor.height());
  }

  private void export(Session session, EmbedderGraph g, Path modelDir) throws IOException {
    if (Files.exists(modelDir.resolve("saved_model.pb"))) {
      Files.delete(modelDir.resolve("saved_model.pb"));
    }
    SavedModelBundle.exporter(modelDir.toString())
        .withSession(session)
        .withSignature(
            Signature.builder()
                .key(Signature.DEFAULT_KEY)
                .input(EmbedderGraph.INPUT, g.images)
                .output(EmbedderGraph.OUTPUT, g.embedding)
                .build())
        .export();
  }

  private void writeCard(Path modelDir, Outcome o, int identities, String data) throws IOException {
    EmbedderArchitecture a = options.architecture();
    Map<String, Object> arch = new LinkedHashMap<>();
    arch.put("backbone", "mobilenetv2-inverted-residual");
    arch.put("width", a.width());
    arch.put("blocks", a.blocks());
    arch.put("dense", a.denseSize());
    arch.put("dropout", a.dropout());
    arch.put("loss", a.loss());
    arch.put("margin", a.margin());
    arch.put("flip_average", a.flipAverage());
    arch.put("pooling", a.pooling());
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("data", data);
    training.put("data_fingerprint", o.fingerprint());
    training.put("identities", identities);
    training.put("train_crops", o.trainCrops());
    training.put("validation_crops", o.validationCrops());
    training.put("epochs_run", o.epochs().size());
    training.put("best_epoch", o.bestEpoch());
    training.put("seed", options.seed());
    training.put("learning_rate", options.learningRate());
    training.put("learning_rate_schedule", options.learningRateSchedule());
    training.put("partial_view_share", options.partialViewShare());
    training.put("occlusion_share", options.occlusionShare());
    training.put("infrared_share", options.infrared().share());
    training.put("infrared_contrast", options.infrared().contrast());
    if (options.initFrom() != null) {
      training.put("init_from", options.initFrom().toAbsolutePath().normalize().toString());
    }
    if (backbone != null) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("path", backbone.toAbsolutePath().normalize().toString());
      Path card = backbone.resolve("card.json");
      if (Files.isRegularFile(card)) {
        b.put("card", new ObjectMapper().readValue(card.toFile(), Map.class));
      }
      training.put("backbone", b);
    }
    training.put("classification_weight", options.classificationWeight());
    training.put("classification_margin", options.classificationMargin());
    training.put("backbone_learning_rate_factor", options.backboneRateFactor());
    training.put("augment", options.augment());
    training.put("flips", options.flips().key());
    training.put("align", options.align() ? "body-axis" : "none");
    training.put("batch", options.animalsPerBatch() + "x" + options.cropsPerAnimal());
    training.put("seconds", Math.round(o.seconds()));
    Map<String, Object> validation = new LinkedHashMap<>();
    if (!Double.isNaN(o.bestValidationMacroF1())) {
      validation.put("macro_f1_nearest_mean", o.bestValidationMacroF1());
    }
    new ModelCard(
            ModelCard.FORMAT,
            ModelCard.EMBEDDER,
            a.inputWidth(),
            a.inputHeight() == a.inputWidth() ? null : a.inputHeight(),
            EmbedderGraph.INPUT,
            "uint8",
            "RGB",
            preprocessor.id(),
            EmbedderGraph.OUTPUT,
            a.embeddingSize(),
            Signature.DEFAULT_KEY,
            arch,
            training,
            validation,
            gitCommit())
        .write(modelDir);
  }

  private Image load(LabelledCrops.Crop c, int index) throws IOException {
    BufferedImage img = CropEvaluation.read(c);
    int max = 2 * Math.max(preprocessor.width(), preprocessor.height());
    double f = Math.min(1.0, (double) max / Math.max(img.getWidth(), img.getHeight()));
    int w = Math.max(1, (int) Math.round(img.getWidth() * f));
    int h = Math.max(1, (int) Math.round(img.getHeight() * f));
    BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D gr = small.createGraphics();
    gr.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    gr.drawImage(img, 0, 0, w, h, null);
    gr.dispose();
    return new Image(c.identity(), index, CropPreprocessor.packedBgr(small), w, h);
  }

  private static String fingerprint(List<LabelledCrops.Crop> crops) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (LabelledCrops.Crop c : crops) {
        sha.update(
            (c.path().getFileName() + "," + c.identity() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return "sha256:" + HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String gitCommit() {
    String fromEnv = System.getenv("FARMID_GIT_COMMIT");
    if (fromEnv != null) {
      return fromEnv;
    }
    try {
      Process p =
          new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 ? out : "unknown";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
