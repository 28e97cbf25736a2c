package org.farmid.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.farmid.jobs.cli.FarmIdCliTest.farmid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.farmid.common.labels.CocoLabels;
import org.farmid.common.synth.GroundTruthRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop a farm runs on its own footage: export frames to label, label them (here: the boxes the
 * generated archive's ground truth gives, written as a labelling tool exports COCO), fine-tune the
 * default detector on them, and evaluate; then the same frames as MOT text beside a video.
 */
class LabelLoopTest {
  private static final Path DEFAULT_DETECTOR =
      Path.of(System.getProperty("basedir", "."), "..", "models", "detector-default");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A 6-second generated pen archive (seed 41) in DIR/pen. */
  private static Path pen(Path dir, int cameras, double night) {
    return pen(dir, cameras, night, List.of());
  }

  /** The same with more synth options, such as the animals per pen. */
  private static Path pen(Path dir, int cameras, double night, List<String> more) {
    Path pen = dir.resolve("pen");
    List<String> args =
        new ArrayList<>(
            List.of(
                "synth",
                "--out",
                pen.toString(),
                "--seed",
                "41",
                "--cameras",
                Integer.toString(cameras),
                "--days",
                "1",
                "--minutes",
                "0.1",
                "--night-fraction",
                Double.toString(night),
                "--enrol-crops",
                "0",
                "--herd-changes",
                "0"));
    args.addAll(more);
    FarmIdCliTest.Result synth = farmid(args.toArray(String[]::new));
    assertThat(synth.code()).as(synth.err()).isZero();
    return pen;
  }

  @Test
  void exportLabelFineTuneAndEvaluate(@TempDir Path dir) throws IOException {
    Path pen = pen(dir, 2, 0.5);

    Path export = dir.resolve("export");
    Path exportJson = dir.resolve("export.json");
    FarmIdCliTest.Result ex =
        farmid(
            "export-frames",
            "--archive",
            pen.toString(),
            "--out",
            export.toString(),
            "--count",
            "6",
            "--json",
            exportJson.toString());
    assertThat(ex.code()).as(ex.err()).isZero();
    JsonNode exported = JSON.readTree(exportJson.toFile());
    assertThat(exported.get("videos").asInt()).isEqualTo(2);
    assertThat(exported.get("frames_written").asInt()).isEqualTo(6);
    List<String> csv = Files.readAllLines(export.resolve("frames.csv"));
    assertThat(csv.get(0)).isEqualTo("file_name,video,camera,date,light,frame,timestamp_ms");
    assertThat(csv).hasSize(7);
    // Both cameras, and both lights when the archive holds both.
    assertThat(csv.subList(1, 7).stream().map(l -> l.split(",")[2]).distinct()).hasSize(2);
    // A kept frames.csv writes the same images again, byte for byte, under the same names.
    Path again = dir.resolve("again");
    FarmIdCliTest.Result re =
        farmid(
            "export-frames",
            "--archive",
            pen.toString(),
            "--frames",
            export.resolve("frames.csv").toString(),
            "--out",
            again.toString());
    assertThat(re.code()).as(re.err()).isZero();
    assertThat(Files.readAllLines(again.resolve("frames.csv"))).isEqualTo(csv);
    for (String line : csv.subList(1, csv.size())) {
      String name = line.split(",")[0];
      assertThat(Files.readAllBytes(again.resolve("images").resolve(name)))
          .as(name)
          .isEqualTo(Files.readAllBytes(export.resolve("images").resolve(name)));
    }
    Path badCsv = dir.resolve("bad-frames.csv");
    Files.writeString(badCsv, csv.get(0) + "\n" + csv.get(1) + "\n" + "a.jpg,v.mp4,cam,,day,x,0\n");
    FarmIdCliTest.Result bad =
        farmid(
            "export-frames",
            "--archive",
            pen.toString(),
            "--frames",
            badCsv.toString(),
            "--out",
            dir.resolve("bad").toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains(badCsv + " line 3: expected " + csv.get(0));
    assertThat(dir.resolve("bad")).doesNotExist();
    FarmIdCliTest.Result lone =
        farmid(
            "export-frames",
            "--archive",
            pen.toString(),
            "--labels",
            export.resolve("annotations.json").toString(),
            "--out",
            dir.resolve("bad").toString());
    assertThat(lone.code()).isEqualTo(2);
    assertThat(lone.err()).contains("--labels goes with --frames");

    CocoLabels.Dataset empty =
        CocoLabels.parse("annotations.json", Files.readString(export.resolve("annotations.json")));
    assertThat(empty.images()).hasSize(6).allMatch(i -> i.boxes().isEmpty());

    // "Labelling": each exported frame gets the boxes of its frame in the ground truth.
    List<CocoLabels.Image> labelled = new ArrayList<>();
    int boxes = 0;
    for (String line : csv.subList(1, csv.size())) {
      String[] f = line.split(",");
      String video = f[1];
      int frame = Integer.parseInt(f[5]);
      Path gt = pen.resolve("ground-truth").resolve(video.replace(".mp4", ".txt"));
      List<GroundTruthRow> rows = new ArrayList<>();
      for (String g : Files.readAllLines(gt)) {
        GroundTruthRow r = GroundTruthRow.parseMotLine(g);
        if (r.frame() == frame + 1 && r.visibility() > 0) {
          rows.add(r);
        }
      }
      CocoLabels.Image im =
          empty.images().stream().filter(i -> i.fileName().equals(f[0])).findFirst().orElseThrow();
      labelled.add(new CocoLabels.Image(im.id(), im.fileName(), im.width(), im.height(), 0, rows));
      boxes += rows.size();
    }
    assertThat(boxes).isGreaterThan(6);
    Files.writeString(
        export.resolve("annotations.json"), CocoLabels.write(labelled, List.of("pig")));

    // The labelled boxes name their animals (the ground truth's ids as CVAT's track ids): cut
    // them into enrolment crops, the first of each animal to enrol, the rest to classify.
    Path crops = dir.resolve("crops");
    Path cutJson = dir.resolve("cut.json");
    FarmIdCliTest.Result cut =
        farmid(
            "cut-crops",
            "--labels",
            export.toString(),
            "--out",
            crops.toString(),
            "--enrol",
            "1",
            "--json",
            cutJson.toString());
    assertThat(cut.code()).as(cut.err()).isZero();
    JsonNode cutFigures = JSON.readTree(cutJson.toFile());
    assertThat(cutFigures.get("crops").asInt()).isEqualTo(boxes);
    assertThat(cutFigures.get("boxes_without_identity").asInt()).isZero();
    assertThat(cutFigures.get("boxes_outside_frame").asInt()).isZero();
    List<String> split = Files.readAllLines(crops.resolve("split.csv"));
    assertThat(split).hasSize(boxes + 1);
    long animals =
        labelled.stream()
            .flatMap(i -> i.boxes().stream())
            .mapToInt(GroundTruthRow::id)
            .distinct()
            .count();
    assertThat(cutFigures.get("animals").asLong()).isEqualTo(animals);
    assertThat(split.stream().filter(l -> l.endsWith(",train")).count()).isEqualTo(animals);
    // A crop is its box's pixels: the first box of the first labelled image, by size.
    CocoLabels.Image first = labelled.get(0);
    GroundTruthRow box = first.boxes().get(0);
    java.awt.image.BufferedImage crop =
        javax.imageio.ImageIO.read(
            crops
                .resolve(
                    org.farmid.common.labels.CropCut.path(
                        Integer.toString(box.id()), first.fileName(), 0, 0))
                .toFile());
    assertThat(crop.getWidth())
        .isEqualTo(
            (int)
                (Math.min(first.width(), Math.ceil(box.box().left() + box.box().width()))
                    - Math.max(0, Math.floor(box.box().left()))));

    Path tuned = dir.resolve("tuned");
    Path trainJson = dir.resolve("train.json");
    FarmIdCliTest.Result train =
        farmid(
            "train-detector",
            "--archive",
            export + "@4",
            "--init-from",
            DEFAULT_DETECTOR.toString(),
            "--out",
            tuned.toString(),
            "--epochs",
            "2",
            "--batch",
            "4",
            "--learning-rate",
            "0.0005",
            "--test-flips",
            "xy",
            "--soft-nms-sigma",
            "0.25",
            "--json",
            trainJson.toString());
    assertThat(train.code()).as(train.err()).isZero();
    JsonNode trained = JSON.readTree(trainJson.toFile());
    assertThat(trained.get("frames").asInt()).isEqualTo(4 * 6);
    assertThat(trained.get("boxes").asLong()).isEqualTo(4L * boxes);
    JsonNode card = JSON.readTree(tuned.resolve("model.json").toFile());
    assertThat(card.at("/training/data/0/source").asText())
        .startsWith("COCO " + export.resolve("annotations.json").toAbsolutePath())
        .endsWith("(6 images)");
    assertThat(card.at("/training/data/0/repeat").asInt()).isEqualTo(4);

    Path evalJson = dir.resolve("eval.json");
    FarmIdCliTest.Result eval =
        farmid(
            "eval-detector",
            "--model",
            tuned.toString(),
            "--archive",
            export.toString(),
            "--json",
            evalJson.toString());
    assertThat(eval.code()).as(eval.err()).isZero();
    JsonNode figures = JSON.readTree(evalJson.toFile());
    assertThat(figures.get("frames").asInt()).isEqualTo(6);
    assertThat(figures.get("ground_truth_boxes").asInt()).isEqualTo(boxes);
    // Boxes that did not line up with the animals (a wrong frame, a swapped axis) would score
    // near 0; the default detector scores about 0.97 on generated pens.
    assertThat(figures.get("map50").asDouble()).isGreaterThan(0.8);

    // The same video as MOT text beside it: every frame of its ground truth.
    String video = csv.get(1).split(",")[1];
    Path mot = Files.createDirectories(dir.resolve("mot"));
    Files.copy(pen.resolve("archive").resolve(video), mot.resolve("clip.mp4"));
    Files.copy(
        pen.resolve("ground-truth").resolve(video.replace(".mp4", ".txt")),
        mot.resolve("clip.txt"));
    Path motJson = dir.resolve("mot.json");
    FarmIdCliTest.Result onMot =
        farmid(
            "eval-detector",
            "--model",
            DEFAULT_DETECTOR.toString(),
            "--archive",
            mot.resolve("clip.mp4").toString(),
            "--frame-step",
            "10",
            "--json",
            motJson.toString());
    assertThat(onMot.code()).as(onMot.err()).isZero();
    JsonNode motFigures = JSON.readTree(motJson.toFile());
    assertThat(motFigures.get("source").asText()).startsWith("MOT ");
    assertThat(motFigures.get("frames").asInt()).isEqualTo(3);
  }

  /**
   * Frames every half second, the default detector's boxes linked along the video into tracks, one
   * folder of crops per track: each track follows one animal of the ground truth, and each animal
   * seen in every frame is one track.
   */
  @Test
  void preLabelledFramesLinkedIntoTracksCutOneFolderPerAnimal(@TempDir Path dir)
      throws IOException {
    Path pen = pen(dir, 1, 0);
    Path export = dir.resolve("export");
    FarmIdCliTest.Result ex =
        farmid(
            "export-frames",
            "--archive",
            pen.toString(),
            "--out",
            export.toString(),
            "--every",
            "0.5");
    assertThat(ex.code()).as(ex.err()).isZero();
    List<String> csv = Files.readAllLines(export.resolve("frames.csv"));
    // 6 s at 5 frames/s, the first frame at or after each half second: 0, 3, 5, 8, ...
    assertThat(csv).hasSize(13);
    assertThat(csv.subList(1, 5).stream().map(l -> l.split(",")[5]))
        .containsExactly("0", "3", "5", "8");

    Path preJson = dir.resolve("pre.json");
    FarmIdCliTest.Result pre =
        farmid(
            "pre-label",
            "--export",
            export.toString(),
            "--model",
            DEFAULT_DETECTOR.toString(),
            "--link",
            "--min-track",
            "3",
            "--json",
            preJson.toString());
    assertThat(pre.code()).as(pre.err()).isZero();
    CocoLabels.Dataset labels =
        CocoLabels.parse("pre-labels.json", Files.readString(export.resolve("pre-labels.json")));
    assertThat(labels.images()).hasSize(12);

    // Each numbered track against the ground truth: the animal its boxes overlap most.
    String video = csv.get(1).split(",")[1];
    List<GroundTruthRow> truth = new ArrayList<>();
    for (String g :
        Files.readAllLines(pen.resolve("ground-truth").resolve(video.replace(".mp4", ".txt")))) {
      truth.add(GroundTruthRow.parseMotLine(g));
    }
    java.util.Map<Integer, java.util.Set<Integer>> animalsOfTrack = new java.util.TreeMap<>();
    int boxes = 0;
    for (int i = 0; i < labels.images().size(); i++) {
      int frame = Integer.parseInt(csv.get(i + 1).split(",")[5]) + 1;
      for (GroundTruthRow r : labels.images().get(i).boxes()) {
        boxes++;
        GroundTruthRow best =
            truth.stream()
                .filter(t -> t.frame() == frame)
                .max(java.util.Comparator.comparingDouble(t -> t.box().iou(r.box())))
                .orElseThrow();
        assertThat(best.box().iou(r.box()))
            .as("box %s of frame %d", r.box(), frame)
            .isGreaterThan(0.5);
        animalsOfTrack.computeIfAbsent(r.id(), k -> new java.util.TreeSet<>()).add(best.id());
      }
    }
    long animals = truth.stream().mapToInt(GroundTruthRow::id).distinct().count();
    assertThat(animalsOfTrack.keySet()).doesNotContain(GroundTruthRow.NO_IDENTITY);
    assertThat(animalsOfTrack.values()).allMatch(a -> a.size() == 1);
    assertThat(animalsOfTrack).hasSize((int) animals);
    JsonNode figures = JSON.readTree(preJson.toFile());
    assertThat(figures.get("tracks").asLong()).isEqualTo(animals);
    assertThat(figures.get("boxes").asInt()).isEqualTo(boxes);

    Path crops = dir.resolve("crops");
    Path cutJson = dir.resolve("cut.json");
    FarmIdCliTest.Result cut =
        farmid(
            "cut-crops",
            "--labels",
            export.resolve("pre-labels.json").toString(),
            "--out",
            crops.toString(),
            "--enrol",
            "1",
            "--json",
            cutJson.toString());
    assertThat(cut.code()).as(cut.err()).isZero();
    JsonNode cutFigures = JSON.readTree(cutJson.toFile());
    assertThat(cutFigures.get("animals").asLong()).isEqualTo(animals);
    assertThat(cutFigures.get("crops").asInt()).isEqualTo(boxes);

    FarmIdCliTest.Result again =
        farmid("pre-label", "--export", export.toString(), "--model", DEFAULT_DETECTOR.toString());
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains("pre-labels.json exists");
    FarmIdCliTest.Result both =
        farmid(
            "export-frames",
            "--archive",
            pen.toString(),
            "--out",
            dir.resolve("x").toString(),
            "--every",
            "1",
            "--frames",
            export.resolve("frames.csv").toString());
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("--every and --frames exclude each other");
  }

  @Test
  void cutCropsLeavesOutBoxesLessVisibleThanAsked(@TempDir Path dir) throws IOException {
    Path pen = pen(dir, 1, 0, List.of("--animals", "20"));
    // What every 10th frame of the ground truth holds, counted by hand from its text.
    int visible = 0;
    int less = 0;
    java.util.Set<Integer> animals = new java.util.TreeSet<>();
    try (var files = Files.walk(pen.resolve("ground-truth"))) {
      for (Path gt : files.filter(p -> p.toString().endsWith(".txt")).toList()) {
        for (String line : Files.readAllLines(gt)) {
          GroundTruthRow r = GroundTruthRow.parseMotLine(line);
          if ((r.frame() - 1) % 10 != 0) {
            continue;
          }
          if (r.visibility() < 0.6) {
            less++;
          } else {
            visible++;
            animals.add(r.id());
          }
        }
      }
    }
    assertThat(less).as("a pen of 20 where some animals lie under others").isPositive();
    Path json = dir.resolve("cut.json");
    FarmIdCliTest.Result cut =
        farmid(
            "cut-crops",
            "--labels",
            pen.toString(),
            "--out",
            dir.resolve("crops").toString(),
            "--frame-step",
            "10",
            "--min-visibility",
            "0.6",
            "--json",
            json.toString());
    assertThat(cut.code()).as(cut.err()).isZero();
    JsonNode figures = JSON.readTree(json.toFile());
    assertThat(figures.get("frames").asInt()).isEqualTo(3);
    assertThat(figures.get("crops").asInt()).isEqualTo(visible);
    assertThat(figures.get("boxes_less_visible").asInt()).isEqualTo(less);
    assertThat(figures.get("animals").asInt()).isEqualTo(animals.size());
    assertThat(Files.readAllLines(dir.resolve("crops/split.csv"))).hasSize(visible + 1);

    FarmIdCliTest.Result bad =
        farmid(
            "cut-crops",
            "--labels",
            pen.toString(),
            "--out",
            dir.resolve("bad").toString(),
            "--min-visibility",
            "1.5");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--min-visibility must lie in [0, 1], got 1.5");
  }

  @Test
  void badLabelFilesAreRefusedWithTheFileAndLineAndExitTwo(@TempDir Path dir) throws IOException {
    Path yolo = Files.createDirectories(dir.resolve("yolo"));
    Files.createDirectories(yolo.resolve("images"));
    Files.createDirectories(yolo.resolve("labels"));
    javax.imageio.ImageIO.write(
        new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_3BYTE_BGR),
        "png",
        yolo.resolve("images/a.png").toFile());
    Files.writeString(yolo.resolve("data.yaml"), "names: [pig]\n");
    Path label = yolo.resolve("labels/a.txt");
    Path model = DEFAULT_DETECTOR;
    for (String[] bad :
        new String[][] {
          {"0 0.5 0.5 0.2 0.2\n0 1.5 0.5 0.2 0.2\n", "a.txt:2: value 1 (1.5) is outside [0, 1]"},
          {"2 0.5 0.5 0.2 0.2\n", "a.txt:1: unknown class 2; data.yaml names 1 class (0)"},
          {"0 0.5 0.5\n", "a.txt:1: 3 values; expected 5 for a box"}
        }) {
      Files.writeString(label, bad[0]);
      for (String command : List.of("eval-detector", "train-detector")) {
        FarmIdCliTest.Result r =
            command.equals("eval-detector")
                ? farmid(command, "--model", model.toString(), "--archive", yolo.toString())
                : farmid(
                    command, "--archive", yolo.toString(), "--out", dir.resolve("out").toString());
        assertThat(r.code()).as(command + " " + bad[0]).isEqualTo(2);
        assertThat(r.err()).as(command).contains(label.toString()).contains(bad[1]);
      }
    }
    Files.writeString(label, "0 0.5 0.5 0.2 0.2\n");
    Files.writeString(yolo.resolve("labels/b.txt"), "0 0.5 0.5 0.2 0.2\n");
    FarmIdCliTest.Result missing =
        farmid("eval-detector", "--model", model.toString(), "--archive", yolo.toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("labels/b.txt: no image b (.jpg, .jpeg, .png, .bmp) in");
    assertThat(dir.resolve("out")).doesNotExist();
  }
}
