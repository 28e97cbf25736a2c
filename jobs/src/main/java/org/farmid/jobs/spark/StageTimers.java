package org.farmid.jobs.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * Where a stage's task time goes: named accumulators that tasks add nanoseconds (or counts) to,
 * summed over every task on every executor. Read on the driver once the stage's job has run; they
 * tell an operator which step bounds the throughput (decode, detection, embedding, ...).
 */
public final class StageTimers implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<String, LongAccumulator> accumulators = new LinkedHashMap<>();
  private final boolean on;

  private StageTimers(boolean on) {
    this.on = on;
  }

  /** Timers that record nothing (functions used outside a Spark job). */
  public static StageTimers off() {
    return new StageTimers(false);
  }

  /** Registers one accumulator per name, shown in the Spark UI as {@code stage.name}. */
  public static StageTimers register(SparkSession spark, String stage, String... names) {
    StageTimers t = new StageTimers(true);
    for (String n : names) {
      t.accumulators.put(n, spark.sparkContext().longAccumulator(stage + "." + n));
    }
    return t;
  }

  /** Adds to one accumulator; an unknown name is a programming error. */
  public void add(String name, long value) {
    if (!on) {
      return;
    }
    LongAccumulator a = accumulators.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no timer " + name + " in " + accumulators.keySet());
    }
    a.add(value);
  }

  /** Adds the nanoseconds elapsed since {@code startNanos} and returns the current time. */
  public long lap(String name, long startNanos) {
    long now = System.nanoTime();
    add(name, now - startNanos);
    return now;
  }

  /**
   * Every accumulator's value, those named {@code *_ns} converted to milliseconds ({@code *_ms}).
   */
  public Map<String, Long> values() {
    Map<String, Long> out = new LinkedHashMap<>();
    accumulators.forEach(
        (n, a) -> {
          if (n.endsWith("_ns")) {
            out.put(n.substring(0, n.length() - 3) + "_ms", Math.round(a.value() / 1e6));
          } else {
            out.put(n, a.value());
          }
        });
    return out;
  }
}
