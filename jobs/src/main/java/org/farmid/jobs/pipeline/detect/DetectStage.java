package org.farmid.jobs.pipeline.detect;

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
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.farmid.common.config.PipelineSettings;
import org.farmid.jobs.pipeline.runtime.ModelProvider;
import org.farmid.jobs.spark.FaultSwitch;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Sql;
import org.farmid.jobs.spark.StageProgress;
import org.farmid.jobs.spark.StageTimers;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;

/**
 * {@code detect}: one Spark task per segment of {@code segments}; replaces the rows of every
 * segment that succeeded in {@code detections} and {@code frames} in one commit each, and records
 * failed segments in {@code rejected_inputs} while keeping their earlier rows.
 */
public final class DetectStage {
  private DetectStage() {}

  /** What detect did. */
  public record Outcome(
      int segments,
      int failed,
      long framesDecoded,
      long framesSampled,
      long detections,
      Map<String, Long> timings) {
    /** The figures the command reports, by their JSON names. */
    public Map<String, Object> report() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("segments", segments());
      f.put("segments_failed", failed());
      f.put("frames_decoded", framesDecoded());
      f.put("frames_sampled", framesSampled());
      f.put("detections", detections());
      f.put("detect_timings", timings());
      return f;
    }
  }

  public static Outcome run(
      Warehouse wh, ModelProvider models, PipelineSettings s, RunContext run) {
    var spark = wh.spark();
    List<SegmentTask> tasks =
        wh.read(Tables.SEGMENTS).orderBy("segment_id").collectAsList().stream()
            .map(SegmentTask::of)
            .toList();
    if (tasks.isEmpty()) {
      throw new IllegalStateException(
          "table segments in " + wh.root() + " is empty: run `farmid ingest` first");
    }
    run.detectorId(models.detectorId());
    run.embedderId(models.embedderId());
    run.progress(
        String.format(
            Locale.ROOT,
            "detect: %d segments, sampling %s, detector %s, embedder %s",
            tasks.size(),
            s.sampleFps() > 0 ? s.sampleFps() + " frames/s" : "every frame",
            run.detectorId(),
            run.embedderId()));
    StageTimers timers = StageTimers.register(spark, "detect", DetectSegments.TIMERS);
    long started = System.nanoTime();
    JavaRDD<SegmentResult> results = compute(spark, tasks, models, s, run, timers);
    long computed = System.nanoTime();
    try {
      List<SegmentResult> failed = results.filter(r -> !r.ok()).collect();
      Set<String> failedIds = new LinkedHashSet<>();
      failed.forEach(f -> failedIds.add(f.segment().segmentId()));
      List<String> okIds =
          tasks.stream().map(SegmentTask::segmentId).filter(id -> !failedIds.contains(id)).toList();
      Set<String> archives = new LinkedHashSet<>();
      tasks.forEach(t -> archives.add(t.archive()));
      long[] written = write(wh, results, okIds, run.runId());
      long decoded = results.map(SegmentResult::decoded).reduce(Long::sum);
      wh.replace(
          Tables.REJECTED_INPUTS,
          spark.createDataFrame(rejections(failed, run), Tables.REJECTED_INPUTS.schema()),
          "stage = 'detect' AND " + Sql.in("archive", archives),
          run.runId());
      spark.sparkContext().setJobDescription(null);
      // wall clock of the tasks' job and of the commits after it; the rest is task time per step
      Map<String, Long> timings = new LinkedHashMap<>();
      timings.put("tasks_wall_ms", Math.round((computed - started) / 1e6));
      timings.put("write_wall_ms", Math.round((System.nanoTime() - computed) / 1e6));
      timings.putAll(timers.values());
      run.count("segments", tasks.size());
      run.count("segments_failed", failed.size());
      run.count("frames_decoded", decoded);
      run.count("frames_sampled", written[1]);
      run.count("detections", written[0]);
      timings.forEach((k, v) -> run.count(k, v));
      return new Outcome(tasks.size(), failed.size(), decoded, written[1], written[0], timings);
    } finally {
      results.unpersist(false);
    }
  }

  /** Decodes, detects and embeds every segment, one task each; the results stay persisted. */
  private static JavaRDD<SegmentResult> compute(
      SparkSession spark,
      List<SegmentTask> tasks,
      ModelProvider models,
      PipelineSettings s,
      RunContext run,
      StageTimers timers) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    try (StageProgress p =
        StageProgress.start(
            spark,
            "detect",
            "decode, detect and embed " + tasks.size() + " segments",
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
    wh.replace(Tables.DETECTIONS, det, Sql.in("segment_id", okIds), runId);
    var frames =
        spark.createDataFrame(results.flatMap(r -> r.frames().iterator()), Tables.FRAMES.schema());
    wh.replace(Tables.FRAMES, frames, Sql.in("segment_id", okIds), runId);
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
