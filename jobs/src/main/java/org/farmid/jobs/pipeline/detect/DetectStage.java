package org.farmid.jobs.pipeline.detect;

import static org.apache.spark.sql.functions.col;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.ingest.Selection;
import org.farmid.jobs.pipeline.runtime.ModelProvider;
import org.farmid.jobs.spark.FaultSwitch;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Sql;
import org.farmid.jobs.spark.StageProgress;
import org.farmid.jobs.spark.StageTimers;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;

/**
 * {@code detect}: one Spark task per segment of {@code segments} not yet detected under the current
 * models and detection settings (their fingerprint, stored per segment in {@code
 * detected_segments}), worked through in batches of {@code pipeline.batch-segments}. Each batch
 * replaces its segments' rows in {@code detections} and {@code frames}, then records them in {@code
 * detected_segments}: a run killed mid-way loses at most the batch in flight, and the next run
 * starts where it stopped. Failed segments are recorded in {@code rejected_inputs} (their earlier
 * rows kept) and not tried again until their file changes or {@code --reprocess} is given.
 */
public final class DetectStage {
  private DetectStage() {}

  /** {@code detected_segments.status} of a segment whose rows are written. */
  public static final String DONE = "done";

  /** {@code detected_segments.status} of a segment that failed. */
  public static final String FAILED = "failed";

