package org.farmid.jobs.cli.models;

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
import org.farmid.jobs.cli.Report;
import org.farmid.jobs.cli.UsageException;
import org.farmid.models.detect.DetectorTrainer;
import org.farmid.models.detect.LabelledFrames;
import org.farmid.models.tf.AdamFeed;
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

  @Option(names = "--epochs", defaultValue = "30", description = "Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(
      names = "--input-size",
      defaultValue = "320x176",
      description =
          "Network input WxH, multiples of 16 at stride 4, of 8 at stride 8"
              + " (default: ${DEFAULT-VALUE}).")
  String inputSize;

  @Option(
      names = "--stride",
      defaultValue = "4",
      description =
          "Output stride: 4 (a feature pyramid down to stride 16 and back up; separates touching"
              + " animals) or 8 (the smaller, faster network). Default: ${DEFAULT-VALUE}.")
  int stride;

  @Option(
      names = "--backbone",
      paramLabel = "NAME",
      description =
          "The network under the heads: compact (the default; --width channels) or mobilenet_v2"
              + " (MobileNetV2 width 1.0, ten blocks, with a feature pyramid; stride 4 only)."
              + " With --init-from, the model's own backbone unless given.")
  String backbone;

  @Option(
      names = "--backbone-weights",
      paramLabel = "TFJS_DIR",
      description =
          "Start the mobilenet_v2 backbone from a pretrained Keras MobileNetV2 in TensorFlow.js"
              + " format, such as models/pretrained/mobilenet_v2 (ImageNet features).")
  Path backboneWeights;

  @Option(
      names = "--giou-weight",
      defaultValue = "5",
      description =
          "Weight of the generalised-IoU loss on each centre's box, beside the L1 size and offset"
              + " terms (0 = off). Default: ${DEFAULT-VALUE}.")
  float giouWeight;

  @Option(
      names = "--width",
      defaultValue = "16",
      description = "Channels of the first layer (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--batch", defaultValue = "8")
  int batch;

  @Option(names = "--learning-rate", defaultValue = "0.002")
  float learningRate;

  @Option(
      names = "--learning-rate-schedule",
      defaultValue = "constant",
      description =
          "constant, or cosine (from --learning-rate down to 1%% of it over --epochs)."
              + " Default: ${DEFAULT-VALUE}.")
  String learningRateSchedule;

  @Option(
      names = "--frame-step",
      defaultValue = "3",
      description = "Use every n-th frame (default: ${DEFAULT-VALUE}).")
  int frameStep;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Option(
      names = "--test-flips",
      defaultValue = "none",
      description =
          "Mirror images the exported model also runs each frame as, averaging its heatmap and"
              + " boxes over them: none, x (left-right; twice the work) or xy (both axes; four"
              + " times). Default: ${DEFAULT-VALUE}.")
  String testFlips;

  @Option(
      names = "--soft-nms-sigma",
      defaultValue = "0",
      description =
          "Gaussian soft non-maximum suppression in the exported graph: each box's score is"
              + " scaled by exp(-IoU^2 / (2 sigma)) of its overlap with every better box, so a"
              + " second peak on one animal sinks in the ranking while nothing is dropped"
              + " (0 = off). Default: ${DEFAULT-VALUE}.")
  float softNmsSigma;

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

  /** The backbone named in the --init-from model's card; compact when it names none. */
  private String initFromBackbone() throws IOException {
    if (initFrom == null || !Files.isRegularFile(initFrom.resolve("model.json"))) {
      return "compact";
    }
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(initFrom.resolve("model.json").toFile())
        .path("architecture")
        .path("backbone")
        .asText("compact");
  }

  @Override
  public Integer call() throws Exception {
    config.load(List.of());
    String[] wh = inputSize.toLowerCase(java.util.Locale.ROOT).split("x");
    int w;
    int h;
    try {
      w = Integer.parseInt(wh[0]);
      h = Integer.parseInt(wh[1]);
    } catch (RuntimeException e) {
      throw new UsageException("--input-size must look like 320x176, got " + inputSize);
    }
    if (stride != 4 && stride != 8) {
      throw new UsageException("--stride must be 4 or 8, got " + stride);
    }
    int multiple = DetectorTrainer.inputMultiple(stride);
    if (w % multiple != 0 || h % multiple != 0 || w < 64 || h < 64) {
      throw new UsageException(
          "--input-size "
              + inputSize
              + ": both sides must be multiples of "
              + multiple
              + " at --stride "
              + stride
              + ", at least 64");
    }
    if (!(giouWeight >= 0)) {
      throw new UsageException("--giou-weight must be 0 or more, got " + giouWeight);
    }
    if (epochs < (initFrom == null ? 1 : 0) || batch < 1 || frameStep < 1 || width < 4) {
      throw new UsageException(
          "--epochs (0 allowed with --init-from), --batch and --frame-step must be positive,"
              + " --width at least 4");
    }
    if (archives.isEmpty() && !(epochs == 0 && initFrom != null)) {
      throw new UsageException(
          "--archive is required (only a re-export, --init-from with --epochs 0, needs none)");
    }
    try {
      DetectorTrainer.checkTestFlips(testFlips);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--test-flips: " + e.getMessage());
    }
    if (!(softNmsSigma >= 0)) {
      throw new UsageException("--soft-nms-sigma must be 0 or more, got " + softNmsSigma);
    }
    if (initFrom != null && !Files.isRegularFile(initFrom.resolve("saved_model.pb"))) {
      throw new UsageException(
          "--init-from " + initFrom + " holds no saved_model.pb (a detector exported by farmid)");
    }
    String badSchedule = AdamFeed.unknownSchedule(learningRateSchedule);
    if (badSchedule != null) {
      throw new UsageException("--learning-rate-schedule " + badSchedule);
    }
    String net = backbone != null ? backbone : initFromBackbone();
    try {
      DetectorTrainer.checkBackbone(net);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--backbone: " + e.getMessage());
    }
    if (backboneWeights != null) {
      if (!net.equals("mobilenet_v2")) {
        throw new UsageException("--backbone-weights needs --backbone mobilenet_v2");
      }
      if (!Files.isRegularFile(backboneWeights.resolve("model.json"))) {
        throw new UsageException(
            "--backbone-weights "
                + backboneWeights
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
                new DetectorTrainer.Options(
                    w,
                    h,
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
                    initFrom),
                line -> {
                  err.println("train-detector: " + line);
                  err.flush();
                })
            .backbone(net, backboneWeights)
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
