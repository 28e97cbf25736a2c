package org.farmid.jobs.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Benchmark rows as a printed table and as JSON (a list of {@link BenchRow}). */
public final class BenchTable {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private BenchTable() {}

  public static void write(Path file, List<BenchRow> rows) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".partial");
    JSON.writeValue(tmp.toFile(), rows);
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  public static List<BenchRow> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("benchmark figures " + file + " do not exist");
    }
    return JSON.readValue(file.toFile(), new TypeReference<List<BenchRow>>() {});
  }

  /** Rows of several files, in order. */
  public static List<BenchRow> readAll(List<Path> files) throws IOException {
    List<BenchRow> all = new ArrayList<>();
    for (Path f : files) {
      all.addAll(read(f));
    }
    return all;
  }

  /** Prints an aligned table: figure, ours, reference, unit, ratio, goal, met. */
  public static void print(PrintWriter out, List<BenchRow> rows) {
    String[] head = {"figure", "ours", "reference", "unit", "ratio", "goal", ""};
    List<String[]> cells = new ArrayList<>();
    cells.add(head);
    for (BenchRow r : rows) {
      cells.add(
          new String[] {
            r.figure(),
            BenchRow.number(r.ours()),
            BenchRow.number(r.reference()),
            r.unit(),
            BenchRow.number(r.ratio()),
            r.goal() == null ? "" : r.goal(),
            r.goal() == null || r.goal().isBlank() ? "" : (r.met() ? "met" : "NOT MET")
          });
    }
    int[] width = new int[head.length];
    for (String[] c : cells) {
      for (int i = 0; i < c.length; i++) {
        width[i] = Math.max(width[i], c[i].length());
      }
    }
    for (String[] c : cells) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < c.length; i++) {
        boolean numeric = i == 1 || i == 2 || i == 4;
        String cell = numeric ? pad(c[i], width[i], true) : pad(c[i], width[i], false);
        line.append(i == 0 ? "" : "  ").append(cell);
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }

  private static String pad(String s, int w, boolean right) {
    String fill = " ".repeat(Math.max(0, w - s.length()));
    return right ? fill + s : s + fill;
  }
}
