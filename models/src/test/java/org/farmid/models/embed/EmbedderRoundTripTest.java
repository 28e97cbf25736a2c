package org.farmid.models.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.farmid.common.embed.CropEvaluation;
import org.farmid.common.image.CropPreprocessor;
import org.farmid.common.synth.ArchivePlan;
import org.farmid.common.synth.HerdMember;
import org.farmid.common.synth.SceneRenderer;
import org.farmid.common.synth.SynthSettings;
import org.farmid.common.train.Augmentation;
import org.farmid.common.train.Augmentation.Flips;
import org.farmid.common.train.LabelledCrops;
import org.farmid.models.tf.TrainingSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TUint8;

/**
 * Trains a tiny embedder for one epoch, exports it, and checks that DJL serves exactly what TF Java
 * computes, offline, and that the loader refuses folders that do not fit.
 */
class EmbedderRoundTripTest {
  @TempDir static Path dir;
  static Path model;
  static List<LabelledCrops.Crop> crops;
  static EmbedderTrainer.Outcome outcome;

  @BeforeAll
  static void trainTiny() throws IOException {
    SynthSettings s =
        new SynthSettings(
            3, 1, 1, 0.1, 0.1, 4, 0, 5, 320, 240, 0, 0, 0, 400, LocalDate.of(2026, 1, 5), 1);
    ArchivePlan plan = ArchivePlan.create(s);
    SceneRenderer renderer = new SceneRenderer(plan.rig(0));
    SplittableRandom rnd = new SplittableRandom(4);
    for (HerdMember m : plan.members()) {
      Path d = Files.createDirectories(dir.resolve("crops").resolve(Integer.toString(m.id())));
      for (int k = 0; k < 6; k++) {
        ImageIO.write(
            renderer.enrolmentCrop(m, plan.members(), rnd), "png", d.resolve(k + ".png").toFile());
      }
    }
    crops = LabelledCrops.fromFolders(dir.resolve("crops"));
    EmbedderArchitecture arch =
        new EmbedderArchitecture(32, 32, 0.35, 4, 16, 32, 0.5, 0.5, "semi-hard", true, "flatten");
    model = dir.resolve("model");
    outcome =
        new EmbedderTrainer(
                new EmbedderTrainer.Options(
                    arch,
                    2,
                    4,
                    2,
                    1e-3f,
                    5,
                    0.2,
                    5,
                    1.0,
                    0.2,
                    true,
                    "cosine",
                    0.3,
                    0.3,
                    Flips.NONE,
                    null,
                    Augmentation.Infrared.DEFAULT,
                    1.0,
                    false),
                l -> {})
            .train(crops, model, "test crops");
  }

  @Test
  void trainingReportsAndWritesAMatchingCard() throws Exception {
    assertThat(outcome.identities()).isEqualTo(4);
    assertThat(outcome.trainCrops() + outcome.validationCrops()).isEqualTo(24);
    assertThat(outcome.validationCrops()).isEqualTo(4); // one of six per animal
    assertThat(outcome.epochs()).hasSize(2);
    ModelCard card = ModelCard.readEmbedder(model, 16);
    assertThat(card.inputWidth()).isEqualTo(32);
    assertThat(card.inputHeight()).isEqualTo(32);
    assertThat(card.channelOrder()).isEqualTo("RGB");
    assertThat(card.preprocessing()).isEqualTo(CropPreprocessor.ID);
    assertThat(card.training())
        .containsEntry("identities", 4)
        .containsEntry("flips", "none")
        .containsKey("data_fingerprint");
  }

