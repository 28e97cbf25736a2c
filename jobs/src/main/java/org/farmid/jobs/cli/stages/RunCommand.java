package org.farmid.jobs.cli.stages;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.ingest.Selection;
import org.farmid.jobs.cli.ArchiveOptions;
import org.farmid.jobs.cli.Overrides;
import org.farmid.jobs.cli.PipelineCommand;
import org.farmid.jobs.cli.Report;
import org.farmid.jobs.cli.SelectionOptions;
import org.farmid.jobs.cli.UsageException;
import org.farmid.jobs.pipeline.RunPlan;
import org.farmid.jobs.pipeline.RunStamp;
import org.farmid.jobs.pipeline.classify.ClassifyStage;
import org.farmid.jobs.pipeline.detect.DetectStage;
import org.farmid.jobs.pipeline.enrol.EnrolStage;
import org.farmid.jobs.pipeline.evaluate.EvaluateStage;
import org.farmid.jobs.pipeline.gallery.AdaptStage;
import org.farmid.jobs.pipeline.gallery.GalleryStage;
import org.farmid.jobs.pipeline.ingest.IngestStage;
import org.farmid.jobs.pipeline.runtime.DjlModels;
import org.farmid.jobs.pipeline.track.TrackStage;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Storage;
import org.farmid.jobs.spark.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code farmid run}: every stage in order, in one Spark application. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs ingest, detect, enrol (with --enrol-crops), gallery, classify, track and evaluate",
      "(with --ground-truth) in order; with farmid.gallery.adapt-weight above 0, adapt, classify",
      "and track again before evaluate (see `farmid adapt`). With a synth output folder S:",
      "  farmid run --archive S/archive --enrol-crops S/enrol --ground-truth S --warehouse W",
      "Without --enrol-crops the enrolment already in the warehouse is used. Each stage does",
      "only what is new or out of date (files, segments, identities, tracks); the plan is",
      "printed first, and --dry-run stops there. When nothing changed since the last run into",
      "the same warehouse (files, settings, models, crops, register, ground truth, tables),",
      "it says so and stops before Spark starts; --reprocess always runs."
    })
public final class RunCommand extends PipelineCommand {
  @Mixin ArchiveOptions input;
  @Mixin SelectionOptions select;

  @Option(
      names = "--dry-run",
      description = "Print what the run would do (files, segments, identities) and stop.")
  boolean dryRun;

  @Option(
      names = "--enrol-crops",
      paramLabel = "DIR|URI",
      description =
          "Folders of labelled crops per animal to enrol first: a path or a Hadoop URI"
              + " (hdfs://, s3a://).")
  String enrolCrops;

  @Option(
      names = "--ground-truth",
      paramLabel = "DIR",
      description = "Ground truth to evaluate against (a synth output folder).")
  Path groundTruth;

  @Option(
      names = "--register",
      paramLabel = "CSV",
      description = "Herd register (default: animals.csv beside the ground truth, if present).")
  Path register;

  @Option(names = "--sample-fps", paramLabel = "F", description = "Frames per second kept.")
  Double sampleFps;

  @Override
  protected List<String> overrides() {
    List<String> o = super.overrides();
    input.put(o);
    Overrides.put(o, PipelineSettings.SECTION, "sample-fps", sampleFps);
    return o;
  }

  @Override
  protected boolean recordsRun() {
    return !dryRun;
  }

  @Override
  protected void validate(PipelineSettings settings) throws Exception {
    input.validate();
    select.selection();
    if (enrolCrops != null
        && Storage.isLocal(Storage.location(enrolCrops))
        && !Files.isDirectory(Path.of(enrolCrops))) {
      throw new UsageException("--enrol-crops " + enrolCrops + " is not a folder");
    }
    if (groundTruth != null && !Files.isDirectory(groundTruth)) {
      throw new UsageException("--ground-truth " + groundTruth + " is not a folder");
    }
    if (register != null && !Files.isRegularFile(register)) {
      throw new UsageException("--register " + register + " is not a file");
    }
  }

  /** What this run was given, and the archive as listed before it started (for its stamp). */
  private String stampInputs;

  private String stampListing;
  private int stampFiles;

  /**
   * Everything but the archive's listing and the tables that decides what a run writes: the archive
   * and selection, the settings, the models' files, the enrolment crops, the register, the ground
   * truth and the job's own jar.
   */
  private String stampInputs(
      Config conf, PipelineSettings s, org.apache.hadoop.conf.Configuration hadoop)
      throws IOException {
    Path wh = Storage.isLocal(Storage.location(warehouse)) ? Path.of(warehouse) : null;
    return String.join(
        "\n",
        "archive=" + Storage.location(input.archive()),
        "selection=" + select.selection().describe(),
        "settings="
            + (conf.hasPath("farmid")
                ? conf.getConfig("farmid").root().render(ConfigRenderOptions.concise())
                : ""),
        "detector=" + RunStamp.files(DjlModels.location(s.detectorModel()), null, hadoop),
        "embedder=" + RunStamp.files(DjlModels.location(s.embedderModel()), null, hadoop),
        "enrol="
            + RunStamp.files(enrolCrops == null ? null : Storage.location(enrolCrops), wh, hadoop),
        "register=" + RunStamp.files(register(), null),
        "ground-truth=" + RunStamp.files(groundTruth, wh),
        "code=" + RunStamp.code());
  }

