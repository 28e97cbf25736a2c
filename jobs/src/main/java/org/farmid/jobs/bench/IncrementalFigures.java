package org.farmid.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The incremental-run figures, each side a {@code farmid} process of its own (Spark start-up
 * included): on a generated archive of N days, a first {@code run}; a re-run with nothing new; one
 * more day added; and a from-scratch run over all N + 1 days that the added day's rows are compared
 * with. Then detect's planning (the backlog query and the first batch, on the driver) on a segments
 * table of many rows against one of few, built directly.
 */
public final class IncrementalFigures {
  private final Path work;
  private final String heap;
  private final List<String> settings;
  private final Consumer<String> progress;

  public IncrementalFigures(
      Path work, String heap, List<String> settings, Consumer<String> progress) {
    this.work = work;
    this.heap = heap;
    this.settings = settings;
    this.progress = progress;
  }

  private ChildRun.Result child(String name, String... args)
      throws IOException, InterruptedException {
    return childWithHeap(name, heap, args);
  }

  private ChildRun.Result childWithHeap(String name, String heap, String... args)
      throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(settings);
    ChildRun.Result r =
        ChildRun.run(
            "local[2]",
            heap,
            work.resolve(name + ".log"),
            work.resolve(name + ".json"),
            all.toArray(String[]::new));
    progress.accept(
        String.format(
            Locale.ROOT,
            "%s: %.1f s, peak resident %,d MB",
            name,
            r.seconds(),
            r.peakRssKb() / 1024));
    return r;
  }

  /** The re-run and new-day rows. */
  public List<BenchRow> runs(SparkSession spark, int days, int cameras, double minutes, long seed)
      throws IOException, InterruptedException {
    Path synth = work.resolve("synth");
    child(
        "synth",
        "synth",
        "--out",
        synth.toString(),
        "--days",
        Integer.toString(days + 1),
        "--cameras",
        Integer.toString(cameras),
        "--minutes",
        Double.toString(minutes),
        "--seed",
        Long.toString(seed));
    Path archive = synth.resolve("archive");
    String lastDay = lastDay(archive);
    Path held = work.resolve("held-out-day");
    List<Path[]> moves = new ArrayList<>();
    try (Stream<Path> cams = Files.list(archive)) {
      for (Path cam : cams.sorted().toList()) {
        Path day = cam.resolve(lastDay);
        if (Files.isDirectory(day)) {
          Path to = held.resolve(cam.getFileName().toString()).resolve(lastDay);
          Files.createDirectories(to.getParent());
          Files.move(day, to);
          moves.add(new Path[] {to, day});
        }
      }
    }
    Path wh = work.resolve("warehouse");
    String[] run = runArgs(synth, wh);
    ChildRun.Result first = child("run-first", run);
    ChildRun.Result again = child("run-nothing-new", run);
    long detectionsVersion = lastVersion(spark, wh.resolve("detections"));
    long identitiesVersion = lastVersion(spark, wh.resolve("identities"));
    for (Path[] m : moves) {
      Files.move(m[0], m[1]);
    }
    ChildRun.Result added = child("run-one-new-day", run);
    Path scratch = work.resolve("warehouse-from-scratch");
    child("run-from-scratch", runArgs(synth, scratch));

    long olderChanged =
        changedOlderRows(spark, wh.resolve("detections"), detectionsVersion, lastDay)
            + changedOlderRows(spark, wh.resolve("identities"), identitiesVersion, lastDay);
    long newDiffering =
        differingNewRows(spark, wh.resolve("detections"), scratch.resolve("detections"), lastDay)
            + differingNewRows(
                spark, wh.resolve("identities"), scratch.resolve("identities"), lastDay);
    JsonNode f = first.figures();
    JsonNode a = again.figures();
    JsonNode n = added.figures();
    progress.accept(
        String.format(
            Locale.ROOT,
            "first run: %d segments decoded; nothing new: %d segments, %d frames decoded;"
                + " new day %s: %d segments decoded; older rows changed %d, new rows differing"
                + " from a from-scratch run %d",
            f.get("segments_detected").asLong(),
            a.get("segments_detected").asLong(),
            a.get("frames_decoded").asLong(),
            lastDay,
            n.get("segments_detected").asLong(),
            olderChanged,
            newDiffering));
    List<BenchRow> rows = new ArrayList<>();
    rows.add(
        new BenchRow(
            String.format(Locale.ROOT, "incremental: re-run with nothing new, %d days", days),
            again.seconds(),
            first.seconds(),
            again.seconds() / first.seconds(),
            "<= 0.15",
            "s",
            String.format(
                Locale.ROOT,
                "farmid run (own JVM, Spark start-up included) again on the unchanged archive vs"
                    + " the first run; segments decoded %d of %d, frames decoded %d",
                a.get("segments_detected").asLong(),
                f.get("segments_detected").asLong(),
                a.get("frames_decoded").asLong())));
    rows.add(
        new BenchRow(
            String.format(Locale.ROOT, "incremental: one new day added to %d", days),
            added.seconds(),
            first.seconds(),
            added.seconds() / first.seconds(),
            "<= 0.2",
            "s",
            String.format(
                Locale.ROOT,
                "segments decoded %d (the new day's), %d already detected; older rows of"
                    + " detections and identities changed: %d; new rows differing from a"
                    + " from-scratch run: %d",
                n.get("segments_detected").asLong(),
                n.get("segments_already_detected").asLong(),
                olderChanged,
                newDiffering)));
    return rows;
  }

  private static String[] runArgs(Path synth, Path wh) {
    return new String[] {
      "run",
      "--archive",
      synth.resolve("archive").toString(),
      "--enrol-crops",
      synth.resolve("enrol").toString(),
      "--register",
      synth.resolve("animals.csv").toString(),
      "--warehouse",
      wh.toString()
    };
  }

  /** The last recording day of the archive's camera/day folders. */
  private static String lastDay(Path archive) throws IOException {
    TreeSet<String> days = new TreeSet<>();
    try (Stream<Path> walk = Files.walk(archive, 2)) {
      walk.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .filter(d -> d.matches("\\d{4}-\\d{2}-\\d{2}"))
          .forEach(days::add);
    }
    if (days.size() < 2) {
      throw new IOException("the generated archive " + archive + " has fewer than 2 days");
    }
    return days.last();
  }

  private static long lastVersion(SparkSession spark, Path table) {
    return spark
        .sql("DESCRIBE HISTORY delta.`" + table + "`")
        .selectExpr("max(version)")
        .first()
        .getLong(0);
  }

  /** Rows of the days before {@code day} that differ (either way) from the table at a version. */
  private static long changedOlderRows(SparkSession spark, Path table, long version, String day) {
    Dataset<Row> then =
        spark.read().format("delta").option("versionAsOf", version).load(table.toString());
    Dataset<Row> now =
        spark.read().format("delta").load(table.toString()).where("date < DATE '" + day + "'");
    return then.exceptAll(now).count() + now.exceptAll(then).count();
  }

  /** Rows of {@code day} that differ (either way, run ids aside) between two warehouses' table. */
  private static long differingNewRows(SparkSession spark, Path ours, Path scratch, String day) {
    Dataset<Row> a = newRows(spark, ours, day);
    Dataset<Row> b = newRows(spark, scratch, day);
    return a.exceptAll(b).count() + b.exceptAll(a).count();
  }

  private static Dataset<Row> newRows(SparkSession spark, Path table, String day) {
    return spark
        .read()
        .format("delta")
        .load(table.toString())
        .where("date = DATE '" + day + "'")
        .drop("run_id", "detection_run_id");
  }

  /** The heap of the planning runs: the 1 GB a driver's plan must fit in. */
  static final String PLAN_HEAP = "1g";

  /** The planning rows: detect's driver time and heap on {@code many} against {@code few}. */
  public List<BenchRow> planning(long many, long few) throws IOException, InterruptedException {
    JsonNode small = plan("plan-" + few, few);
    JsonNode large = plan("plan-" + many, many);
    double sMs = small.get("plan_ms").asDouble();
    double lMs = large.get("plan_ms").asDouble();
    double sMb = small.get("plan_heap_mb").asDouble();
    double lMb = large.get("plan_heap_mb").asDouble();
    String detail =
        String.format(
            Locale.ROOT,
            "the backlog query and the first batch of detect over a segments table of %,d rows"
                + " vs %,d (half of each already detected), built directly; linear growth is a"
                + " ratio of %,d at most; goal: under 60 s and 1 GB",
            many,
            few,
            many / few);
    return List.of(
        new BenchRow(
            String.format(Locale.ROOT, "detect planning time, %,d vs %,d segments", many, few),
            lMs,
            sMs,
            lMs / sMs,
            "<= " + (many / few),
            "ms",
            detail),
        new BenchRow(
            String.format(Locale.ROOT, "detect planning heap, %,d vs %,d segments", many, few),
            lMb,
            sMb,
            lMb / sMb,
            "<= " + (many / few),
            "MB",
            "peak heap (the heap pools' peaks, garbage not yet collected included) above the"
                + " heap before planning, same runs, each in a JVM whose heap is capped at "
                + PLAN_HEAP
                + " (driver and executor in one JVM): the plan must fit in it"));
  }

  private JsonNode plan(String name, long segments) throws IOException, InterruptedException {
    return childWithHeap(
            name,
            PLAN_HEAP,
            "bench",
            "detect-plan",
            "--warehouse",
            work.resolve(name).toString(),
            "--segments",
            Long.toString(segments))
        .figures();
  }
}