  @Test
  void djlServesExactlyWhatTfJavaComputesAndOutputsAreUnitLength() throws Exception {
    CropPreprocessor pre = new CropPreprocessor(32);
    List<byte[]> inputs = new ArrayList<>();
    for (LabelledCrops.Crop c : crops.subList(0, 10)) {
      inputs.add(pre.apply(CropEvaluation.read(c)));
    }
    float[][] viaDjl;
    try (DjlEmbedder e = DjlEmbedder.open(model, 16, 3)) {
      viaDjl = e.embed(inputs);
    }
    byte[] flat = new byte[10 * 32 * 32 * 3];
    for (int i = 0; i < 10; i++) {
      System.arraycopy(inputs.get(i), 0, flat, i * 32 * 32 * 3, 32 * 32 * 3);
    }
    float[] viaTf = new float[10 * 16];
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve");
        TUint8 x = TUint8.tensorOf(Shape.of(10, 32, 32, 3), DataBuffers.of(flat, true, false));
        Result r = b.function("serving_default").call(Map.of("images", x))) {
      r.get("embedding").orElseThrow().asRawTensor().data().asFloats().read(viaTf);
    }
    for (int i = 0; i < 10; i++) {
      assertThat(viaDjl[i]).hasSize(16);
      double norm = 0;
      for (int d = 0; d < 16; d++) {
        assertThat(viaDjl[i][d]).isCloseTo(viaTf[i * 16 + d], within(1e-6f));
        norm += viaDjl[i][d] * viaDjl[i][d];
      }
      assertThat(norm).isCloseTo(1.0, within(1e-4));
    }
    assertThat(DjlEmbedder.loadedModels()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void withFlipAveragingACropAndItsMirrorImageEmbedAlike() throws Exception {
    CropPreprocessor pre = new CropPreprocessor(32);
    byte[] crop = pre.apply(CropEvaluation.read(crops.get(0)));
    byte[] mirror = new byte[crop.length];
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        System.arraycopy(crop, (y * 32 + x) * 3, mirror, (y * 32 + 31 - x) * 3, 3);
      }
    }
    float[][] e;
    try (DjlEmbedder embedder = DjlEmbedder.open(model, 16, 3)) {
      e = embedder.embed(List.of(crop, mirror, pre.apply(CropEvaluation.read(crops.get(7)))));
    }
    for (int d = 0; d < 16; d++) {
      assertThat(e[1][d]).isCloseTo(e[0][d], within(1e-5f));
    }
    // and it is not a constant: another animal's crop embeds elsewhere
    double dot = 0;
    for (int d = 0; d < 16; d++) {
      dot += e[0][d] * e[2][d];
    }
    assertThat(dot).isLessThan(0.9999);
    assertThat(ModelCard.readEmbedder(model, 16).architecture())
        .containsEntry("flip_average", true);
  }

  @Test
  void trainingFromAnExportedModelStartsFromItsWeights() throws Exception {
    // No epoch: the export holds the starting weights (batch-norm statistics recalibrated on the
    // same crops with the same seed), so it embeds exactly as the model it started from.
    EmbedderArchitecture arch =
        new EmbedderArchitecture(32, 32, 0.35, 4, 16, 32, 0.5, 0.5, "semi-hard", true, "flatten");
    EmbedderTrainer.Options zero =
        new EmbedderTrainer.Options(
            arch,
            0,
            4,
            2,
            1e-3f,
            5,
            0.2,
            5,
            1.0,
            0.0,
            true,
            "cosine",
            0.3,
            0.3,
            Flips.BOTH,
            null,
            Augmentation.Infrared.DEFAULT,
            1.0,
            false);
    Path copy = dir.resolve("copy");
    List<String> lines = new ArrayList<>();
    new EmbedderTrainer(zero.withInitFrom(model), lines::add).train(crops, copy, "test crops");
    assertThat(lines).anyMatch(l -> l.startsWith("starting from the ") && l.contains("weights"));
    CropPreprocessor pre = new CropPreprocessor(32);
    List<byte[]> inputs = new ArrayList<>();
    for (LabelledCrops.Crop c : crops.subList(0, 6)) {
      inputs.add(pre.apply(CropEvaluation.read(c)));
    }
    float[][] a;
    float[][] b;
    try (DjlEmbedder e = DjlEmbedder.open(model, 16, 3)) {
      a = e.embed(inputs);
    }
    try (DjlEmbedder e = DjlEmbedder.open(copy, 16, 3)) {
      b = e.embed(inputs);
    }
    for (int i = 0; i < a.length; i++) {
      for (int d = 0; d < 16; d++) {
        assertThat(b[i][d]).isCloseTo(a[i][d], within(1e-5f));
      }
    }
    // From scratch the same settings embed differently: the check above can fail.
    new EmbedderTrainer(zero, l -> {}).train(crops, dir.resolve("fresh"), "test crops");
    try (DjlEmbedder e = DjlEmbedder.open(dir.resolve("fresh"), 16, 3)) {
      assertThat(Math.abs(e.embed(inputs)[0][0] - a[0][0])).isGreaterThan(1e-4f);
    }
    // Another shape is refused, naming a weight that does not fit.
    EmbedderArchitecture wider =
        new EmbedderArchitecture(32, 32, 0.5, 4, 16, 32, 0.5, 0.5, "semi-hard", false, "flatten");
    EmbedderTrainer.Options other =
        new EmbedderTrainer.Options(
            wider,
            0,
            4,
            2,
            1e-3f,
            5,
            0.2,
            5,
            1.0,
            0.0,
            true,
            "cosine",
            0.3,
            0.3,
            Flips.BOTH,
            model,
            Augmentation.Infrared.DEFAULT,
            1.0,
            false);
    assertThatThrownBy(
            () -> new EmbedderTrainer(other, l -> {}).train(crops, dir.resolve("x"), "test crops"))
        .hasMessageContaining("does not fit this network")
        .hasMessageContaining(
            "weight block1/project/w has shape [1, 1, 48, 8], this network needs [1, 1, 48, 16]");
  }

  @Test
  void aBackboneRateFactorOfZeroTrainsTheHeadAlone() throws Exception {
    // Two epochs on from the exported model: at factor 0 every backbone weight keeps its value
    // exactly (batch-norm statistics, which are recalibrated, aside); at factor 1 it moves.
    EmbedderArchitecture arch =
        new EmbedderArchitecture(32, 32, 0.35, 4, 16, 32, 0.5, 0.5, "semi-hard", true, "flatten");
    Map<String, Path> tuned = new LinkedHashMap<>();
    for (double factor : new double[] {0, 1}) {
      EmbedderTrainer.Options o =
          new EmbedderTrainer.Options(
              arch,
              2,
              4,
              2,
              1e-2f,
              5,
              0.0,
              5,
              1.0,
              0.2,
              true,
              "constant",
              0,
              0,
              Flips.NONE,
              model,
              Augmentation.Infrared.DEFAULT,
              factor,
              false);
      Path out = dir.resolve("backbone-factor-" + factor);
      new EmbedderTrainer(o, l -> {}).train(crops, out, "test crops");
      tuned.put("factor " + factor, out);
      assertThat(ModelCard.readEmbedder(out, 16).training())
          .containsEntry("backbone_learning_rate_factor", factor);
    }
    try (EmbedderGraph g = new EmbedderGraph(arch, 5, 6, 1f, 0.2f, 1f)) {
      Set<String> fresh = Set.of(EmbedderGraph.CLASS_WEIGHTS);
      Map<String, float[]> start = TrainingSession.readSaved(model, g, fresh);
      Map<String, float[]> frozen = TrainingSession.readSaved(tuned.get("factor 0.0"), g, fresh);
      Map<String, float[]> free = TrainingSession.readSaved(tuned.get("factor 1.0"), g, fresh);
      List<String> backbone =
          start.keySet().stream()
              .filter(n -> !n.startsWith("head/") && !n.contains("moving_"))
              .toList();
      assertThat(backbone).contains("block1/project/w", "block3/dw/w", "block2/expand/bn/gamma");
      for (String n : backbone) {
        assertThat(frozen.get(n)).as(n).containsExactly(start.get(n));
      }
      assertThat(free.get("block1/project/w")).isNotEqualTo(start.get("block1/project/w"));
      assertThat(frozen.get("head/dense2/w")).isNotEqualTo(start.get("head/dense2/w"));
    }
  }

  @Test
  void aPooledHeadTrainsExportsAndIsRefusedByAFlattenedOne() throws Exception {
    // 32x32 input, 4 blocks at width 0.35: a 4x4x16 feature map, 256 values flattened, 16 pooled.
    EmbedderArchitecture pooled =
        new EmbedderArchitecture(32, 32, 0.35, 4, 16, 32, 0.5, 0.5, "semi-hard", false, "average");
    assertThat(pooled.headInputs()).isEqualTo(16);
    assertThat(
            new EmbedderArchitecture(
                    32, 32, 0.35, 4, 16, 32, 0.5, 0.5, "semi-hard", false, "flatten")
                .headInputs())
        .isEqualTo(256);
    Path out = dir.resolve("pooled");
    new EmbedderTrainer(
            new EmbedderTrainer.Options(
                pooled,
                1,
                4,
                2,
                1e-3f,
                5,
                0.0,
                5,
                1.0,
                0.2,
                true,
                "constant",
                0,
                0,
                Flips.NONE,
                null,
                Augmentation.Infrared.DEFAULT,
                1.0,
                false),
            l -> {})
        .train(crops, out, "test crops");
    assertThat(ModelCard.readEmbedder(out, 16).architecture()).containsEntry("pooling", "average");
    try (EmbedderGraph g = new EmbedderGraph(pooled, 5, 6, 1f, 0.2f, 1f)) {
      assertThat(TrainingSession.readSaved(out, g, Set.of(EmbedderGraph.CLASS_WEIGHTS)))
          .containsKey("head/dense1/w")
          .extractingByKey("head/dense1/w")
          .satisfies(w -> assertThat(w).hasSize(16 * 32));
    }
    assertThatThrownBy(
            () ->
                new EmbedderArchitecture(
                    32, 32, 0.35, 4, 16, 32, 0.5, 0.5, "semi-hard", false, "sum"))
        .hasMessage("pooling must be flatten, average or max, got sum");
    try (EmbedderGraph flat =
        new EmbedderGraph(
            new EmbedderArchitecture(
                32, 32, 0.35, 4, 16, 32, 0.5, 0.5, "semi-hard", false, "flatten"),
            5,
            6,
            1f,
            0.2f,
            1f)) {
      assertThatThrownBy(
              () -> TrainingSession.readSaved(out, flat, Set.of(EmbedderGraph.CLASS_WEIGHTS)))
          .hasMessageContaining(
              "weight head/dense1/w has shape [16, 32], this network needs [256, 32]");
    }
  }

  @Test
  void withAValidationShareOfZeroEveryCropTrainsAndTheLastEpochIsExported() throws Exception {
    EmbedderArchitecture arch =
        new EmbedderArchitecture(32, 32, 0.35, 4, 16, 32, 0.5, 0.5, "semi-hard", false, "flatten");
    List<String> lines = new ArrayList<>();
    Path out = dir.resolve("all");
    // patience 1 would stop after epoch 2 had anything been held out to measure
    EmbedderTrainer.Outcome all =
        new EmbedderTrainer(
                new EmbedderTrainer.Options(
                    arch,
                    3,
                    4,
                    2,
                    1e-3f,
                    5,
                    0.0,
                    1,
                    1.0,
                    0.2,
                    true,
                    "cosine",
                    0,
                    0,
                    Flips.NONE,
                    null,
                    Augmentation.Infrared.DEFAULT,
                    1.0,
                    false),
                lines::add)
            .train(crops, out, "test crops");
    assertThat(all.validationCrops()).isZero();
    assertThat(all.trainCrops()).isEqualTo(24);
    assertThat(all.epochs()).hasSize(3);
    assertThat(all.bestEpoch()).isEqualTo(3);
    assertThat(all.bestValidationMacroF1()).isNaN();
    assertThat(lines.stream().filter(l -> l.startsWith("epoch ")))
        .hasSize(3)
        .allMatch(l -> l.contains("(nothing held out)"));
    ModelCard card = ModelCard.readEmbedder(out, 16);
    assertThat(card.training()).containsEntry("validation_crops", 0).containsEntry("best_epoch", 3);
    assertThat(card.validation()).doesNotContainKey("macro_f1_nearest_mean");
  }

  @Test
  void aBodyAxisModelNamesItsPreprocessingAndIsServedWithIt() throws Exception {
    EmbedderArchitecture wide =
        new EmbedderArchitecture(64, 32, 0.35, 4, 16, 32, 0.5, 0.5, "semi-hard", true, "flatten");
    Path out = dir.resolve("aligned");
    trainOneEpoch(wide, Flips.BOTH, true, out);
    ModelCard card = ModelCard.readEmbedder(out, 16);
    assertThat(card.preprocessing()).isEqualTo(CropPreprocessor.ALIGNED_ID);
    assertThat(card.training()).containsEntry("align", "body-axis");
    try (DjlEmbedder e = DjlEmbedder.open(out, 16, 3)) {
      CropPreprocessor pre = e.preprocessor();
      assertThat(pre.aligned()).isTrue();
      assertThat(pre.width()).isEqualTo(64);
      assertThat(pre.height()).isEqualTo(32);
      java.awt.image.BufferedImage img = CropEvaluation.read(crops.get(0));
      assertThat(pre.apply(img))
          .isEqualTo(new CropPreprocessor(64, 32, true).apply(img))
          .isNotEqualTo(new CropPreprocessor(64, 32).apply(img));
    }
    try (DjlEmbedder e = DjlEmbedder.open(model, 16, 3)) {
      assertThat(e.preprocessor().aligned()).isFalse();
    }
  }

  @Test
  void aTallInputTrainsExportsAndServesItsOwnShape() throws Exception {
    // 32 wide, 48 high: crops taller than wide keep their proportions; occlusion and partial
    // views run on the non-square inputs too.
    EmbedderArchitecture tall =
        new EmbedderArchitecture(32, 48, 0.35, 4, 16, 32, 0.5, 0.5, "semi-hard", true, "flatten");
    Path out = dir.resolve("tall");
    trainOneEpoch(tall, Flips.NONE, false, out);
    ModelCard card = ModelCard.readEmbedder(out, 16);
    assertThat(card.inputWidth()).isEqualTo(32);
    assertThat(card.inputHeight()).isEqualTo(48);
    assertThat(Files.readString(out.resolve(ModelCard.FILE))).contains("\"input_height\" : 48");
    // a square model's card keeps the one size it always had
    assertThat(Files.readString(model.resolve(ModelCard.FILE))).doesNotContain("input_height");

    CropPreprocessor pre = new CropPreprocessor(32, 48);
    List<byte[]> inputs = new ArrayList<>();
    for (LabelledCrops.Crop c : crops.subList(0, 4)) {
      inputs.add(pre.apply(CropEvaluation.read(c)));
    }
    byte[] crop = inputs.get(0);
    byte[] mirror = new byte[crop.length];
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 32; x++) {
        System.arraycopy(crop, (y * 32 + x) * 3, mirror, (y * 32 + 31 - x) * 3, 3);
      }
    }
    inputs.add(mirror);
    float[][] viaDjl;
    try (DjlEmbedder e = DjlEmbedder.open(out, 16, 3)) {
      assertThat(e.inputWidth()).isEqualTo(32);
      assertThat(e.inputHeight()).isEqualTo(48);
      viaDjl = e.embed(inputs);
      assertThatThrownBy(() -> e.embed(List.of(new byte[32 * 32 * 3])))
          .hasMessageContaining("takes 32x48 RGB inputs (4608 bytes), got 3072 bytes");
    }
    byte[] flat = new byte[inputs.size() * crop.length];
    for (int i = 0; i < inputs.size(); i++) {
      System.arraycopy(inputs.get(i), 0, flat, i * crop.length, crop.length);
    }
    float[] viaTf = new float[inputs.size() * 16];
    try (SavedModelBundle b = SavedModelBundle.load(out.toString(), "serve");
        TUint8 x =
            TUint8.tensorOf(Shape.of(inputs.size(), 48, 32, 3), DataBuffers.of(flat, true, false));
        Result r = b.function("serving_default").call(Map.of("images", x))) {
      r.get("embedding").orElseThrow().asRawTensor().data().asFloats().read(viaTf);
    }
    for (int i = 0; i < inputs.size(); i++) {
      for (int d = 0; d < 16; d++) {
        assertThat(viaDjl[i][d]).isCloseTo(viaTf[i * 16 + d], within(1e-6f));
      }
    }
    // the test-time flip mirrors across the width: the mirror image embeds as the crop does
    for (int d = 0; d < 16; d++) {
      assertThat(viaDjl[4][d]).isCloseTo(viaDjl[0][d], within(1e-5f));
    }
    assertThat(Math.abs(viaDjl[1][0] - viaDjl[0][0]) + Math.abs(viaDjl[1][1] - viaDjl[0][1]))
        .isGreaterThan(1e-4f);
  }

  @Test
  void noNativeLibraryWasDownloaded() throws IOException {
    Path cache = Path.of(System.getProperty("DJL_CACHE_DIR", "target/djl-cache"));
    if (Files.exists(cache)) {
      try (Stream<Path> files = Files.walk(cache)) {
        assertThat(
                files.filter(
                    p -> p.toString().endsWith(".so") || p.toString().contains("tensorflow")))
            .as("DJL must use the bundled natives, never download its own")
            .isEmpty();
      }
    }
    assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
  }

  @Test
  void cardsThatDoNotFitAreRefusedNamingTheMismatch() throws IOException {
    assertThatThrownBy(() -> DjlEmbedder.open(dir.resolve("nowhere"), 16, 8))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("nowhere")
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> DjlEmbedder.open(model, 64, 8))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("embedding_size is 16, expected 64");
    Path bent = dir.resolve("bent");
    Files.createDirectories(bent);
    Files.copy(model.resolve("saved_model.pb"), bent.resolve("saved_model.pb"));
    String card =
        Files.readString(model.resolve("model.json"))
            .replace("\"RGB\"", "\"BGR\"")
            .replace("uint8\"", "float32\"");
    Files.writeString(bent.resolve("model.json"), card);
    assertThatThrownBy(() -> DjlEmbedder.open(bent, 16, 8))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("channel_order is 'BGR', expected 'RGB'")
        .hasMessageContaining("input_dtype is 'float32', expected 'uint8'");
  }

  /** One epoch on the test crops, half of them partial views and half with a neighbour's band. */
  private void trainOneEpoch(EmbedderArchitecture arch, Flips flips, boolean align, Path out)
      throws Exception {
    new EmbedderTrainer(
            new EmbedderTrainer.Options(
                arch,
                1,
                4,
                2,
                1e-3f,
                5,
                0.2,
                5,
                1.0,
                0.2,
                true,
                "constant",
                0.5,
                0.5,
                flips,
                null,
                Augmentation.Infrared.DEFAULT,
                1.0,
                align),
            l -> {})
        .train(crops, out, "test crops");
  }
}