  @Override
  protected Map<String, Object> withoutSpark(Config conf, PipelineSettings s, RunContext run)
      throws Exception {
    org.apache.hadoop.conf.Configuration hadoop = RunStamp.hadoopConf();
    String root = Storage.location(warehouse);
    RunStamp last;
    try {
      stampInputs = stampInputs(conf, s, hadoop);
      var files = IngestStage.list(input.archive(), s, select.selection(), hadoop);
      stampListing = RunStamp.listing(files);
      stampFiles = files.size();
      last = select.reprocess() ? null : RunStamp.read(root, hadoop);
      if (last == null
          || !last.covers(stampInputs, stampListing, RunStamp.versions(root, hadoop))) {
        return null;
      }
    } catch (IOException | RuntimeException e) {
      // the stages say what is wrong with the archive or warehouse; only the shortcut is lost
      stampInputs = null;
      return null;
    }
    run.progress(
        String.format(
            java.util.Locale.ROOT,
            "run: nothing new since run %s: the %d files of %s, the settings, models, crops,"
                + " register and ground truth are unchanged, and no table was written since;"
                + " nothing to do (--reprocess runs every stage anyway)",
            last.runId(),
            stampFiles,
            select.selection().describe()));
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("up_to_date_since_run", last.runId());
    f.put("plan_files_listed", stampFiles);
    f.put("plan_files_to_probe", 0);
    f.put("plan_files_vanished", 0);
    f.put("plan_segments_to_detect", 0);
    f.put("plan_videos_to_classify", 0);
    f.put("files_probed", 0);
    f.put("segments_detected", 0);
    f.put("segments_already_detected", 0);
    f.put("frames_decoded", 0);
    f.put("videos_classified", 0);
    f.put("videos_tracked", 0);
    return f;
  }

  @Override
  protected void committed(Warehouse wh, Config conf, RunContext run) throws Exception {
    if (stampInputs == null) {
      return;
    }
    org.apache.hadoop.conf.Configuration hadoop = wh.spark().sparkContext().hadoopConfiguration();
    new RunStamp(
            stampInputs,
            stampListing,
            stampFiles,
            RunStamp.versions(wh.root(), hadoop),
            run.runId())
        .write(wh.root(), hadoop);
  }

  /** The register given, or animals.csv beside the ground truth, or null. */
  private Path register() {
    if (register != null || groundTruth == null) {
      return register;
    }
    for (Path candidate :
        List.of(groundTruth.resolve("animals.csv"), groundTruth.resolveSibling("animals.csv"))) {
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  @Override
  protected Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run)
      throws Exception {
    DjlModels models = DjlModels.fromSettings(s, true);
    PrintWriter out = spec.commandLine().getOut();
    Selection sel = select.selection();
    boolean again = select.reprocess();
    RunPlan plan =
        RunPlan.of(
            wh,
            input.archive(),
            s,
            s.detectFingerprint(models.detectorId(), models.embedderId()),
            sel,
            again);
    plan.lines().forEach(run::progress);
    Map<String, Object> f = new LinkedHashMap<>(plan.report());
    if (dryRun) {
      run.progress("run: --dry-run: nothing was probed, decoded or written");
      return f;
    }
    run.scope("ingest");
    f.putAll(IngestStage.run(wh, input.archive(), s, sel, again, run).report());
    run.scope("detect");
    f.putAll(DetectStage.run(wh, models, s, sel, again, run).report());
    if (enrolCrops != null) {
      run.scope("enrol");
      EnrolStage.Outcome e = EnrolStage.fromCrops(wh, enrolCrops, models, s.infraredLook(), run);
      f.put("enrolment_rows", e.rows());
      f.put("enrolled_animals", e.animals());
    }
    Path reg = register();
    run.scope("gallery");
    f.putAll(GalleryStage.run(wh, models.embedderId(), null, reg, s, run).report());
    run.scope("classify");
    f.putAll(ClassifyStage.run(wh, null, s, sel, again, run).report());
    run.scope("track");
    f.putAll(TrackStage.run(wh, null, s, sel, again, run).report());
    if (s.adapts()) {
      run.scope("adapt");
      AdaptStage.Outcome a = AdaptStage.run(wh, s, false, run);
      f.putAll(a.report());
      if (a.created()) {
        // every video is named and tracked again under the moved means
        run.scope("classify");
        f.putAll(ClassifyStage.run(wh, null, s, sel, again, run).report());
        run.scope("track");
        f.putAll(TrackStage.run(wh, null, s, sel, again, run).report());
      }
    }
    if (groundTruth != null) {
      run.scope("evaluate");
      EvaluateStage.Outcome ev = EvaluateStage.run(wh, groundTruth, null, s, run);
      Report.perAnimal(out, ev.figures());
      f.putAll(ev.report());
    }
    run.scope("");
    return f;
  }
}