  /** What detect did. */
  public record Outcome(
      int segments,
      int failed,
      long framesDecoded,
      long framesSampled,
      long detections,
      long alreadyDetected,
      int batches,
      Map<String, Long> timings) {
    /** The figures the command reports, by their JSON names. */
    public Map<String, Object> report() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("segments_detected", segments());
      f.put("segments_failed", failed());
      f.put("segments_already_detected", alreadyDetected());
      f.put("detect_batches", batches());
      f.put("frames_decoded", framesDecoded());
      f.put("frames_sampled", framesSampled());
      f.put("detections", detections());
      f.put("detect_timings", timings());
      return f;
    }
  }

  /** The backlog of one run: what is selected and what of it is still to detect. */
  public record Plan(long selected, long todo, long failedBefore, Dataset<Row> todoRows) {}

  /** Every segment not yet detected. */
  public static Outcome run(
      Warehouse wh, ModelProvider models, PipelineSettings s, RunContext run) {
    return run(wh, models, s, Selection.all(), false, run);
  }

  /**
   * The segments of the selection still to detect under these models and settings (all of them with
   * {@code reprocess}), without decoding anything.
   */
  public static Plan plan(
      Warehouse wh, String fingerprint, Selection selection, boolean reprocess) {
    Dataset<Row> selected = wh.readOrEmpty(Tables.SEGMENTS).where(Sql.covering(selection));
    Dataset<Row> stored =
        wh.readOrEmpty(Tables.DETECTED_SEGMENTS)
            .where(col("fingerprint").equalTo(fingerprint))
            .select(col("segment_id").as("d_segment_id"), col("segment_run_id"), col("status"));
    Dataset<Row> joined =
        selected.join(
            stored,
            selected
                .col("segment_id")
                .equalTo(stored.col("d_segment_id"))
                .and(selected.col("run_id").equalTo(stored.col("segment_run_id"))),
            "left");
    Row counts =
        joined
            .selectExpr(
                "count(1)",
                "count_if(d_segment_id IS NULL)",
                "count_if(status = " + Sql.literal(FAILED) + ")")
            .first();
    Dataset<Row> todo =
        reprocess ? selected : joined.where(col("d_segment_id").isNull()).select(selected.col("*"));
    long todoCount = reprocess ? counts.getLong(0) : counts.getLong(1);
    return new Plan(counts.getLong(0), todoCount, counts.getLong(2), todo);
  }

  /**
   * @param selection the segments covered (by recording day and camera)
   * @param reprocess detect every covered segment again, done or failed before
   */
  public static Outcome run(
      Warehouse wh,
      ModelProvider models,
      PipelineSettings s,
      Selection selection,
      boolean reprocess,
      RunContext run) {
    var spark = wh.spark();
    if (wh.read(Tables.SEGMENTS).isEmpty()) {
      throw new IllegalStateException(
          "table segments in " + wh.root() + " is empty: run `farmid ingest` first");
    }
    run.detectorId(models.detectorId());
    run.embedderId(models.embedderId());
    String fingerprint = s.detectFingerprint(models.detectorId(), models.embedderId());
    spark.sparkContext().setJobDescription("detect: plan the backlog");
    Plan plan = plan(wh, fingerprint, selection, reprocess);
    int batchSize = s.batchSegments();
    int batches = (int) ((plan.todo() + batchSize - 1) / batchSize);
    run.progress(
        String.format(
            Locale.ROOT,
            "detect: %d segments to detect of %d selected (%s)%s, in %d batches of up to %d;"
                + " sampling %s, detector %s, embedder %s",
            plan.todo(),
            plan.selected(),
            selection.describe(),
            reprocess
                ? ", all again (--reprocess)"
                : plan.failedBefore() > 0
                    ? ", " + plan.failedBefore() + " failed before and not retried (--reprocess)"
                    : "",
            batches,
            batchSize,
            s.sampleFps() > 0 ? s.sampleFps() + " frames/s" : "every frame",
            run.detectorId(),
            run.embedderId()));
    StageTimers timers = StageTimers.register(spark, "detect", DetectSegments.TIMERS);
    Dataset<Row> todo = plan.todoRows().select("*").persist(StorageLevel.MEMORY_AND_DISK());
    long[] totals = new long[4]; // decoded, sampled, detections, failed
    long tasksNanos = 0;
    long writeNanos = 0;
    long started = System.nanoTime();
    int done = 0;
    String after = null;
    try {
      for (int batch = 1; batch <= batches; batch++) {
        spark.sparkContext().setJobDescription("detect: batch " + batch + " of " + batches);
        List<SegmentTask> tasks = nextBatch(todo, after, batchSize);
        if (tasks.isEmpty()) {
          break;
        }
        after = tasks.get(tasks.size() - 1).segmentId();
        long t0 = System.nanoTime();
        JavaRDD<SegmentResult> results =
            compute(spark, tasks, models, s, run, timers, batch, batches);
        long t1 = System.nanoTime();
        try {
          long[] b = commit(wh, results, tasks, fingerprint, run);
          for (int i = 0; i < totals.length; i++) {
            totals[i] += b[i];
          }
        } finally {
          results.unpersist(false);
        }
        long t2 = System.nanoTime();
        tasksNanos += t1 - t0;
        writeNanos += t2 - t1;
        done += tasks.size();
        run.progress(progressLine(batch, batches, done, plan.todo(), totals[3], started));
      }
    } finally {
      todo.unpersist(false);
      spark.sparkContext().setJobDescription(null);
    }
    // wall clock of the tasks' jobs and of the commits after them; the rest is task time per step
    Map<String, Long> timings = new LinkedHashMap<>();
    timings.put("tasks_wall_ms", Math.round(tasksNanos / 1e6));
    timings.put("write_wall_ms", Math.round(writeNanos / 1e6));
    timings.putAll(timers.values());
    run.count("segments", done);
    run.count("segments_failed", totals[3]);
    run.count("segments_already_detected", plan.selected() - plan.todo());
    run.count("frames_decoded", totals[0]);
    run.count("frames_sampled", totals[1]);
    run.count("detections", totals[2]);
    timings.forEach((k, v) -> run.count(k, v));
    return new Outcome(
        done,
        (int) totals[3],
        totals[0],
        totals[1],
        totals[2],
        plan.selected() - plan.todo(),
        batches,
        timings);
  }

  /**
   * The next batch of the backlog: up to {@code size} segments after {@code after} (null: from the
   * start) in segment id order. Only the batch reaches the driver, however long the backlog.
   */
  public static List<SegmentTask> nextBatch(Dataset<Row> todo, String after, int size) {
    Dataset<Row> next = after == null ? todo : todo.where(col("segment_id").gt(after));
    return next.orderBy("segment_id").limit(size).collectAsList().stream()
        .map(SegmentTask::of)
        .toList();
  }

  private static String progressLine(
      int batch, int batches, int done, long todo, long failed, long started) {
    double elapsed = (System.nanoTime() - started) / 1e9;
    double eta = done == 0 ? 0 : elapsed * (todo - done) / done;
    return String.format(
        Locale.ROOT,
        "detect: batch %d/%d committed, %d/%d segments of the backlog (%.0f%%), %d failed,"
            + " %.0f s elapsed, ETA %.0f s",
        batch,
        batches,
        done,
        todo,
        todo == 0 ? 100.0 : 100.0 * done / todo,
        failed,
        elapsed,
        eta);
  }

  /**
   * Commits one batch: its segments' {@code detections} and {@code frames} (those that succeeded),
   * their {@code rejected_inputs} rows, then their {@code detected_segments} rows, last, so that a
   * batch is only ever recorded as detected once all of its rows are in. Returns {frames decoded,
   * frames sampled, detections, segments failed}.
   */
  private static long[] commit(
      Warehouse wh,
      JavaRDD<SegmentResult> results,
      List<SegmentTask> tasks,
      String fingerprint,
      RunContext run) {
    var spark = wh.spark();
    List<SegmentResult> failed = results.filter(r -> !r.ok()).collect();
    Set<String> failedIds = new LinkedHashSet<>();
    failed.forEach(f -> failedIds.add(f.segment().segmentId()));
    List<String> okIds =
        tasks.stream().map(SegmentTask::segmentId).filter(id -> !failedIds.contains(id)).toList();
    long[] written = write(wh, results, okIds, run.runId());
    wh.replace(
        Tables.REJECTED_INPUTS,
        spark.createDataFrame(rejections(failed, run), Tables.REJECTED_INPUTS.schema()),
        "stage = 'detect' AND (" + rejectionKeys(tasks) + ")",
        run.runId());
    Timestamp now = Timestamp.from(Instant.now());
    String runId = run.runId();
    List<Row> marks =
        results
            .map(
                r ->
                    Tables.DETECTED_SEGMENTS
                        .row()
                        .set("segment_id", r.segment().segmentId())
                        .set("video_id", r.segment().videoId())
                        .set("path", r.segment().path())
                        .set("camera", r.segment().camera())
                        .set("date", r.segment().date())
                        .set("fingerprint", fingerprint)
                        .set("segment_run_id", r.segment().segmentRunId())
                        .set("status", r.ok() ? DONE : FAILED)
                        .set("frames_decoded", r.decoded())
                        .set("frames_sampled", (long) r.frames().size())
                        .set("detections", (long) r.detections().size())
                        .set("detected_at", now)
                        .set("run_id", runId)
                        .build())
            .collect();
    wh.replace(
        Tables.DETECTED_SEGMENTS,
        spark.createDataFrame(marks, Tables.DETECTED_SEGMENTS.schema()),
        Sql.in("segment_id", tasks.stream().map(SegmentTask::segmentId).toList()),
        run.runId());
    long decoded = results.map(SegmentResult::decoded).reduce(Long::sum);
    return new long[] {decoded, written[1], written[0], failed.size()};
  }

  /** The {@code rejected_inputs} rows of a batch's segments: by file and segment number. */
  private static String rejectionKeys(List<SegmentTask> tasks) {
    return tasks.stream()
        .map(
            t ->
                "(path = "
                    + Sql.literal(t.path())
                    + " AND reason LIKE "
                    + Sql.literal("segment " + segmentIndex(t.segmentId()) + " [%")
                    + ")")
        .collect(java.util.stream.Collectors.joining(" OR "));
  }

  /** Decodes, detects and embeds a batch's segments, one task each; the results stay persisted. */
  private static JavaRDD<SegmentResult> compute(
      SparkSession spark,
      List<SegmentTask> tasks,
      ModelProvider models,
      PipelineSettings s,
      RunContext run,
      StageTimers timers,
      int batch,
      int batches) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    try (StageProgress p =
        StageProgress.start(
            spark,
            "detect",
            "decode, detect and embed "
                + tasks.size()
                + " segments (batch "
                + batch
                + "/"
                + batches
                + ")",
            "segments",
            tasks.size(),
            "frames",
            run::progress)) {
      JavaRDD<SegmentResult> results =
          jsc.parallelize(tasks, tasks.size())
              .setName(p.rddName())
              .mapPartitions(
                  new DetectSegments(
                      models, s, run.runId(), p.counter(), FaultSwitch.from(spark), timers))
              .persist(StorageLevel.MEMORY_AND_DISK());
      results.count();
      p.awaitReported();
      return results;
    }
  }

  /**
   * Replaces the rows of {@code detections} and {@code frames} of the segments that succeeded;
   * returns {detections, frames sampled}.
   */
  private static long[] write(
      Warehouse wh, JavaRDD<SegmentResult> results, List<String> okIds, String runId) {
    if (okIds.isEmpty()) {
      return new long[2];
    }
    var spark = wh.spark();
    spark.sparkContext().setJobDescription("detect: write detections and frames");
    var det =
        spark.createDataFrame(
            results.flatMap(r -> r.detections().iterator()), Tables.DETECTIONS.schema());
    String where = Sql.in("segment_id", okIds);
    wh.replace(Tables.DETECTIONS, det, where, runId);
    var frames =
        spark.createDataFrame(results.flatMap(r -> r.frames().iterator()), Tables.FRAMES.schema());
    wh.replace(Tables.FRAMES, frames, where, runId);
    return new long[] {
      results.map(r -> (long) r.detections().size()).reduce(Long::sum),
      results.map(r -> (long) r.frames().size()).reduce(Long::sum)
    };
  }

  /** A {@code rejected_inputs} row for each segment that failed, each also reported. */
  private static List<Row> rejections(List<SegmentResult> failed, RunContext run) {
    List<Row> rejected = new ArrayList<>();
    Timestamp now = Timestamp.from(Instant.now());
    for (SegmentResult f : failed) {
      SegmentTask t = f.segment();
      String reason =
          String.format(
              Locale.ROOT,
              "segment %d [%.1f s, %s): %s",
              segmentIndex(t.segmentId()),
              t.startMicros() / 1e6,
              t.toEnd() ? "end" : String.format(Locale.ROOT, "%.1f s", t.endMicros() / 1e6),
              f.error());
      rejected.add(Tables.rejection(t.path(), t.archive(), "detect", reason, run.runId(), now));
      run.progress("detect: rejected " + t.path() + " " + reason);
    }
    return rejected;
  }

  private static int segmentIndex(String segmentId) {
    return Integer.parseInt(segmentId.substring(segmentId.lastIndexOf('#') + 1));
  }
}
