package org.farmid.jobs.cli.tools;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.farmid.common.image.OverlayMask;
import org.farmid.jobs.cli.CliInputs;
import org.farmid.jobs.cli.ConfigOptions;
import org.farmid.jobs.cli.FarmId;
import org.farmid.jobs.cli.JsonReport;
import org.farmid.jobs.cli.Report;
import org.farmid.jobs.cli.UsageException;
import org.farmid.models.detect.CropExport;
import org.farmid.models.detect.LabelledFrames;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code farmid cut-crops}: enrolment crops from a farm's own labelled frames. */
@Command(
    name = "cut-crops",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Cuts every labelled box that names its animal out of its frame: a COCO file whose boxes",
      "carry CVAT's attributes.track_id, MOT text beside a video, or a farmid synth archive.",
      "Writes OUT/<animal>/<source>_<frame>_<k>.png and OUT/split.csv (path,identity,split):",
      "each animal's first --enrol crops in name order (by source, then time; --enrol-first",
      "sources before the others) enrol it, the rest are classified. Use OUT with enrol --crops, train-embedder --crops, or",
      "eval-crops --split-csv OUT/split.csv. Boxes without an identity are counted, not cut."
    })
public final class CutCropsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--labels",
      required = true,
      paramLabel = "PATH",
      description =
          "Labelled frames (the sources train-detector --archive reads) whose boxes name"
              + " animals.")
  Path labels;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Empty or new.")
  Path out;

  @Option(
      names = "--enrol",
      defaultValue = "3",
      description = "Crops that enrol each animal (default: ${DEFAULT-VALUE}).")
  int enrol;

  @Option(
      names = "--enrol-first",
      paramLabel = "REGEX",
      description =
          "Crops of the sources (video or image names) this regular expression finds come first"
              + " in each animal's order, so they enrol it: enrol from one clip or day and"
              + " classify the others.")
  String enrolFirst;

  @Option(
      names = "--frame-step",
      defaultValue = "1",
      description =
          "Cut every n-th frame of each video (default: ${DEFAULT-VALUE}); every image of an"
              + " image set.")
  int frameStep;

  @Option(
      names = "--split",
      defaultValue = "train",
      description = "The split of a YOLO data.yaml (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(
      names = "--mask-overlay",
      paramLabel = "LEVEL",
      description =
          "Hide text burnt into the frames (another tracker's numbers, a clock) before cutting:"
              + " each small patch of pixels darker than LEVEL in every channel (0-255) is covered"
              + " by the colour around it, so crops cannot be told apart by their text.")
  Integer maskOverlay;

  @Option(
      names = "--mask-overlay-size",
      defaultValue = "56",
      paramLabel = "PIXELS",
      description =
          "With --mask-overlay: dark patches larger than this each way (shadows, a dark floor)"
              + " are kept (default: ${DEFAULT-VALUE}).")
  int maskOverlaySize;

  @Option(
      names = "--min-visibility",
      defaultValue = "0",
      paramLabel = "SHARE",
      description =
          "Leave out boxes whose label gives a visible share of the animal below SHARE (0-1;"
              + " MOT's ninth column, a synth archive's ground truth): a crop of an animal mostly"
              + " under its neighbours shows the neighbours. Labels without one count as fully"
              + " visible (default: ${DEFAULT-VALUE}).")
  double minVisibility;

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    config.load(List.of());
    if (enrol < 1 || frameStep < 1) {
      throw new UsageException(
          "--enrol and --frame-step must be at least 1, got " + enrol + " and " + frameStep);
    }
    if (!(minVisibility >= 0 && minVisibility <= 1)) {
      throw new UsageException("--min-visibility must lie in [0, 1], got " + minVisibility);
    }
    OverlayMask.Settings mask = null;
    if (maskOverlay != null) {
      try {
        mask = new OverlayMask.Settings(maskOverlay, maskOverlaySize);
      } catch (IllegalArgumentException e) {
        throw new UsageException(
            "--mask-overlay must lie in [1, 255] and --mask-overlay-size be at least 1, got "
                + maskOverlay
                + " and "
                + maskOverlaySize);
      }
    }
    if (!Files.exists(labels)) {
      throw new UsageException("--labels " + labels + " does not exist");
    }
    CliInputs.requireEmptyOrNew(out, "--out", "crops");
    Predicate<String> first = s -> false;
    if (enrolFirst != null) {
      try {
        first = Pattern.compile(enrolFirst).asPredicate();
      } catch (PatternSyntaxException e) {
        throw new UsageException(
            "--enrol-first is not a regular expression: " + e.getDescription());
      }
    }
    LabelledFrames source = CliInputs.labelled(labels, split, "--labels");
    PrintWriter err = spec.commandLine().getErr();
    CropExport.Outcome o =
        CropExport.run(
            source,
            frameStep,
            enrol,
            first,
            mask,
            minVisibility,
            out,
            line -> {
              err.println("cut-crops: " + line);
              err.flush();
            });
    if (o.crops() == 0) {
      throw new UsageException(
          "--labels "
              + source.describe()
              + ": none of its "
              + (o.withoutIdentity() + o.outsideFrame() + o.lessVisible())
              + " boxes names an animal inside its frame (COCO: attributes.track_id; MOT: the"
              + " track column)"
              + (o.lessVisible() > 0
                  ? "; " + o.lessVisible() + " were left out as less visible than --min-visibility"
                  : ""));
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("out", out.toAbsolutePath().toString());
    figures.put("frames", o.frames());
    figures.put("animals", o.animals());
    figures.put("crops", o.crops());
    figures.put("enrolment_crops", o.enrolment());
    figures.put("query_crops", o.queries());
    figures.put("boxes_without_identity", o.withoutIdentity());
    figures.put("boxes_outside_frame", o.outsideFrame());
    figures.put("boxes_less_visible", o.lessVisible());
    Report.print(spec.commandLine().getOut(), "crops cut", figures);
    if (config.json() != null) {
      JsonReport.write(config.json(), figures);
    }
    return FarmId.EXIT_OK;
  }
}
