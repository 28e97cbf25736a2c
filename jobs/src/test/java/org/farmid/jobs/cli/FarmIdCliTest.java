package org.farmid.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.farmid.jobs.testing.PenFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FarmIdCliTest {

  /** Exit code and what the command printed. */
  record Result(int code, String out, String err) {}

  static Result farmid(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = FarmId.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void helpListsTheCommandsAndExitsZero() {
    Result r = farmid("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("synth")
        .contains("train-embedder")
        .contains("eval-crops")
        .contains("bench-embedder")
        .contains("Exit codes");
    Result sub = farmid("synth", "--help");
    assertThat(sub.code()).isZero();
    assertThat(sub.out())
        .contains("--out=DIR")
        .contains("--night-fraction")
        .contains("--json=FILE");
  }

  @Test
  void everyCommandsHelpFormatsWithoutPicocliWarnings() {
    java.io.PrintStream saved = System.err;
    java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
    java.util.Set<String> commands =
        new picocli.CommandLine(new FarmId()).getSubcommands().keySet();
    assertThat(commands).contains("train-detector", "train-embedder", "run");
    System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      for (String c : commands) {
        assertThat(farmid(c, "--help").code()).as(c).isZero();
      }
    } finally {
      System.setErr(saved);
    }
    assertThat(warnings.toString(java.nio.charset.StandardCharsets.UTF_8))
        .doesNotContain("Could not format");
  }

  @Test
  void unknownOptionIsAUsageErrorNamingIt(@TempDir Path dir) {
    Result r = farmid("synth", "--out", dir.toString(), "--colour", "red");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--colour");
  }

  @Test
  void missingRequiredOptionIsAUsageError() {
    Result r = farmid("synth");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--out");
  }

  @Test
  void badConfigKeysAreAllNamedWithExitTwoAndNothingWritten(@TempDir Path dir) {
    Path out = dir.resolve("never");
    Result r =
        farmid(
            "synth",
            "--out",
            out.toString(),
            "--set",
            "synth.sed=3",
            "--days",
            "0",
            "--set",
            "synth.fps=fast");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("unknown key 'farmid.synth.sed'")
        .contains("'farmid.synth.fps' must be a number")
        .contains("'farmid.synth.days' must be at least 1, got 0");
    assertThat(out).doesNotExist();
    Result range = farmid("synth", "--out", out.toString(), "--days", "0");
    assertThat(range.code()).isEqualTo(2);
    assertThat(range.err()).contains("'farmid.synth.days' must be at least 1, got 0");
  }

  @Test
  void anOutputPathThatIsAFileIsAUsageError(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("taken"), "x");
    Result r = farmid("synth", "--out", file.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--out " + file).contains("is a file");
  }

  @Test
  void synthWritesTheArchiveAndItsFiguresAsJson(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("pen");
    Path json = dir.resolve("figures/synth.json");
    Result r =
        farmid(
            "synth",
            "--out",
            out.toString(),
            "--seed",
            "5",
            "--cameras",
            "2",
            "--days",
            "2",
            "--minutes",
            "0.1",
            "--animals",
            "3",
            "--visitors",
            "1",
            "--width",
            "320",
            "--height",
            "240",
            "--enrol-crops",
            "1",
            "--herd-changes",
            "1",
            "--json",
            json.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode figures = new ObjectMapper().readTree(json.toFile());
    assertThat(figures.get("videos").asInt()).isEqualTo(4);
    assertThat(figures.get("frames").asInt()).isEqualTo(4 * 30);
    assertThat(figures.get("registered_animals").asInt()).isEqualTo(2 * 3 + 1);
    assertThat(figures.get("visitors").asInt()).isEqualTo(2);
    assertThat(figures.get("enrol_crops").asInt()).isEqualTo(7);
    assertThat(r.out()).contains("synthetic archive written").contains("videos               4");
    try (Stream<Path> mp4 = Files.walk(out.resolve("archive"))) {
      assertThat(mp4.filter(p -> p.toString().endsWith(".mp4"))).hasSize(4);
    }
    assertThat(Files.readAllLines(out.resolve("animals.csv"))).hasSize(1 + 7);
  }

  @Test
  void embedderSettingsAreCheckedBeforeAnyWork(@TempDir Path dir) throws IOException {
    Path crops = Files.createDirectories(dir.resolve("crops/a"));
    Result r =
        trainEmbedder(
            crops,
            dir,
            "--loss",
            "hardest",
            "--set",
            "embedder.width=-1",
            "--flips",
            "mirror",
            "--input-size",
            "72x",
            "--validation-share",
            "0.9",
            "--align",
            "sideways");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("'farmid.embedder.loss' must be semi-hard or batch-hard, got 'hardest'")
        .contains(
            "'farmid.embedder.input-size' must be a side in pixels (96) or width x height"
                + " (72x128), got '72x'")
        .contains("'farmid.embedder.validation-share' must be between 0.0 and 0.5, got 0.9")
        .contains(
            "'farmid.embedder.flips' must be both, dihedral, left-right or none, got 'mirror'")
        .contains("'farmid.embedder.width' must be a positive number, got -1.0")
        .contains("'farmid.embedder.align' must be none or body-axis, got 'sideways'");
    assertThat(dir.resolve("m")).doesNotExist();
  }

  @Test
  void trainingOptionsThatCannotWorkAreRefusedBeforeAnyWork(@TempDir Path dir) throws IOException {
    Path crops = Files.createDirectories(dir.resolve("crops/a"));
    Result noModel =
        trainEmbedder(crops, dir, "--init-from", dir.resolve("nothing-here").toString());
    assertThat(noModel.code()).isEqualTo(2);
    assertThat(noModel.err())
        .contains("--init-from " + dir.resolve("nothing-here") + " holds no saved_model.pb");
    Path stretched = Path.of("..", "models", "embedder-default").toAbsolutePath().normalize();
    Result turned =
        trainEmbedder(crops, dir, "--init-from", stretched.toString(), "--align", "body-axis");
    assertThat(turned.code()).isEqualTo(2);
    assertThat(turned.err())
        .contains(
            "--init-from "
                + stretched
                + " was trained with align = none; set --align none (embedder.align is"
                + " body-axis)");
    Result schedule =
        trainEmbedder(
            crops,
            dir,
            "--learning-rate-schedule",
            "step",
            "--occlusion-share",
            "1.5",
            "--classification-margin",
            "2",
            "--infrared-share",
            "-0.1",
            "--pooling",
            "sum",
            "--backbone-learning-rate-factor",
            "1.5");
    assertThat(schedule.code()).isEqualTo(2);
    assertThat(schedule.err())
        .contains("'farmid.embedder.learning-rate-schedule' must be one of constant, cosine")
        .contains("farmid.embedder.occlusion-share")
        .contains("farmid.embedder.classification-margin")
        .contains("farmid.embedder.infrared-share")
        .contains("key 'farmid.embedder.pooling' must be flatten, average or max, got 'sum'")
        .contains("farmid.embedder.backbone-learning-rate-factor");
    Result turns = trainEmbedder(crops, dir, "--flips", "dihedral", "--input-size", "96x192");
    assertThat(turns.code()).isEqualTo(2);
    assertThat(turns.err())
        .contains(
            "'farmid.embedder.flips' = dihedral turns crops a quarter, which needs a square"
                + " input-size, got 96x192");
    for (String[] bad :
        new String[][] {
          {"--learning-rate-schedule", "step", "must be one of constant, cosine, got 'step'"},
          {"--input-size", "328x176", "both sides must be multiples of 16 at --stride 4"},
          {"--stride", "2", "'farmid.detector.stride' (--stride) must be 4 or 8, got 2"},
          {"--giou-weight", "-1", "(--giou-weight) must be 0 or more, got -1.0"},
          {"--test-flips", "y", "test flips must be none, x or xy, got 'y'"},
          {"--soft-nms-sigma", "-0.5", "(--soft-nms-sigma) must be 0 or more, got -0.5"},
          {"--init-from", "/nonexistent/detector", "holds no saved_model.pb"},
          {"--epochs", "0", "(0 allowed with --init-from)"}
        }) {
      Result detector =
          farmid(
              "train-detector",
              "--archive",
              dir.toString(),
              "--out",
              dir.resolve("d").toString(),
              bad[0],
              bad[1]);
      assertThat(detector.code()).as(bad[0]).isEqualTo(2);
      assertThat(detector.err()).as(bad[0]).contains(bad[0]).contains(bad[2]);
    }
    Result nms =
        farmid(
            "eval-detector",
            "--model",
            dir.resolve("d").toString(),
            "--archive",
            dir.toString(),
            "--nms-iou",
            "1.5");
    assertThat(nms.code()).isEqualTo(2);
    assertThat(nms.err()).contains("--nms-iou must be between 0 and 1, got 1.5");
    assertThat(dir.resolve("m")).doesNotExist();
    assertThat(dir.resolve("d")).doesNotExist();
  }

  @Test
  void trainEmbedderNeedsExactlyOneSource(@TempDir Path dir) {
    Result r = farmid("train-embedder", "--out", dir.resolve("m").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--crops").contains("--split-csv");
  }

  @Test
  void evalCropsRefusesAMissingModelNamingIt(@TempDir Path dir) throws IOException {
    Path crops = Files.createDirectories(dir.resolve("crops/a"));
    javax.imageio.ImageIO.write(
        new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_3BYTE_BGR),
        "png",
        crops.resolve("1.png").toFile());
    Result r = evalCrops(dir, crops);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("model folder " + dir.resolve("no-model"))
        .contains("does not exist");
    Result average = evalCrops(dir, crops, "--embed-average", "spin");
    assertThat(average.code()).isEqualTo(2);
    assertThat(average.err())
        .contains("--embed-average must be none, flips or dihedral, got 'spin'");
    Result means = evalCrops(dir, crops, "--means-per-animal", "0");
    assertThat(means.code()).isEqualTo(2);
    assertThat(means.err()).contains("--means-per-animal must be at least 1, got 0");
    Result adapt = evalCrops(dir, crops, "--adapt-weight", "1.5");
    assertThat(adapt.code()).isEqualTo(2);
    assertThat(adapt.err()).contains("--adapt-weight must be between 0 and 1, got 1.5");
    Result both = evalCrops(dir, crops, "--propagate", "--adapt-weight", "1");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err())
        .contains("--propagate names the queries from the gallery crops themselves: leave out");
    Result alone = evalCrops(dir, crops, "--propagate-sigma", "0.1");
    assertThat(alone.code()).isEqualTo(2);
    assertThat(alone.err())
        .contains("--propagate-sigma sets label propagation, which needs --propagate");
    Result alpha = evalCrops(dir, crops, "--propagate", "--propagate-alpha", "1");
    assertThat(alpha.code()).isEqualTo(2);
    assertThat(alpha.err())
        .contains("--propagate: alpha must lie strictly between 0 and 1, got 1.0");
    Result look = evalCrops(dir, crops, "--gallery-infrared", "0.5");
    assertThat(look.code()).isEqualTo(2);
    assertThat(look.err())
        .contains("--gallery-infrared: an infrared look is CONTRAST,OFFSET (such as 0.547,55)");
    // the one crop is black, so infrared: no animal has a colour crop to enrol
    Result night = evalCrops(dir, crops, "--night-queries");
    assertThat(night.code()).isEqualTo(2);
    assertThat(night.err()).contains("has both colour and infrared crops");
  }

  @Test
  void evalCropsTakesAModelOfAnyEmbeddingLength(@TempDir Path dir) throws IOException {
    // two animals, one red and one blue, each one crop enrolled and one asked
    Path root = dir.resolve("crops");
    twoAnimalSplit(root, 2, "crop0.png,{animal},train", "crop1.png,{animal},val");
    untrainedEmbedder(root.resolve("split.csv"), dir.resolve("m"), 32);
    Result r =
        evalSplit(
            root.resolve("split.csv"),
            "--model",
            dir.resolve("m").toString(),
            "--json",
            dir.resolve("eval.json").toString(),
            "--embeddings-out",
            dir.resolve("out/embeddings.csv").toString());
    assertThat(r.code()).as(r.err()).isEqualTo(0);
    JsonNode figures = new ObjectMapper().readTree(dir.resolve("eval.json").toFile());
    assertThat(figures.get("gallery_crops").asInt()).isEqualTo(2);
    assertThat(figures.get("query_crops").asInt()).isEqualTo(2);
    assertThat(figures.get("identities").asInt()).isEqualTo(2);
    assertThat(figures.get("propagation").isNull()).isTrue();
    // every crop's embedding, gallery (train) rows first, in the split's order; with one crop per
    // animal its embedding is the mean, so the accuracy read back from the file is the report's
    List<String> lines = Files.readAllLines(dir.resolve("out/embeddings.csv"));
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).startsWith("path,identity,split,e0,e1,").endsWith(",e15");
    List<String[]> rows = lines.subList(1, 5).stream().map(l -> l.split(",")).toList();
    assertThat(rows.stream().map(f -> f[1] + "/" + f[2]))
        .containsExactly("animal0/train", "animal1/train", "animal0/val", "animal1/val");
    assertThat(rows.get(2)[0]).isEqualTo(root.resolve("animal0/crop1.png").toString());
    double[][] e = new double[4][16];
    for (int i = 0; i < 4; i++) {
      assertThat(rows.get(i)).hasSize(19);
      for (int j = 0; j < 16; j++) {
        e[i][j] = Double.parseDouble(rows.get(i)[3 + j]);
      }
      assertThat(java.util.Arrays.stream(e[i]).map(v -> v * v).sum()).isCloseTo(1.0, within(1e-4));
    }
    int right = 0;
    for (int q = 2; q < 4; q++) {
      double toOwn = 0;
      double toOther = 0;
      for (int j = 0; j < 16; j++) {
        toOwn += e[q][j] * e[q - 2][j];
        toOther += e[q][j] * e[3 - q][j];
      }
      right += toOwn > toOther ? 1 : 0;
    }
    assertThat(figures.get("accuracy").asDouble()).isEqualTo(right / 2.0);
    // the queries named together: the settings in force are reported
    Result propagated =
        evalSplit(
            root.resolve("split.csv"),
            "--model",
            dir.resolve("m").toString(),
            "--model",
            dir.resolve("m").toString(),
            "--propagate",
            "--propagate-neighbours",
            "2",
            "--json",
            dir.resolve("propagated.json").toString());
    assertThat(propagated.code()).as(propagated.err()).isEqualTo(0);
    JsonNode p = new ObjectMapper().readTree(dir.resolve("propagated.json").toFile());
    assertThat(p.get("propagation").toString())
        .isEqualTo("{\"neighbours\":2,\"alpha\":0.65,\"sigma\":0.05}");
    assertThat(p.get("query_crops").asInt()).isEqualTo(2);
    assertThat(p.get("ensemble")).hasSize(2);
    // an ensemble of models of other inputs is refused, naming both
    untrainedEmbedder(root.resolve("split.csv"), dir.resolve("m40"), 40);
    Result mixed =
        evalSplit(
            root.resolve("split.csv"),
            "--model",
            dir.resolve("m").toString(),
            "--model",
            dir.resolve("m40").toString());
    assertThat(mixed.code()).isEqualTo(2);
    assertThat(mixed.err())
        .contains("--model: an ensemble's embedders must take one input:")
        .contains(" takes 32x32 (")
        .contains(" takes 40x40 (");
  }

  @Test
  void nightLookFitsEachCamerasLookFromItsExportedFrames(@TempDir Path dir) throws IOException {
    // one camera: a floor graded 40-235 left to right and a white animal that moves; by night
    // the same scene in grey 55 + 0.547 x luminance
    Path images = Files.createDirectories(dir.resolve("export/images"));
    List<String> csv =
        new ArrayList<>(List.of("file_name,video,camera,date,light,frame,timestamp_ms"));
    for (int k = 0; k < 6; k++) {
      boolean night = k >= 3;
      java.awt.image.BufferedImage img =
          new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
      for (int y = 0; y < 30; y++) {
        for (int x = 0; x < 40; x++) {
          int animalX = 12 * (k % 3);
          int v = x >= animalX && x < animalX + 8 && y >= 10 && y < 18 ? 250 : 40 + 5 * x;
          int g = night ? (int) Math.round(55 + 0.547 * v) : v;
          img.setRGB(x, y, (g << 16) | (g << 8) | g);
        }
      }
      String name = "cam01_" + k + ".png";
      javax.imageio.ImageIO.write(img, "png", images.resolve(name).toFile());
      csv.add(name + ",cam01/v.mp4,cam01,2026-01-05," + (night ? "night" : "day") + "," + k + ",0");
    }
    Files.write(dir.resolve("export/frames.csv"), csv);
    Result r =
        farmid(
            "night-look",
            "--frames",
            dir.resolve("export").toString(),
            "--step",
            "1",
            "--json",
            dir.resolve("look.json").toString());
    assertThat(r.code()).as(r.err()).isEqualTo(0);
    assertThat(r.out())
        .contains(
            "camera cam01: --gallery-infrared 0.547,55.0  (3 day, 3 night frames; 1200 pixels");
    JsonNode cam =
        new ObjectMapper().readTree(dir.resolve("look.json").toFile()).get("cameras").get(0);
    assertThat(cam.get("look").asText()).isEqualTo("0.547,55.0");
    Result none = farmid("night-look", "--frames", dir.toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("holds no frames.csv (an export-frames folder)");
  }

  @Test
  void trainEmbedderTrainsOnUnlabelledRowsNamedByPropagation(@TempDir Path dir) throws IOException {
    // two animals, one red and one blue: one labelled crop each, two more each as footage rows
    // whose identity column is empty (or wrong: it is never read)
    Path split =
        twoAnimalSplit(
            dir.resolve("crops"),
            3,
            "crop0.png,{animal},train",
            "crop1.png,,footage",
            "crop2.png,animal9,footage");
    untrainedEmbedder(split, dir.resolve("m"), 32);
    List<String> common =
        List.of(
            "train-embedder",
            "--split-csv",
            split.toString(),
            "--out",
            dir.resolve("tuned").toString(),
            "--epochs",
            "1",
            "--embedding-size",
            "16",
            "--input-size",
            "32",
            "--validation-share",
            "0");
    String m = dir.resolve("m").toString();
    List<String> pseudo =
        List.of(concat(common, "--init-from", m, "--pseudo-label-split", "footage"));
    Result r = farmid(concat(pseudo, "--json", dir.resolve("tuned.json").toString()));
    assertThat(r.code()).as(r.err()).isEqualTo(0);
    assertThat(r.err())
        .contains("naming 4 footage crops by label propagation from 2 train crops")
        .contains("2 of them, the surest, train under the names they were given");
    JsonNode figures = new ObjectMapper().readTree(dir.resolve("tuned.json").toFile());
    assertThat(figures.get("pseudo_label_split").asText()).isEqualTo("footage");
    assertThat(figures.get("pseudo_labelled_crops").asInt()).isEqualTo(2);
    // the footage rows' own identity column never made an animal of its own
    assertThat(figures.get("identities").asInt()).isEqualTo(2);
    assertThat(figures.get("train_crops").asInt()).isEqualTo(4);
    Result all =
        farmid(
            concat(
                pseudo, "--pseudo-label-share", "1", "--json", dir.resolve("all.json").toString()));
    assertThat(all.code()).as(all.err()).isEqualTo(0);
    assertThat(
            new ObjectMapper()
                .readTree(dir.resolve("all.json").toFile())
                .get("pseudo_labelled_crops")
                .asInt())
        .isEqualTo(4);
    // what cannot work is refused before any work, by name
    Result noModel = farmid(concat(common, "--pseudo-label-split", "footage"));
    assertThat(noModel.code()).isEqualTo(2);
    assertThat(noModel.err())
        .contains("--pseudo-label-split names crops with the --init-from model");
    Result train = farmid(concat(common, "--init-from", m, "--pseudo-label-split", "train"));
    assertThat(train.code()).isEqualTo(2);
    assertThat(train.err()).contains("--pseudo-label-split train: the train rows are the labelled");
    Result none = farmid(concat(common, "--init-from", m, "--pseudo-label-split", "val"));
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err())
        .contains("--pseudo-label-split val: --split-csv ")
        .contains("has no rows");
    Result share = farmid(concat(pseudo, "--pseudo-label-share", "0"));
    assertThat(share.code()).isEqualTo(2);
    assertThat(share.err()).contains("--pseudo-label-share must be above 0 and at most 1, got 0.0");
    Result alone = farmid(concat(common, "--init-from", m, "--pseudo-label-share", "0.3"));
    assertThat(alone.code()).isEqualTo(2);
    assertThat(alone.err())
        .contains("--pseudo-label-share sets how many --pseudo-label-split rows");
    assertThat(dir.resolve("tuned.json")).exists();
  }

  /**
   * Crops of two animals, one red ({@code animal0}) and one blue ({@code animal1}), and {@code
   * root/split.csv} with each animal's rows made from the templates ({@code {animal}} its name).
   */
  private static Path twoAnimalSplit(Path root, int crops, String... rows) throws IOException {
    PenFixture.enrolCrops(root, "animal0", java.awt.Color.RED, crops);
    PenFixture.enrolCrops(root, "animal1", java.awt.Color.BLUE, crops);
    List<String> csv = new ArrayList<>(List.of("path,identity,split"));
    for (String animal : List.of("animal0", "animal1")) {
      for (String row : rows) {
        csv.add(animal + "/" + row.replace("{animal}", animal));
      }
    }
    Path split = root.resolve("split.csv");
    Files.write(split, csv);
    return split;
  }

  private static String[] concat(List<String> first, String... more) {
    List<String> args = new ArrayList<>(first);
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /** An embedder exported without training (16-long embeddings) from a split CSV. */
  private static void untrainedEmbedder(Path splitCsv, Path out, int inputSize) {
    Result trained =
        farmid(
            "train-embedder",
            "--split-csv",
            splitCsv.toString(),
            "--out",
            out.toString(),
            "--epochs",
            "0",
            "--embedding-size",
            "16",
            "--input-size",
            String.valueOf(inputSize));
    assertThat(trained.code()).as(trained.err()).isEqualTo(0);
  }

  /** {@code eval-crops --split-csv} with more options. */
  private static Result evalSplit(Path splitCsv, String... more) {
    List<String> args = new ArrayList<>(List.of("eval-crops", "--split-csv", splitCsv.toString()));
    args.addAll(List.of(more));
    return farmid(args.toArray(String[]::new));
  }

  /** {@code eval-crops} of a model missing from {@code dir} on the crops folder's parent. */
  private static Result evalCrops(Path dir, Path crops, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "eval-crops",
                "--model",
                dir.resolve("no-model").toString(),
                "--crops",
                crops.getParent().toString()));
    args.addAll(List.of(more));
    return farmid(args.toArray(String[]::new));
  }

  /** {@code train-embedder} on the crops folder's parent, into {@code dir/m}, with more options. */
  private static Result trainEmbedder(Path crops, Path dir, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train-embedder",
                "--crops",
                crops.getParent().toString(),
                "--out",
                dir.resolve("m").toString()));
    args.addAll(List.of(more));
    return farmid(args.toArray(String[]::new));
  }
}
