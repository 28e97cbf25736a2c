package org.farmid.common.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * A notebook in Databricks SQL source format: the first line {@code -- Databricks notebook source},
 * cells separated by {@code -- COMMAND ----------}, markdown cells as {@code -- MAGIC} lines. Each
 * SQL cell holds one statement; comments and markdown are dropped.
 */
public final class SqlNotebook {
  public static final String HEADER = "-- Databricks notebook source";
  public static final String SEPARATOR = "-- COMMAND ----------";

  private SqlNotebook() {}

  /** One cell: its 1-based position in the file and its statement. */
  public record Cell(int number, String sql) {}

  /** The notebook's SQL cells, in order; cells holding only comments or markdown are skipped. */
  public static List<Cell> parse(String text) {
    String[] lines = text.replace("\r\n", "\n").split("\n", -1);
    if (lines.length == 0 || !lines[0].trim().equals(HEADER)) {
      throw new IllegalArgumentException("not a notebook: the first line must be '" + HEADER + "'");
    }
    List<Cell> cells = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int number = 1;
    for (int i = 1; i <= lines.length; i++) {
      String line = i < lines.length ? lines[i] : SEPARATOR;
      if (line.trim().equals(SEPARATOR)) {
        String sql = current.toString().strip();
        while (sql.endsWith(";")) {
          sql = sql.substring(0, sql.length() - 1).strip();
        }
        if (!sql.isEmpty()) {
          cells.add(new Cell(number, sql));
        }
        current.setLength(0);
        number++;
        continue;
      }
      String t = line.trim();
      if (t.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
    }
    return cells;
  }
}
