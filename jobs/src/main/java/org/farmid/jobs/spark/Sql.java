package org.farmid.jobs.spark;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.farmid.common.ingest.Selection;

/** SQL literals built from values the project did not choose (paths, ids): always quoted. */
public final class Sql {
  private Sql() {}

  /** A string literal: single quotes, with quotes and backslashes escaped. */
  public static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** {@code column IN ('a', 'b')}, or a predicate that is false for an empty set. */
  public static String in(String column, Collection<String> values) {
    if (values.isEmpty()) {
      return "false";
    }
    return column
        + " IN ("
        + values.stream().map(Sql::literal).collect(Collectors.joining(", "))
        + ")";
  }

  /**
   * The predicate of a {@link Selection} on a table's {@code camera} and {@code date} columns;
   * {@code true} for everything.
   */
  public static String covering(Selection selection) {
    List<String> parts = new ArrayList<>();
    selection.since().ifPresent(d -> parts.add("date >= DATE " + literal(d.toString())));
    selection.until().ifPresent(d -> parts.add("date <= DATE " + literal(d.toString())));
    if (!selection.cameras().isEmpty()) {
      parts.add(in("camera", new TreeSet<>(selection.cameras())));
    }
    return parts.isEmpty() ? "true" : "(" + String.join(" AND ", parts) + ")";
  }
}
