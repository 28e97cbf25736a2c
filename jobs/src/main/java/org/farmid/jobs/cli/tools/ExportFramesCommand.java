package org.farmid.jobs.cli.tools;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.ingest.VideoOrigin;
import org.farmid.common.labels.CocoLabels;
import org.farmid.jobs.cli.CliInputs;
import org.farmid.jobs.cli.ConfigOptions;
import org.farmid.jobs.cli.FarmId;
import org.farmid.jobs.cli.JsonReport;
import org.farmid.jobs.cli.Report;
import org.farmid.jobs.cli.UsageException;
import org.farmid.jobs.pipeline.ingest.IngestStage;
import org.farmid.models.video.FrameExport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code farmid export-frames}: frames of an archive to label in CVAT or Label Studio. */
@Command(
    name = "export-frames",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Samples COUNT frames of an archive, spread over cameras, days and day/night (infrared),",
      "and writes them as OUT/images/*.jpg with OUT/annotations.json, a COCO file listing the",
      "images without boxes, and OUT/frames.csv (the video and time of each image). Import the",
      "folder into CVAT or Label Studio, draw a box on every animal, export COCO, and give the",
      "export to train-detector --archive (with --init-from a detector) and eval-detector.",
      "Mosaic files (pipeline.mosaics) give one image per camera's tile. --frames writes the",
      "frames of an earlier export's frames.csv again, so a kept label file and its frames.csv",
      "rebuild the labelled set from the archive. --every writes every view's frames that far",
      "apart instead, all of them, for pre-label --link to follow each animal along its video."
    })
public final class ExportFramesCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--archive",
      required = true,
      paramLabel = "DIR",
      description =
          "Folder of video files (camera and date read from each path with"
              + " pipeline.path-pattern); an output folder of farmid synth works too.")
  Path archive;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Empty or new.")
  Path out;

  @Option(
      names = "--count",
      defaultValue = "40",
      description = "Frames to write (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--candidates-per-video",
      defaultValue = "8",
      description =
          "Frames looked at in each video, evenly spread over it, to choose from"
              + " (default: ${DEFAULT-VALUE}).")
  int candidatesPerVideo;

  @Option(
      names = "--every",
      paramLabel = "SECONDS",
      description =
          "Write the frames this far apart from the start of each video (every camera's view),"
              + " all of them, in place of --count chosen ones.")
  Double every;

  @Option(
      names = "--frames",
      paramLabel = "FILE",
      description =
          "The frames.csv of an earlier export of this archive: write exactly those frames"
              + " again, under the same names (--count is then ignored).")
  Path frames;

  @Option(
      names = "--labels",
      paramLabel = "FILE",
      description =
          "With --frames: the COCO label file of that export; OUT/annotations.json then holds the"
              + " boxes of the frames listed (filter the frames file to take part of a labelled"
              + " set).")
  Path labels;

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    PipelineSettings settings = PipelineSettings.from(config.load(List.of()));
    if (count < 1 || candidatesPerVideo < 1) {
      throw new UsageException(
          "--count and --candidates-per-video must be at least 1, got "
              + count
              + " and "
              + candidatesPerVideo);
    }
    if (every != null && !(every > 0 && every <= 3600)) {
      throw new UsageException("--every must be above 0 and at most 3600 seconds, got " + every);
    }
    if (every != null && frames != null) {
      throw new UsageException("--every and --frames exclude each other");
    }
    if (labels != null && frames == null) {
      throw new UsageException("--labels goes with --frames (the export whose frames it labels)");
    }
    if (!Files.isDirectory(archive)) {
      throw new UsageException("--archive " + archive + " is not a folder");
    }
    CliInputs.requireEmptyOrNew(out, "--out", "frames");
    Path root = archive.toAbsolutePath().normalize();
    // An output folder of farmid synth keeps its videos in archive/.
    if (Files.isDirectory(root.resolve("archive"))
        && Files.isDirectory(root.resolve("ground-truth"))) {
      root = root.resolve("archive");
    }
    List<Path> videos =
        IngestStage.listVideos(root, settings.videoExtensions()).stream().map(Path::of).toList();
    if (videos.isEmpty()) {
      throw new UsageException(
          "--archive "
              + archive
              + " holds no video ("
              + String.join(", ", settings.videoExtensions())
              + ")");
    }
    PrintWriter err = spec.commandLine().getErr();
    Consumer<String> progress =
        line -> {
          err.println("export-frames: " + line);
          err.flush();
        };
    FrameExport.Outcome o;
    if (frames != null) {
      if (!Files.isRegularFile(frames)) {
        throw new UsageException("--frames " + frames + " is not a file");
      }
      CocoLabels.Dataset labelled = null;
      if (labels != null) {
        if (!Files.isRegularFile(labels)) {
          throw new UsageException("--labels " + labels + " is not a file");
        }
        labelled = CocoLabels.parse(labels.toString(), Files.readString(labels));
      }
      try {
        o = FrameExport.again(root, frames, labelled, settings.mosaics(), out, progress);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--frames " + e.getMessage());
      }
    } else {
      o =
          FrameExport.run(
              root,
              videos,
              VideoOrigin.compile(settings.pathPattern()),
              settings.mosaics(),
              count,
              candidatesPerVideo,
              every == null ? 0 : Math.round(every * 1_000_000),
              out,
              progress);
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("out", out.toAbsolutePath().toString());
    figures.put("videos", o.videos());
    figures.put("videos_skipped", o.skipped().size());
    figures.put("candidate_frames", o.candidates());
    figures.put("frames_written", o.written());
    figures.put("frames_night", o.night());
    Report.print(spec.commandLine().getOut(), "frames exported", figures);
    figures.put("skipped", o.skipped());
    if (config.json() != null) {
      JsonReport.write(config.json(), figures);
    }
    return FarmId.EXIT_OK;
  }
}
