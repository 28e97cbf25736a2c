package org.farmid.jobs.cli.models;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.farmid.common.metrics.DetectionMisses;
import org.farmid.jobs.cli.CliInputs;
import org.farmid.jobs.cli.ConfigOptions;
import org.farmid.jobs.cli.FarmId;
import org.farmid.jobs.cli.JsonReport;
import org.farmid.jobs.cli.Report;
import org.farmid.jobs.cli.UsageException;
import org.farmid.models.detect.DetectorEvaluation;
import org.farmid.models.detect.DetectorOptions;
import org.farmid.models.detect.DjlDetector;
import org.farmid.models.detect.LabelledFrames;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code farmid eval-detector}: COCO-style AP of a detector on an archive with ground truth. */
@Command(
    name = "eval-detector",
    mixinStandardHelpOptions = true,
    description = {
      "Runs an Object Detection API SavedModel over labelled frames (an archive made by farmid",
      "synth, a YOLO folder, a COCO file or a video with MOT text) and reports COCO-style mAP (IoU 0.50:0.95), mAP50, mAP75 and recall at 100 detections,",
      "plus how many confident detections (score >= 0.3) also cover half of another one",
      "(multi-animal crops), and at IoU 0.5 the confident detections' precision and recall,",
      "recall split by how much of each animal is visible (bands 0-30, 30-50, 50-80, 80-100%%),",
      "and their false positives split into duplicates of an animal found, boxes misplaced on",
      "an animal (IoU 0.1-0.5) and boxes on background."
    })
public final class EvalDetectorCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "MODEL_DIR")
  Path model;

  @Option(
      names = "--archive",
      required = true,
      paramLabel = "PATH",
      description = {
        "Labelled frames: an output folder of farmid synth; a YOLO folder (data.yaml and its"
            + " --split, or a split folder with images/ and labels/); a COCO .json file (or a"
            + " folder holding one); a video with MOT text beside it (NAME.txt or gt/gt.txt)."
      })
  Path archive;

  @Option(
      names = "--split",
      defaultValue = "val",
      description = "The split of a YOLO data.yaml to evaluate (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(
      names = "--frame-step",
      defaultValue = "5",
      description =
          "Evaluate every n-th frame of each video (default: ${DEFAULT-VALUE}); every image of"
              + " an image set.")
  int frameStep;

  @Option(
      names = "--nms-iou",
      defaultValue = "0",
      description =
          "Greedy non-maximum suppression at this IoU after the model's own post-processing, as"
              + " the pipeline's pipeline.extra-nms-iou does (default: ${DEFAULT-VALUE}, the model's"
              + " output as it is).")
  double nmsIou;

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    config.load(List.of());
    if (nmsIou < 0 || nmsIou > 1) {
      throw new UsageException("--nms-iou must be between 0 and 1, got " + nmsIou);
    }
    if (frameStep < 1) {
      throw new UsageException("--frame-step must be positive, got " + frameStep);
    }
    if (!Files.exists(archive)) {
      throw new UsageException("--archive " + archive + " does not exist");
    }
    LabelledFrames source = CliInputs.labelled(archive, split, "--archive");
    PrintWriter err = spec.commandLine().getErr();
    DetectorEvaluation.Outcome o;
    try (DjlDetector d =
        DjlDetector.open(model, new DetectorOptions(0.01f, Set.of(), 100, nmsIou))) {
      o =
          DetectorEvaluation.run(
              d,
              source,
              frameStep,
              line -> {
                err.println("eval-detector: " + line);
                err.flush();
              });
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("model", model.toAbsolutePath().toString());
    figures.put("archive", archive.toAbsolutePath().toString());
    figures.put("source", source.describe());
    figures.put("frames", o.frames());
    figures.put("ground_truth_boxes", o.groundTruthBoxes());
    figures.put("map", o.ap().map());
    figures.put("map50", o.ap().map50());
    figures.put("map75", o.ap().map75());
    figures.put("recall100", o.ap().recall100());
    figures.put("multi_animal", o.multiAnimal());
    // What the confident detections find and add, and which animals they miss.
    DetectionMisses.Counts m = o.misses();
    figures.put("precision50_confident", m.precision());
    figures.put("recall50_confident", m.recall());
    figures.put("recall50_all", o.all().recall());
    // The animals no box of any score finds: with a box near them (IoU 0.3-0.5: placed too
    // loosely) or with none (no peak on them).
    figures.put("missed_all", o.all().missed());
    figures.put("missed_all_box_near", o.all().missedNear());
    figures.put("false_positives", m.falsePositives());
    figures.put("false_duplicates", m.duplicates());
    figures.put("false_misplaced", m.misplaced());
    figures.put("false_background", m.falsePositives() - m.duplicates() - m.misplaced());
    double from = 0;
    for (int b = 0; b < DetectionMisses.BANDS.length; b++) {
      double to = DetectionMisses.BANDS[b];
      String band =
          String.format(Locale.ROOT, "%02d_%02d", Math.round(from * 100), Math.round(to * 100));
      // null for a band without animals
      figures.put("recall50_visible_" + band, m.boxes()[b] == 0 ? null : m.recall(b));
      figures.put("boxes_visible_" + band, m.boxes()[b]);
      from = to;
    }
    // How much of the recall lost is animals that hardly show: the share of animals under half
    // visible, the recall of the others, and the recall if every one of those others were found.
    int half = DetectionMisses.HALF_VISIBLE;
    figures.put("hidden_share", m.shareBelow(half));
    double shown = m.recallFrom(half);
    figures.put("recall50_half_visible", Double.isNaN(shown) ? null : shown);
    figures.put("recall50_if_half_visible_found", m.recallIfFoundFrom(half));
    figures.put("frames_per_second", Math.round(o.framesPerSecond() * 10) / 10.0);
    Report.print(spec.commandLine().getOut(), "detector evaluation", figures);
    if (config.json() != null) {
      JsonReport.write(config.json(), figures);
    }
    return FarmId.EXIT_OK;
  }
}
