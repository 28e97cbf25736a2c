package org.farmid.jobs.cli.tools;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.farmid.common.synth.ArchivePlan;
import org.farmid.common.synth.SynthSettings;
import org.farmid.jobs.cli.ConfigOptions;
import org.farmid.jobs.cli.FarmId;
import org.farmid.jobs.cli.JsonReport;
import org.farmid.jobs.cli.Overrides;
import org.farmid.jobs.cli.Report;
import org.farmid.jobs.cli.UsageException;
import org.farmid.models.synth.SynthArchiveWriter;
import org.farmid.models.synth.SynthSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code farmid synth}: a synthetic top-view pen archive with ground truth. */
@Command(
    name = "synth",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Renders top-view pens with marked pig-like animals into real H.264 files laid out as",
      "DIR/archive/<camera>/<yyyy-MM-dd>/<HH-mm-ss>.mp4, with MOTChallenge ground truth in",
      "DIR/ground-truth/, the herd register DIR/animals.csv, the unregistered visitors in",
      "DIR/visitors.csv and enrolment crops in DIR/enrol/<animal id>/.",
      "Options left out take their value from the farmid.synth section of the settings."
    })
public final class SynthCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--seed", description = "Random seed; same seed, same archive.")
  Long seed;

  @Option(names = "--cameras", description = "Cameras, one pen each.")
  Integer cameras;

  @Option(names = "--days", description = "Days of footage.")
  Integer days;

  @Option(names = "--minutes", description = "Minutes of footage per camera and day.")
  Double minutes;

  @Option(names = "--clip-minutes", description = "Length of each video file, minutes.")
  Double clipMinutes;

  @Option(names = "--animals", description = "Registered animals per pen.")
  Integer animals;

  @Option(names = "--visitors", description = "Unregistered animals per pen (open set).")
  Integer visitors;

  @Option(names = "--fps", description = "Frames per second.")
  Integer fps;

  @Option(names = "--width", description = "Frame width, pixels (even).")
  Integer width;

  @Option(names = "--height", description = "Frame height, pixels (even).")
  Integer height;

  @Option(names = "--night-fraction", description = "Share of clips filmed at night (infrared).")
  Double nightFraction;

  @Option(names = "--herd-changes", description = "Animals leaving and joining between days.")
  Integer herdChanges;

  @Option(names = "--enrol-crops", description = "Enrolment crops per registered animal.")
  Integer enrolCrops;

  @Option(names = "--threads", description = "Videos rendered at once.")
  Integer threads;

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new UsageException("--out " + out + " is a file; give a folder");
    }
    List<String> overrides = new ArrayList<>();
    Overrides.put(overrides, SynthSettings.SECTION, "seed", seed);
    Overrides.put(overrides, SynthSettings.SECTION, "cameras", cameras);
    Overrides.put(overrides, SynthSettings.SECTION, "days", days);
    Overrides.put(overrides, SynthSettings.SECTION, "minutes", minutes);
    Overrides.put(overrides, SynthSettings.SECTION, "clip-minutes", clipMinutes);
    Overrides.put(overrides, SynthSettings.SECTION, "animals", animals);
    Overrides.put(overrides, SynthSettings.SECTION, "visitors", visitors);
    Overrides.put(overrides, SynthSettings.SECTION, "fps", fps);
    Overrides.put(overrides, SynthSettings.SECTION, "width", width);
    Overrides.put(overrides, SynthSettings.SECTION, "height", height);
    Overrides.put(overrides, SynthSettings.SECTION, "night-fraction", nightFraction);
    Overrides.put(overrides, SynthSettings.SECTION, "herd-changes", herdChanges);
    Overrides.put(overrides, SynthSettings.SECTION, "enrol-crops", enrolCrops);
    Overrides.put(overrides, SynthSettings.SECTION, "threads", threads);
    SynthSettings settings = SynthSettings.from(config.load(overrides));

    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    ArchivePlan plan = ArchivePlan.create(settings);
    err.printf(
        "synth: %d videos (%d cameras x %d days, %.1f min/day), seed %d -> %s%n",
        plan.clips().size(),
        settings.cameras(),
        settings.days(),
        settings.minutes(),
        settings.seed(),
        out);
    err.flush();
    SynthSummary s =
        new SynthArchiveWriter(
                plan,
                line -> {
                  err.println("synth: " + line);
                  err.flush();
                })
            .write(out);

    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("out", out.toAbsolutePath().toString());
    figures.put("seed", settings.seed());
    figures.put("videos", s.videos());
    figures.put("night_videos", s.nightVideos());
    figures.put("frames", s.frames());
    figures.put("ground_truth_rows", s.groundTruthRows());
    figures.put("registered_animals", s.registeredAnimals());
    figures.put("visitors", s.visitors());
    figures.put("enrol_crops", s.enrolCrops());
    figures.put("seconds", round(s.seconds()));
    figures.put("frames_per_second", round(s.framesPerSecond()));
    Report.print(stdout, "synthetic archive written", figures);
    stdout.printf("  %-20s %s%n", "videos in", out.resolve("archive"));
    stdout.printf("  %-20s %s%n", "ground truth in", out.resolve("ground-truth"));
    stdout.printf("  %-20s %s%n", "register", out.resolve("animals.csv"));
    stdout.printf("  %-20s %s%n", "enrolment crops in", out.resolve("enrol"));
    stdout.flush();
    if (config.json() != null) {
      JsonReport.write(config.json(), figures);
    }
    return FarmId.EXIT_OK;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
