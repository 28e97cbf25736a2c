package org.farmid.jobs.spark;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * Progress of a stage: logs "done / total" and the rate of a counted quantity at most every few
 * seconds, and names the Spark jobs after the stage so the UI reads well. Units are either tasks
 * (one task per unit of work: a segment, a batch of crops; {@link #start}) or the counted quantity
 * itself, where one task works through several units (files probed by ingest; {@link
 * #startCounted}).
 */
public final class StageProgress extends SparkListener implements AutoCloseable {
  private static final long EVERY_NANOS = 5_000_000_000L;

  private final SparkSession spark;
  private final String stage;
  private final String unit;
  private final int total;
  private final LongAccumulator counted;
  private final String countedUnit;
  private final Consumer<String> out;
  private final boolean unitsCounted;
  private final AtomicInteger done = new AtomicInteger();
  private final java.util.Set<Integer> stages = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final long start = System.nanoTime();
  private volatile long lastPrint = System.nanoTime();

  private StageProgress(
      SparkSession spark,
      String stage,
      String unit,
      int total,
      String countedUnit,
      boolean unitsCounted,
      Consumer<String> out) {
    this.spark = spark;
    this.unitsCounted = unitsCounted;
    this.stage = stage;
    this.unit = unit;
    this.total = total;
    this.countedUnit = countedUnit;
    this.out = out;
    this.counted = spark.sparkContext().longAccumulator(stage + " " + countedUnit);
  }

  /** Starts reporting; the accumulator is what tasks add their counted quantity to. */
  public static StageProgress start(
      SparkSession spark,
      String stage,
      String description,
      String unit,
      int total,
      String countedUnit,
      Consumer<String> out) {
    return begin(
        new StageProgress(spark, stage, unit, total, countedUnit, false, out), description);
  }

  /**
   * Starts reporting a stage whose tasks each work through several units and add one to the
   * accumulator per unit done: the units done are the accumulator's value (as Spark has it at each
   * task's end), so the last line reads "total/total" however the units were split into tasks.
   */
  public static StageProgress startCounted(
      SparkSession spark,
      String stage,
      String description,
      String unit,
      int total,
      Consumer<String> out) {
    return begin(new StageProgress(spark, stage, unit, total, unit, true, out), description);
  }

  private static StageProgress begin(StageProgress p, String description) {
    p.spark.sparkContext().setJobDescription(p.stage + ": " + description);
    p.spark.sparkContext().addSparkListener(p);
    return p;
  }

  public LongAccumulator counter() {
    return counted;
  }

  /** The name to give the RDD whose tasks are the units counted. */
  public String rddName() {
    return stage + " units";
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
    var infos = submitted.stageInfo().rddInfos();
    for (int i = 0; i < infos.size(); i++) {
      if (rddName().equals(infos.apply(i).name())) {
        stages.add(submitted.stageInfo().stageId());
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    if (!stages.contains(taskEnd.stageId())
        || !"Success".equals(String.valueOf(taskEnd.reason()))
        || done.get() >= total) {
      return;
    }
    int n =
        unitsCounted
            ? done.updateAndGet(d -> (int) Math.max(d, Math.min(total, counted.value())))
            : done.incrementAndGet();
    long now = System.nanoTime();
    if (now - lastPrint >= EVERY_NANOS || n == total) {
      lastPrint = now;
      out.accept(line(Math.min(n, total)));
    }
  }

  private String line(int n) {
    double seconds = (System.nanoTime() - start) / 1e9;
    return unitsCounted
        ? line(stage, n, total, unit, seconds)
        : line(stage, n, total, unit, counted.value(), countedUnit, seconds);
  }

  /** "ingest: 12/40 files, 3.0 files/s, ETA 0:09": units that are the counted quantity. */
  static String line(String stage, int n, int total, String unit, double seconds) {
    return format(stage, n, total, unit, "", n, unit, seconds);
  }

  /**
   * "detect: 3/8 segments, 180 frames, 29.0 frames/s, ETA 0:12": the remaining units at the pace of
   * those done so far; no ETA before the first unit or after the last.
   */
  static String line(
      String stage,
      int n,
      int total,
      String unit,
      long counted,
      String countedUnit,
      double seconds) {
    return format(
        stage, n, total, unit, ", " + counted + " " + countedUnit, counted, countedUnit, seconds);
  }

  private static String format(
      String stage,
      int n,
      int total,
      String unit,
      String countedPart,
      long counted,
      String countedUnit,
      double seconds) {
    String eta = "";
    if (n > 0 && n < total) {
      long left = Math.round(seconds / n * (total - n));
      eta = String.format(Locale.ROOT, ", ETA %d:%02d", left / 60, left % 60);
    }
    return String.format(
        Locale.ROOT,
        "%s: %d/%d %s%s, %.1f %s/s%s",
        stage,
        n,
        total,
        unit,
        countedPart,
        seconds > 0 ? counted / seconds : 0.0,
        countedUnit,
        eta);
  }

  /**
   * After the action whose units are counted has returned: waits, up to {@code AWAIT_NANOS}, until
   * Spark's listener bus has delivered every task's end (and with it, for {@link #startCounted},
   * the accumulator's last value), so the last line ("3/3 segments", "40/40 files") is printed
   * before the stage goes on instead of racing its close.
   */
  public void awaitReported() {
    long deadline = System.nanoTime() + AWAIT_NANOS;
    while (done.get() < total && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  static final long AWAIT_NANOS = 3_000_000_000L;

  /** The counted quantity's rate over the whole stage. */
  public double rate() {
    double seconds = (System.nanoTime() - start) / 1e9;
    return seconds > 0 ? counted.value() / seconds : 0;
  }

  @Override
  public void close() {
    spark.sparkContext().removeSparkListener(this);
    spark.sparkContext().setJobDescription(null);
  }
}
