package org.farmid.jobs.bench;

import java.util.Locale;

/**
 * One benchmark figure: ours against a reference measured in the same run, as a ratio.
 *
 * @param figure what is measured (and on what)
 * @param ours our figure, in {@code unit}
 * @param reference the reference figure, in {@code unit}
 * @param ratio ours / reference, or the reverse where lower is better (see {@code goal})
 * @param goal the target for the ratio, e.g. {@code ">= 0.9"}
 * @param unit unit of {@code ours} and {@code reference}
 * @param detail how each side was measured
 */
public record BenchRow(
    String figure,
    double ours,
    double reference,
    double ratio,
    String goal,
    String unit,
    String detail) {

  /** A row whose ratio is ours / reference. */
  public static BenchRow of(
      String figure, double ours, double reference, String goal, String unit, String detail) {
    return new BenchRow(figure, ours, reference, ours / reference, goal, unit, detail);
  }

  /**
   * Whether the ratio meets the goal ({@code ">= x"} or {@code "<= x"}); true when there is none.
   */
  public boolean met() {
    if (goal == null || goal.isBlank()) {
      return true;
    }
    String g = goal.trim();
    double x = Double.parseDouble(g.substring(2).trim().replace("x", ""));
    if (g.startsWith(">=")) {
      return ratio >= x;
    }
    if (g.startsWith("<=")) {
      return ratio <= x;
    }
    throw new IllegalArgumentException("goal must start with >= or <=: " + goal);
  }

  /** A number with three significant digits at most, thousands grouped. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    double a = Math.abs(v);
    if (a >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
