package org.farmid.jobs.cli.tools;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.ingest.Selection;
import org.farmid.jobs.bench.BenchRow;
import org.farmid.jobs.bench.BenchTable;
import org.farmid.jobs.bench.ClassifyFigures;
import org.farmid.jobs.bench.DecodeFigures;
import org.farmid.jobs.bench.EnvelopeFigures;
import org.farmid.jobs.bench.IncrementalFigures;
import org.farmid.jobs.bench.PipelineFigures;
import org.farmid.jobs.bench.SettingsSearch;
import org.farmid.jobs.bench.SystemFigures;
import org.farmid.jobs.cli.ConfigOptions;
import org.farmid.jobs.cli.FarmId;
import org.farmid.jobs.cli.PipelineCommand;
import org.farmid.jobs.cli.UsageException;
import org.farmid.jobs.pipeline.detect.DetectStage;
import org.farmid.jobs.pipeline.runtime.DjlModels;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.SparkSessions;
import org.farmid.jobs.spark.Sql;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code farmid bench <figure>}: the benchmark suite's figures, each printed as a table row (ours,
 * the reference measured in the same run, the ratio, the goal) and written with {@code --json}.
 * {@code scripts/bench/run-all.sh} runs them all and joins the rows with {@code bench table}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark figures, each against a reference measured side by side in the same run.",
      "scripts/bench/run-all.sh prepares the inputs and runs every figure."
    },
    subcommands = {
      BenchCommand.Decode.class,
      BenchCommand.Pipeline.class,
      BenchCommand.Scaling.class,
      BenchCommand.Classify.class,
      BenchCommand.Memory.class,
      BenchCommand.Incremental.class,
      BenchCommand.Envelope.class,
      BenchCommand.Settings.class,
      BenchCommand.Table.class,
      BenchCommand.DetectRepeat.class,
      BenchCommand.DetectPlan.class
    })
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Shared by the figures: settings, --json, printing. */
  abstract static class Figure implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin ConfigOptions config;

    /** The rows of the figure; none where it printed and wrote its own table. */
    abstract List<BenchRow> measure(Consumer<String> progress) throws Exception;

    @Override
    public final Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      Consumer<String> progress =
          line -> {
            err.println("bench " + spec.name() + ": " + line);
            err.flush();
          };
      List<BenchRow> rows = measure(progress);
      if (rows.isEmpty()) {
        // the figure printed (and wrote) a table of its own
        spec.commandLine().getOut().flush();
        return FarmId.EXIT_OK;
      }
      BenchTable.print(spec.commandLine().getOut(), rows);
      if (config.json() != null) {
        BenchTable.write(config.json(), rows);
      }
      return FarmId.EXIT_OK;
    }

    static Path existingFile(String option, Path p) throws UsageException {
      if (p == null || !Files.isRegularFile(p)) {
        throw new UsageException(option + " " + p + " is not a file");
      }
      return p;
    }

    static Path existingFolder(String option, Path p) throws UsageException {
      if (p == null || !Files.isDirectory(p)) {
        throw new UsageException(option + " " + p + " is not a folder");
      }
      return p;
    }

    static Path emptyFolder(String option, Path p) throws Exception {
      if (Files.exists(p) && (!Files.isDirectory(p) || Files.list(p).findAny().isPresent())) {
        throw new UsageException(option + " " + p + " must be a new or empty folder");
      }
      Files.createDirectories(p);
      return p;
    }
  }

  @Command(
      name = "decode",
      mixinStandardHelpOptions = true,
      description = {
        "Figures 1 and 2: decoding against FFmpeg, sampled decoding against full decoding.",
        "The segment decoder against `ffmpeg -threads 1 -f null` on --video, and sampled",
        "decoding against decoding every frame on --video and each --sampled file."
      })
  static final class Decode extends Figure {
    @Option(names = "--video", required = true, paramLabel = "FILE", description = "H.264 file.")
    Path video;

    @Option(
        names = "--sampled",
        paramLabel = "FILE",
        description = "More files for figure 2 (other keyframe intervals); repeatable.")
    List<Path> sampled = new ArrayList<>();

    @Option(names = "--sample-fps", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
    double sampleFps;

    @Option(names = "--ffmpeg", defaultValue = "ffmpeg", description = "Default: ${DEFAULT-VALUE}.")
    String ffmpeg;

    @Option(names = "--repeats", defaultValue = "3", description = "Best of N (default: 3).")
    int repeats;

    @Override
    List<BenchRow> measure(Consumer<String> progress) throws Exception {
      existingFile("--video", video);
      for (Path p : sampled) {
        existingFile("--sampled", p);
      }
      if (repeats < 1 || sampleFps <= 0) {
        throw new UsageException("--repeats and --sample-fps must be positive");
      }
      return new DecodeFigures(ffmpeg, repeats, progress).run(video, sampled, sampleFps);
    }
  }

  @Command(
      name = "pipeline",
      mixinStandardHelpOptions = true,
      description = {
        "Figures 3 and 7: the embedder inside detect, and core-seconds per footage hour.",
        "Runs ingest, detect, enrol, gallery and classify on a synth output folder in this JVM",
        "(use --master local[1] for core-seconds) after a warm-up on its first video, then",
        "compares the embedder inside detect with the bare predictor and splits the cost per step."
      })
  static final class Pipeline extends Figure {
    @Option(names = "--synth", required = true, paramLabel = "DIR", description = "synth --out.")
    Path synth;

    @Option(
        names = "--warehouse",
        required = true,
        paramLabel = "DIR",
        description = "A new or empty folder for the Delta tables.")
    Path warehouse;

    @Option(names = "--crops", defaultValue = "512", description = "Crops for the bare predictor.")
    int crops;

    @Override
    List<BenchRow> measure(Consumer<String> progress) throws Exception {
      existingFolder("--synth", synth);
      existingFolder("--synth (archive)", synth.resolve("archive"));
      existingFolder("--synth (enrol)", synth.resolve("enrol"));
      PipelineSettings s = PipelineSettings.from(config.load(List.of()));
      Path root = Warehouse.checkRoot(emptyFolder("--warehouse", warehouse));
      SparkSession spark = SparkSessions.getOrCreate("farmid bench pipeline");
      return new PipelineFigures(new Warehouse(spark, root), s, progress).run(synth, crops);
    }
  }

  /** Figures whose sides run in child JVMs: where they work, and their heap. */
  abstract static class ChildFigure extends Figure {
    @Option(
        names = "--work",
        required = true,
        paramLabel = "DIR",
        description = "A new or empty folder for the child runs' warehouses, logs and figures.")
    Path work;

    @Option(names = "--heap", defaultValue = "3g", description = "Child heap (default: 3g).")
    String heap;

    /** The child runs, with this command's --conf and --set passed on to each. */
    SystemFigures systemFigures(Consumer<String> progress) throws Exception {
      return new SystemFigures(emptyFolder("--work", work), heap, childSettings(config), progress);
    }
  }

  @Command(
      name = "scaling",
      mixinStandardHelpOptions = true,
      description = "Figure 4: detect at local[2] against local[1], each in its own JVM.")
  static final class Scaling extends ChildFigure {
    @Option(
        names = "--archive",
        required = true,
        paramLabel = "DIR",
        description = "Videos to detect in, as for ingest.")
    Path archive;

    @Override
    List<BenchRow> measure(Consumer<String> progress) throws Exception {
      existingFolder("--archive", archive);
      PipelineSettings s = PipelineSettings.from(config.load(List.of()));
      SystemFigures f = systemFigures(progress);
      List<BenchRow> rows = new ArrayList<>(f.scaling(archive));
      rows.add(f.inferenceCeiling(DjlModels.fromSettings(s, false).embedderDir()));
      return rows;
    }
  }

  @Command(
      name = "memory",
      mixinStandardHelpOptions = true,
      description = "Figure 6: detect's peak resident memory on a long against a short video.")
  static final class Memory extends ChildFigure {
    @Option(
        names = "--short",
        required = true,
        paramLabel = "FILE",
        description = "The short video (run-all.sh: 1 minute).")
    Path shortVideo;

    @Option(
        names = "--long",
        required = true,
        paramLabel = "FILE",
        description = "The long video (run-all.sh: the short one 10 times over).")
    Path longVideo;

    @Override
    List<BenchRow> measure(Consumer<String> progress) throws Exception {
      existingFile("--short", shortVideo);
      existingFile("--long", longVideo);
      config.load(List.of());
      return List.of(systemFigures(progress).memory(shortVideo, longVideo));
    }
  }

  @Command(
      name = "classify",
      mixinStandardHelpOptions = true,
      description = {
        "Figure 5: broadcast nearest-mean classification against a Spark cross join.",
        "Both name generated unit embeddings after the nearest of --animals random means."
      })
  static final class Classify extends Figure {
    @Option(names = "--rows", defaultValue = "1000000", description = "Default: ${DEFAULT-VALUE}.")
    long rows;

    @Option(
        names = "--animals",
        split = ",",
        defaultValue = "16,100,1000",
        description = "Gallery sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> animals;

    @Option(
        names = "--pair-budget",
        defaultValue = "16000000",
        description =
            "Embedding-mean pairs the cross join is timed on (default: ${DEFAULT-VALUE}).")
    long pairBudget;

    @Override
    List<BenchRow> measure(Consumer<String> progress) throws Exception {
      if (rows < 1000 || animals.isEmpty() || animals.stream().anyMatch(a -> a < 1)) {
        throw new UsageException("--rows must be >= 1000 and --animals positive");
      }
      config.load(List.of());
      SparkSession spark = SparkSessions.getOrCreate("farmid bench classify");
      return new ClassifyFigures(spark, progress).run(rows, animals, pairBudget);
    }
  }

  @Command(
      name = "incremental",
      mixinStandardHelpOptions = true,
      description = {
        "Incremental runs, each a farmid process of its own: on a synth archive of --days days,",
        "a re-run with nothing new and a run with one more day against the first run (the new",
        "day's rows compared with a from-scratch run's), then detect's planning time and heap on",
        "a segments table of --plan-segments rows against --plan-few, built directly."
      })
  static final class Incremental extends ChildFigure {
    @Option(names = "--days", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
    int days;

    @Option(names = "--cameras", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
    int cameras;

    @Option(
        names = "--minutes",
        defaultValue = "1.0",
        description = "Footage per camera and day (default: ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--seed", defaultValue = "11", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
        names = "--plan-segments",
        defaultValue = "1000000",
        description = "Default: ${DEFAULT-VALUE}; 0 skips the planning figure.")
    long planSegments;

    @Option(names = "--plan-few", defaultValue = "1000", description = "Default: ${DEFAULT-VALUE}.")
    long planFew;

    @Override
    List<BenchRow> measure(Consumer<String> progress) throws Exception {
      if (days < 1 || cameras < 1 || !(minutes > 0)) {
        throw new UsageException("--days and --cameras must be at least 1, --minutes above 0");
      }
      config.load(List.of());
      IncrementalFigures f =
          new IncrementalFigures(
              emptyFolder("--work", work), heap, childSettings(config), progress);
      SparkSession spark = SparkSessions.getOrCreate("farmid bench incremental");
      List<BenchRow> rows = new ArrayList<>(f.runs(spark, days, cameras, minutes, seed));
      if (planSegments > 0) {
        if (planFew < 1 || planFew >= planSegments) {
          throw new UsageException("--plan-few must be between 1 and --plan-segments");
        }
        rows.addAll(f.planning(planSegments, planFew));
      }
      return rows;
    }
  }

  @Command(
      name = "table",
      mixinStandardHelpOptions = true,
      description = "Joins figure files into one table (printed) and one JSON list (--json).")
  static final class Table extends Figure {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Figure JSON files, in order.")
    List<Path> files;

    @Override
    List<BenchRow> measure(Consumer<String> progress) throws Exception {
      List<Path> present = new ArrayList<>();
      for (Path f : files) {
        if (Files.isRegularFile(f)) {
          present.add(f);
        } else {
          progress.accept("no figures in " + f + " (that figure failed or was skipped)");
        }
      }
      return BenchTable.readAll(present);
    }
  }

  @Command(
      name = "detect-repeat",
      hidden = true,
      mixinStandardHelpOptions = true,
      description = {
        "Runs detect --runs times in this JVM and reports the last run: the figure of a warm",
        "JVM, without the JIT and first-commit costs a fresh one pays (used by `bench scaling`)."
      })
  static final class DetectRepeat extends PipelineCommand {
    @Option(names = "--runs", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
    int runs;

    @Override
    protected void validate(PipelineSettings settings) throws Exception {
      if (runs < 1) {
        throw new UsageException("--runs must be at least 1, got " + runs);
      }
    }

    @Override
    protected Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run)
        throws Exception {
      DjlModels models = DjlModels.fromSettings(s, true);
      DetectStage.Outcome last = null;
      for (int i = 0; i < runs; i++) {
        // every run detects every segment again: the figure is of the work, not of the backlog
        last = DetectStage.run(wh, models, s, Selection.all(), true, run);
      }
      return last.report();
    }
  }

  @Command(
      name = "detect-plan",
      hidden = true,
      mixinStandardHelpOptions = true,
      description = {
        "Builds a segments table of --segments rows (half of them detected) unless present, then",
        "times detect's planning on the driver: the backlog query and its first batch (used by",
        "`bench incremental`)."
      })
  static final class DetectPlan extends PipelineCommand {
    @Option(names = "--segments", required = true, description = "Rows of segments.")
    long segments;

    @Override
    protected Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run) {
      String fingerprint = s.detectFingerprint("bench-detector", "bench-embedder");
      if (!wh.exists(Tables.SEGMENTS)) {
        var ids = wh.spark().range(segments);
        var rows =
            ids.selectExpr(
                "concat('v', lpad(cast(id AS STRING), 9, '0'), '.mp4') AS video_id",
                "concat('cam', cast(id % 10 AS STRING)) AS camera",
                "date_add(DATE '2026-01-01', cast(id DIV 10000 AS INT)) AS date",
                "id % 2 = 0 AS detected");
        wh.append(
            Tables.SEGMENTS,
            rows.selectExpr(
                "concat(video_id, '#0') AS segment_id",
                "video_id",
                "'/bench' AS archive",
                "concat('/bench/', video_id) AS path",
                "camera",
                "CAST(date AS TIMESTAMP) AS start_time",
                "date",
                "5.0 AS fps",
                "0 AS segment_index",
                "0.0 AS start_s",
                "60.0 AS end_s",
                "true AS to_end",
                "'bench' AS run_id"),
            run.runId());
        wh.append(
            Tables.DETECTED_SEGMENTS,
            rows.where("detected")
                .selectExpr(
                    "concat(video_id, '#0') AS segment_id",
                    "video_id",
                    "concat('/bench/', video_id) AS path",
                    "camera",
                    "date",
                    Sql.literal(fingerprint) + " AS fingerprint",
                    "'bench' AS segment_run_id",
                    "'done' AS status",
                    "0L AS frames_decoded",
                    "0L AS frames_sampled",
                    "0L AS detections",
                    "current_timestamp() AS detected_at",
                    "'bench' AS run_id"),
            run.runId());
      }
      // the same warm-up for both sizes: one planning pass not counted
      DetectStage.nextBatch(
          DetectStage.plan(wh, fingerprint, Selection.all(), false).todoRows(),
          null,
          s.batchSegments());
      List<MemoryPoolMXBean> heapPools =
          ManagementFactory.getMemoryPoolMXBeans().stream()
              .filter(p -> p.getType() == MemoryType.HEAP)
              .toList();
      System.gc();
      long before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
      long t0 = System.nanoTime();
      DetectStage.Plan plan = DetectStage.plan(wh, fingerprint, Selection.all(), false);
      int batch = DetectStage.nextBatch(plan.todoRows(), null, s.batchSegments()).size();
      long ms = Math.round((System.nanoTime() - t0) / 1e6);
      long peak = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("segments", plan.selected());
      f.put("segments_to_detect", plan.todo());
      f.put("first_batch", batch);
      f.put("plan_ms", ms);
      f.put("plan_heap_mb", Math.max(0, peak - before) / (1024.0 * 1024.0));
      return f;
    }
  }

  @Command(
      name = "envelope",
      mixinStandardHelpOptions = true,
      description = {
        "The identity figures over the operating envelope: for each cell of the grid (animals",
        "per pen x night share x visitors per pen) a synth archive of its own seed (counted up",
        "from --seed in the order animals, night, visitors), the whole pipeline on it and",
        "eval-detector on its frames, each its own farmid process. Writes envelope.md and",
        "envelope.json to --work after every cell; each figure beside its goal, and by how much",
        "it falls short. scripts/eval-envelope.sh runs the grid of the README."
      })
  static final class Envelope extends ChildFigure {
    @Option(
        names = "--animals",
        split = ",",
        defaultValue = "6,12,20,30",
        description = "Registered animals per pen (default: ${DEFAULT-VALUE}).")
    List<Integer> animals;

    @Option(
        names = "--night",
        split = ",",
        defaultValue = "0,0.5,1",
        description = "Shares of night (infrared) footage (default: ${DEFAULT-VALUE}).")
    List<Double> night;

    @Option(
        names = "--visitors",
        split = ",",
        defaultValue = "0,1,3",
        description = "Unregistered animals per pen (default: ${DEFAULT-VALUE}).")
    List<Integer> visitors;

    @Option(
        names = "--seed",
        defaultValue = "7000",
        description =
            "Seed of the first cell (default: ${DEFAULT-VALUE}; no setting or model was chosen"
                + " on seeds 7000 and up).")
    long seed;

    @Option(names = "--cameras", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
    int cameras;

    @Option(names = "--days", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
    int days;

    @Option(
        names = "--minutes",
        defaultValue = "1.0",
        description = "Footage per camera and day (default: ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--width", defaultValue = "1280", description = "Default: ${DEFAULT-VALUE}.")
    int width;

    @Option(names = "--height", defaultValue = "720", description = "Default: ${DEFAULT-VALUE}.")
    int height;

    @Override
    List<BenchRow> measure(Consumer<String> progress) throws Exception {
      if (animals.stream().anyMatch(a -> a < 1)
          || visitors.stream().anyMatch(v -> v < 0)
          || night.stream().anyMatch(n -> n < 0 || n > 1)) {
        throw new UsageException(
            "--animals must be positive, --visitors at least 0, --night between 0 and 1");
      }
      if (cameras < 1 || days < 1 || !(minutes > 0)) {
        throw new UsageException("--cameras and --days must be at least 1, --minutes above 0");
      }
      PipelineSettings s = PipelineSettings.from(config.load(List.of()));
      EnvelopeFigures f =
          new EnvelopeFigures(emptyFolder("--work", work), heap, childSettings(config), progress);
      List<EnvelopeFigures.Cell> cells = EnvelopeFigures.grid(animals, night, visitors, seed);
      progress.accept(cells.size() + " cells, seeds " + seed + " to " + (seed + cells.size() - 1));
      EnvelopeFigures.Archive archive =
          new EnvelopeFigures.Archive(cameras, days, minutes, width, height);
      List<java.util.Map<String, Object>> rows =
          f.run(cells, archive, DjlModels.location(s.detectorModel()));
      spec.commandLine().getOut().print(EnvelopeFigures.markdown(rows, archive));
      progress.accept("table in " + work.resolve("envelope.md") + " and envelope.json");
      return List.of();
    }
  }

  @Command(
      name = "settings",
      mixinStandardHelpOptions = true,
      description = {
        "Chooses the settings that act after detection (farmid.track.* and the gallery's",
        "farmid.gallery.threshold-*, infrared-threshold-factor and frame-exclusive*) on",
        "warehouses the whole",
        "pipeline has run through, without",
        "detecting again: for every combination of the --vary values, each case's crops are named",
        "under that threshold rule, tracked and voted as `track` does and scored as `evaluate`",
        "does. Ranks the combinations by the envelope's identity goals (per-crop and",
        "track-voted macro F1, visitors and registered animals unknown, IDF1) met over the",
        "cases, then by their shortfall (how far the rest fall short, summed), and prints the",
        "best --top; --json writes every one.",
        "Choose on archives made for choosing, then report on others (see README, Choosing",
        "settings)."
      })
  static final class Settings extends Figure {
    @Option(
        names = "--case",
        required = true,
        paramLabel = "NAME=WAREHOUSE,GROUND_TRUTH",
        description =
            "A warehouse `run` made (its latest gallery version is used) and the ground truth of"
                + " its archive (a synth folder or MOTChallenge files); repeatable.")
    List<String> cases;

    @Option(
        names = "--vary",
        paramLabel = "KEY=V1,V2,...",
        description =
            "Values to try for one setting, e.g. track.max-misses=2,3,5; repeatable: every"
                + " combination is scored. Without any, the configured settings alone.")
    List<String> vary = new ArrayList<>();

    @Option(
        names = "--top",
        defaultValue = "15",
        description = "Rows printed (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(
        names = "--adapt-weights",
        split = ",",
        paramLabel = "W1,W2,...",
        description =
            "Also score each combination with the gallery's means moved toward the archive's own"
                + " crops: every crop on a track voted for an animal joins that animal's archive"
                + " mean (per light), and each enrolment mean is blended with it at weight W (above"
                + " 0, at most 1); thresholds stay. What `adapt` does in the pipeline"
                + " (farmid.gallery.adapt-weight), here on the warehouse's latest gallery version.")
    List<Double> adaptWeights = new ArrayList<>();

    @Option(
        names = "--adapt-own",
        description =
            "With --adapt-weights, only crops whose own name agrees with their track's vote join.")
    boolean adaptOwn;

    @Option(
        names = "--adapt-max-distance",
        split = ",",
        paramLabel = "R1,R2,...",
        description =
            "With --adapt-weights, also score each weight with only the crops within R times the"
                + " voted animal's threshold of its enrolment mean (in the crop's light) joining"
                + " (R above 0); every crop of a voted track joins in the rows without it.")
    List<Double> adaptMaxDistances = new ArrayList<>();

    @Override
    List<BenchRow> measure(Consumer<String> progress) throws Exception {
      List<SettingsSearch.Adapt> adapts = new ArrayList<>();
      adapts.add(null);
      if (adaptWeights.isEmpty() && !adaptMaxDistances.isEmpty()) {
        throw new UsageException("--adapt-max-distance needs --adapt-weights");
      }
      List<Double> distances = new ArrayList<>();
      distances.add(Double.POSITIVE_INFINITY);
      distances.addAll(adaptMaxDistances);
      for (double w : adaptWeights) {
        for (double r : distances) {
          try {
            adapts.add(new SettingsSearch.Adapt(w, adaptOwn, r));
          } catch (IllegalArgumentException e) {
            throw new UsageException(
                (Double.isInfinite(r) ? "--adapt-weights: " : "--adapt-max-distance: ")
                    + e.getMessage());
          }
        }
      }
      Map<String, List<String>> values = new LinkedHashMap<>();
      for (String v : vary) {
        int eq = v.indexOf('=');
        String key = eq <= 0 ? "" : v.substring(0, eq).trim().replaceFirst("^farmid\\.", "");
        if (!key.startsWith("track.")
            && !key.startsWith("gallery.threshold-")
            && !key.equals("gallery.infrared-threshold-factor")
            && !key.startsWith("gallery.frame-exclusive")) {
          throw new UsageException(
              "--vary '"
                  + v
                  + "': expected KEY=V1,V2,... with a farmid.track.*, farmid.gallery.threshold-*,"
                  + " farmid.gallery.infrared-threshold-factor or farmid.gallery.frame-exclusive*"
                  + " key (the settings that act after detection)");
        }
        values.put(key, List.of(v.substring(eq + 1).split(",")));
      }
      List<List<String>> combos = SettingsSearch.grid(values);
      Map<List<String>, PipelineSettings> settings = new LinkedHashMap<>();
      for (List<String> combo : combos) {
        settings.put(combo, PipelineSettings.from(config.load(combo)));
      }
      PipelineSettings base = PipelineSettings.from(config.load(List.of()));
      SparkSession spark = SparkSessions.getOrCreate("farmid bench settings");
      List<SettingsSearch.Evidence> evidence = new ArrayList<>();
      for (String c : cases) {
        SettingsSearch.Case parsed = parseCase(c);
        SettingsSearch.Evidence e = SettingsSearch.read(spark, parsed, base, progress);
        progress.accept(
            parsed.name()
                + ": "
                + e.crops()
                + " crops read from "
                + parsed.warehouse()
                + "; "
                + e.relabelled(base)
                + " named otherwise than classify stored, under the configured threshold rules and"
                + " frame-exclusive naming");
        evidence.add(e);
      }
      progress.accept(
          combos.size() * adapts.size() + " combinations on " + evidence.size() + " cases");
      List<Map<String, Object>> rows =
          SettingsSearch.search(evidence, combos, adapts, settings::get, progress);
      List<String> names = evidence.stream().map(SettingsSearch.Evidence::name).toList();
      spec.commandLine().getOut().print(SettingsSearch.markdown(rows, names, top));
      if (config.json() != null) {
        new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
            .writeValue(config.json().toFile(), rows);
        progress.accept("every combination in " + config.json());
      }
      return List.of();
    }

    private static SettingsSearch.Case parseCase(String c) throws UsageException {
      int eq = c.indexOf('=');
      int comma = c.indexOf(',', eq + 1);
      if (eq <= 0 || comma < 0) {
        throw new UsageException(
            "--case '" + c + "': expected NAME=WAREHOUSE,GROUND_TRUTH, e.g. c1=wh1,synth1");
      }
      Path wh = Path.of(c.substring(eq + 1, comma));
      Path gt = Path.of(c.substring(comma + 1));
      existingFolder("--case " + c.substring(0, eq) + " (warehouse)", wh);
      existingFolder("--case " + c.substring(0, eq) + " (ground truth)", gt);
      return new SettingsSearch.Case(c.substring(0, eq), wh, gt);
    }
  }

  /** The settings flags of this command, passed on to child JVMs. */
  static List<String> childSettings(ConfigOptions c) {
    List<String> out = new ArrayList<>();
    for (Path f : c.confFiles()) {
      out.add("--conf");
      out.add(f.toAbsolutePath().toString());
    }
    for (String s : c.sets()) {
      out.add("--set");
      out.add(s);
    }
    return out;
  }
}
