package org.farmid.jobs.cli;

import java.io.PrintWriter;
import java.util.Map;

/** Prints a command's figures as an aligned two-column block. */
final class Report {
  private Report() {}

  static void print(PrintWriter out, String title, Map<String, Object> figures) {
    out.println(title);
    for (Map.Entry<String, Object> e : figures.entrySet()) {
      Object v = e.getValue();
      String text =
          v instanceof Double d
              ? String.format(java.util.Locale.ROOT, "%.4f", d)
              : String.valueOf(v);
      out.printf("  %-20s %s%n", e.getKey(), text);
    }
    out.flush();
  }
}
