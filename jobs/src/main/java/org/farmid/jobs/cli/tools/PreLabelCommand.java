package org.farmid.jobs.cli.tools;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.labels.CocoLabels;
import org.farmid.jobs.cli.ConfigOptions;
import org.farmid.jobs.cli.FarmId;
import org.farmid.jobs.cli.JsonReport;
import org.farmid.jobs.cli.Report;
import org.farmid.jobs.cli.UsageException;
import org.farmid.models.detect.DetectorOptions;
import org.farmid.models.detect.DjlDetector;
import org.farmid.models.detect.ImageLabels;
import org.farmid.models.detect.PreLabels;
import org.farmid.models.video.FrameExport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code farmid pre-label}: a detector's boxes on exported frames, to correct, not draw. */
@Command(
    name = "pre-label",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs a detector over the images of an export-frames folder and writes its boxes as a",
      "COCO file beside them (default EXPORT/pre-labels.json), to import into CVAT or Label",
      "Studio and correct instead of drawing every box. --link follows each animal along its",
      "video (frames.csv; export with --every) and numbers its boxes as CVAT's",
      "attributes.track_id: cut-crops then cuts one folder of crops per track, for a labeller",
      "to name, or for train-embedder to learn the farm's own animals from as they are."
    })
public final class PreLabelCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--export",
      required = true,
      paramLabel = "DIR",
      description = "An export-frames output folder (annotations.json, images/, frames.csv).")
  Path export;

  @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "Detector.")
  Path model;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description =
          "COCO file to write; new (default: EXPORT/pre-labels.json, where the images are found).")
  Path out;

  @Option(
      names = "--score",
      defaultValue = "0.5",
      description = "Lowest detector score kept (default: ${DEFAULT-VALUE}).")
  float score;

  @Option(
      names = "--link",
      description =
          "Link the boxes of each video into tracks (farmid.track's tracker settings, boxes"
              + " only) and number them.")
  boolean link;

  @Option(
      names = "--min-track",
      defaultValue = "5",
      description = "With --link: tracks of fewer boxes get no number (default: ${DEFAULT-VALUE}).")
  int minTrack;

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    PipelineSettings settings = PipelineSettings.from(config.load(List.of()));
    if (minTrack < 1) {
      throw new UsageException("--min-track must be at least 1, got " + minTrack);
    }
    if (!(score >= 0 && score <= 1)) {
      throw new UsageException("--score must lie in [0, 1], got " + score);
    }
    Path labels = export.resolve("annotations.json");
    Path framesCsv = export.resolve("frames.csv");
    if (!Files.isRegularFile(labels)) {
      throw new UsageException(
          "--export " + export + " holds no annotations.json (make it with export-frames)");
    }
    if (link && !Files.isRegularFile(framesCsv)) {
      throw new UsageException(
          "--link needs " + framesCsv + " (the video and frame of each image; export-frames)");
    }
    Path target = out != null ? out : export.resolve("pre-labels.json");
    if (Files.exists(target)) {
      throw new UsageException("--out " + target + " exists; pre-label writes a new file");
    }
    List<FrameExport.Listing> frames = null;
    if (link) {
      try {
        frames = FrameExport.readFrames(framesCsv);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--export " + e.getMessage());
      }
    }
    ImageLabels images = ImageLabels.coco(labels);
    PrintWriter err = spec.commandLine().getErr();
    PreLabels.Outcome o;
    try (DjlDetector detector =
        DjlDetector.open(model, new DetectorOptions(score, Set.of(), 100, 0))) {
      o =
          PreLabels.run(
              images,
              frames,
              detector,
              settings.trackProfiles().sparse().tracker(),
              minTrack,
              line -> {
                err.println("pre-label: " + line);
                err.flush();
              });
    }
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Files.writeString(
        target,
        CocoLabels.write(o.images(), List.of(FrameExport.CATEGORY)),
        StandardCharsets.UTF_8);
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("out", target.toAbsolutePath().toString());
    figures.put("images", o.images().size());
    figures.put("boxes", o.boxes());
    figures.put("tracks", o.tracks());
    figures.put("boxes_in_tracks", o.tracked());
    Report.print(spec.commandLine().getOut(), "pre-labels written", figures);
    if (config.json() != null) {
      JsonReport.write(config.json(), figures);
    }
    return FarmId.EXIT_OK;
  }
}
