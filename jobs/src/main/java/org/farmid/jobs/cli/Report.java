package org.farmid.jobs.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import org.farmid.common.evaluate.OpenSetFigures;
import org.farmid.common.metrics.ClassificationReport;

/** Prints a command's figures as an aligned two-column block. */
public final class Report {
  private Report() {}

  public static void print(PrintWriter out, String title, Map<String, Object> figures) {
    out.println(title);
    for (Map.Entry<String, Object> e : figures.entrySet()) {
      Object v = e.getValue();
      String text =
          v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : String.valueOf(v);
      out.printf("  %-20s %s%n", e.getKey(), text);
    }
    out.flush();
  }

  /** The per-animal identity table of an evaluation, printed above its summary. */
  public static void perAnimal(PrintWriter out, OpenSetFigures figures) {
    out.println("per-animal identity figures (matched detections):");
    out.printf("  %-10s %9s %9s %9s %8s%n", "animal", "precision", "recall", "f1", "support");
    for (ClassificationReport.ClassFigures c : figures.perAnimal()) {
      out.printf(
          Locale.ROOT,
          "  %-10s %9.3f %9.3f %9.3f %8d%n",
          c.label(),
          c.precision(),
          c.recall(),
          c.f1(),
          c.support());
    }
    out.flush();
  }
}
