package org.farmid.jobs.spark;

import java.util.Collection;
import java.util.stream.Collectors;

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
}
