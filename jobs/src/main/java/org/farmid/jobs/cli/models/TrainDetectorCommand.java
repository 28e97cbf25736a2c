package org.farmid.jobs.cli.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.farmid.common.labels.LabelFormatException;
import org.farmid.jobs.cli.ConfigOptions;
import org.farmid.jobs.cli.FarmId;
import org.farmid.jobs.cli.JsonReport;
import org.farmid.jobs.cli.Overrides;
import org.farmid.jobs.cli.Report;
import org.farmid.jobs.cli.UsageException;
import org.farmid.models.detect.DetectorSettings;
import org.farmid.models.detect.DetectorTrainer;
import org.farmid.models.detect.LabelledFrames;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code farmid train-detector}: trains the compact detector on a generated archive. */
@Command(
    name = "train-detector",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Trains a compact CenterNet-style detector with TensorFlow Java on labelled frames and",
      "exports MODEL_DIR as a SavedModel with the Object Detection API signature plus a",
      "model.json card. Frames come from archives made by farmid synth, YOLO folders, COCO",
      "files or videos with MOT text beside them, in any mix (see --archive)."
    })
public final class TrainDetectorCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--archive",
      paramLabel = "PATH[@N]",
      description = {
        "Labelled frames, repeatable: an output folder of farmid synth; a YOLO folder (data.yaml"
            + " and its --split, or a split folder with images/ and labels/); a COCO .json file"
            + " (or a folder holding one); a video with MOT text beside it (NAME.txt or"
            + " gt/gt.txt). @N shows each frame of that source N times an epoch (a few real"
            + " frames beside many generated ones). Required unless re-exporting with"
            + " --init-from and --epochs 0."
      })
  List<String> archives = new ArrayList<>();

  @Option(
      names = "--split",
      defaultValue = "train",
      description = "The split of a YOLO data.yaml to train on (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--out", required = true, paramLabel = "MODEL_DIR")
  Path out;

  @Option(names = "--epochs", description = "Passes over the frames (detector.epochs).")
  Integer epochs;

  @Option(
      names = "--input-size",
      description =
          "Network input WxH, multiples of 16 at stride 4, of 8 at stride 8"
              + " (detector.input-size).")
  String inputSize;

  @Option(
      names = "--stride",
      description =
          "Output stride: 4 (a feature pyramid down to stride 16 and back up; separates touching"
              + " animals) or 8 (the smaller, faster network); detector.stride.")
  Integer stride;

  @Option(
      names = "--backbone",
      paramLabel = "NAME",
      description =
          "The network under the heads: compact (the default; --width channels), mobilenet_v2"
              + " (MobileNetV2 width 1.0, ten blocks, with a feature pyramid; stride 4 only) or"
              + " centernet (the COCO CenterNet's MobileNetV3 and feature pyramid from"
              + " --backbone-weights, its stride-4 features under one-class heads; input sides"
              + " multiples of 32, e.g. --input-size 320x192). With --init-from, the model's own"
              + " backbone unless given.")
  String backbone;

  @Option(
      names = "--backbone-weights",
      paramLabel = "TFJS_DIR",
      description =
          "The pretrained model the backbone starts from, as scripts/import-pretrained.sh"
              + " writes it: models/pretrained/mobilenet_v2 (ImageNet features) for mobilenet_v2,"
              + " models/pretrained/centernet (COCO detection) for centernet, which needs it;"
              + " with --init-from, the folder the model was trained from unless given.")
  Path backboneWeights;

  @Option(
      names = "--giou-weight",
      description =
          "Weight of the generalised-IoU loss on each centre's box, beside the L1 size and offset"
              + " terms (0 = off); detector.giou-weight.")
  Float giouWeight;

  @Option(
      names = "--zoom-share",
      description =
          "Share of training frames shown zoomed in: animals larger and cut by the picture's edge,"
              + " as at the edge of a camera's view (detector.zoom-share; 0 = off).")
  Double zoomShare;

  @Option(
      names = "--zoom-max",
      description =
          "Largest zoom: a window of 1/s of the frame's width and height, s drawn from 1 to this"
              + " (detector.zoom-max).")
  Double zoomMax;

  @Option(
      names = "--width",
      description = "Channels of the first layer of the compact backbone (detector.width).")
  Integer width;

  @Option(names = "--batch", description = "Frames a training step (detector.batch).")
  Integer batch;

  @Option(names = "--learning-rate", description = "Adam's step size (detector.learning-rate).")
  Float learningRate;

  @Option(
      names = "--learning-rate-schedule",
      description =
          "constant, or cosine (from --learning-rate down to 1%% of it over --epochs);"
              + " detector.learning-rate-schedule.")
  String learningRateSchedule;

  @Option(
      names = "--frame-step",
      description = "Use every n-th frame of a labelled video (detector.frame-step).")
  Integer frameStep;

  @Option(names = "--seed", description = "Seed of the weights and batches (detector.seed).")
  Long seed;

  @Option(
      names = "--test-flips",
      description =
          "Mirror images the exported model also runs each frame as, averaging its heatmap and"
              + " boxes over them: none, x (left-right; twice the work) or xy (both axes; four"
              + " times); detector.test-flips.")
  String testFlips;

  @Option(
      names = "--soft-nms-sigma",
      description =
          "Gaussian soft non-maximum suppression in the exported graph: each box's score is"
              + " scaled by exp(-IoU^2 / (2 sigma)) of its overlap with every better box, so a"
              + " second peak on one animal sinks in the ranking while nothing is dropped"
              + " (0 = off); detector.soft-nms-sigma.")
  Float softNmsSigma;

  @Option(
      names = "--init-from",
      paramLabel = "MODEL_DIR",
      description =
          "Start from the weights of a detector exported by this command with the same"
              + " --input-size, --stride and --width; with --epochs 0 it is re-exported unchanged"
              + " (for instance with other --test-flips).")
  Path initFrom;

  @Mixin ConfigOptions config;

  /**
   * Opens {@code PATH} or {@code PATH@N} (N showings an epoch) as a labelled source; a path that
   * itself ends in {@code @digits} is read whole when it exists.
   */
  static DetectorTrainer.Source source(String spec, String split) throws IOException {
    int at = spec.lastIndexOf('@');
    String path = spec;
    int repeat = 1;
    if (at > 0 && spec.substring(at + 1).matches("\\d+") && !Files.exists(Path.of(spec))) {
      path = spec.substring(0, at);
      repeat = Integer.parseInt(spec.substring(at + 1));
      if (repeat < 1) {
        throw new UsageException("--archive " + spec + ": the repeat after @ must be 1 or more");
      }
    }
    Path p = Path.of(path);
    if (!Files.exists(p)) {
      throw new UsageException("--archive " + path + " does not exist");
    }
    try {
      return new DetectorTrainer.Source(LabelledFrames.open(p, split), repeat);
    } catch (LabelFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new UsageException("--archive " + e.getMessage());
    }
  }

  /** The --init-from model's card ({@code model.json}); a missing node when there is none. */
  private JsonNode initFromCard() throws IOException {
    if (initFrom == null || !Files.isRegularFile(initFrom.resolve("model.json"))) {
      return MissingNode.getInstance();
    }
    return new ObjectMapper().readTree(initFrom.resolve("model.json").toFile());
  }

  /** The pretrained folder the card's model was built from, where it still exists. */
  private static Path backboneWeightsOf(JsonNode card) {
    JsonNode t = card.path("training");
    while (!t.isMissingNode()) {
      String recorded = t.path("backbone_weights").asText("");
      if (!recorded.isEmpty() && Files.isRegularFile(Path.of(recorded, "model.json"))) {
        return Path.of(recorded);
      }
      t = t.path("init_from_training");
    }
    return null;
  }

  @Override
  public Integer call() throws Exception {
    List<String> set = new ArrayList<>();
    Overrides.put(set, DetectorSettings.SECTION, "epochs", epochs);
    Overrides.put(set, DetectorSettings.SECTION, "input-size", inputSize);
    Overrides.put(set, DetectorSettings.SECTION, "stride", stride);
    Overrides.put(set, DetectorSettings.SECTION, "width", width);
    Overrides.put(set, DetectorSettings.SECTION, "giou-weight", giouWeight);
    Overrides.put(set, DetectorSettings.SECTION, "batch", batch);
    Overrides.put(set, DetectorSettings.SECTION, "learning-rate", learningRate);
    Overrides.put(set, DetectorSettings.SECTION, "learning-rate-schedule", learningRateSchedule);
    Overrides.put(set, DetectorSettings.SECTION, "frame-step", frameStep);
    Overrides.put(set, DetectorSettings.SECTION, "seed", seed);
    Overrides.put(set, DetectorSettings.SECTION, "test-flips", testFlips);
    Overrides.put(set, DetectorSettings.SECTION, "soft-nms-sigma", softNmsSigma);
    Overrides.put(set, DetectorSettings.SECTION, "zoom-share", zoomShare);
    Overrides.put(set, DetectorSettings.SECTION, "zoom-max", zoomMax);
    DetectorSettings settings = DetectorSettings.from(config.load(set));
    int epochs = settings.training().epochs();
    if (epochs < (initFrom == null ? 1 : 0)) {
      throw new UsageException("--epochs must be positive (0 allowed with --init-from)");
    }
    if (archives.isEmpty() && !(epochs == 0 && initFrom != null)) {
      throw new UsageException(
          "--archive is required (only a re-export, --init-from with --epochs 0, needs none)");
    }
    if (initFrom != null && !Files.isRegularFile(initFrom.resolve("saved_model.pb"))) {
      throw new UsageException(
          "--init-from " + initFrom + " holds no saved_model.pb (a detector exported by farmid)");
    }
    JsonNode card = initFromCard();
    // The --init-from model's own backbone unless given; compact when its card names none.
    String net =
        backbone != null ? backbone : card.path("architecture").path("backbone").asText("compact");
    try {
      DetectorTrainer.checkBackbone(net);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--backbone: " + e.getMessage());
    }
    Path weights = backboneWeights;
    if (weights == null && net.equals("centernet")) {
      weights = backboneWeightsOf(card);
      if (weights == null) {
        throw new UsageException(
            "--backbone centernet needs --backbone-weights (models/pretrained/centernet, made by"
                + " scripts/import-pretrained.sh)");
      }
    }
    if (weights != null) {
      if (net.equals("compact")) {
        throw new UsageException("--backbone-weights needs --backbone mobilenet_v2 or centernet");
      }
      if (!Files.isRegularFile(weights.resolve("model.json"))) {
        throw new UsageException(
            "--backbone-weights "
                + weights
                + " holds no model.json; give a folder made by scripts/import-pretrained.sh");
      }
    }
    List<DetectorTrainer.Source> sources = new ArrayList<>();
    for (String a : archives) {
      sources.add(source(a, split));
    }
    PrintWriter err = spec.commandLine().getErr();
    DetectorTrainer.Outcome o =
        new DetectorTrainer(
                settings.options(initFrom),
                line -> {
                  err.println("train-detector: " + line);
                  err.flush();
                })
            .backbone(net, weights)
            .zoom(settings.zoom())
            .train(sources, out);
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("model", out.toAbsolutePath().toString());
    figures.put("frames", o.frames());
    figures.put("boxes", o.boxes());
    figures.put(
        "final_loss", o.epochLoss().isEmpty() ? null : o.epochLoss().get(o.epochLoss().size() - 1));
    figures.put("seconds", Math.round(o.seconds() * 10) / 10.0);
    Report.print(spec.commandLine().getOut(), "detector trained", figures);
    figures.put("epoch_loss", o.epochLoss());
    if (config.json() != null) {
      JsonReport.write(config.json(), figures);
    }
    return FarmId.EXIT_OK;
  }
}
