package org.farmid.jobs.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;

/**
 * For tests of fault tolerance only: makes the tasks holding chosen units of work (segment ids)
 * fail their first attempt, so that Spark's retry can be shown to give the output of an undisturbed
 * run. Off unless the Spark setting {@value #KEY} lists units (comma-separated); never set it in
 * production.
 */
public final class FaultSwitch implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The setting naming the units whose first task attempt fails. */
  public static final String KEY = "spark.farmid.test.failFirstAttempt";

  private static final AtomicInteger INJECTED = new AtomicInteger();

  private final Set<String> units;

  private FaultSwitch(Set<String> units) {
    this.units = units;
  }

  /** Reads {@value #KEY} from the session's settings (empty: off). */
  public static FaultSwitch from(SparkSession spark) {
    String v = spark.conf().get(KEY, "");
    return new FaultSwitch(
        Arrays.stream(v.split(","))
            .map(String::strip)
            .filter(x -> !x.isEmpty())
            .collect(Collectors.toUnmodifiableSet()));
  }

  /** Off. */
  public static FaultSwitch off() {
    return new FaultSwitch(Set.of());
  }

  /** Throws when {@code unit} is listed and this is its task's first attempt. */
  public void check(String unit) {
    if (units.isEmpty() || !units.contains(unit)) {
      return;
    }
    TaskContext ctx = TaskContext.get();
    if (ctx != null && ctx.attemptNumber() == 0) {
      INJECTED.incrementAndGet();
      throw new IllegalStateException(
          "injected failure of " + unit + " on its first attempt (" + KEY + ")");
    }
  }

  /** Failures injected in this JVM so far (local mode: the tests' own count). */
  public static int injected() {
    return INJECTED.get();
  }
}
