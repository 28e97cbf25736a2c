package org.farmid.jobs.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The TensorFlow Projector's two files: {@code vectors.tsv} (one embedding per line, tab-separated)
 * and {@code metadata.tsv} (a header, then one line per vector), loadable at
 * projector.tensorflow.org with "Load".
 */
public final class ProjectorExport {
  private ProjectorExport() {}

  /** One exported point: its vector and its metadata columns. */
  public record Point(float[] vector, List<String> metadata) {}

  /** Writes both files into {@code dir}; tabs and line breaks inside metadata become spaces. */
  public static void write(Path dir, List<String> header, List<Point> points) throws IOException {
    Files.createDirectories(dir);
    try (BufferedWriter v =
            Files.newBufferedWriter(dir.resolve("vectors.tsv"), StandardCharsets.UTF_8);
        BufferedWriter m =
            Files.newBufferedWriter(dir.resolve("metadata.tsv"), StandardCharsets.UTF_8)) {
      m.write(String.join("\t", header.stream().map(ProjectorExport::clean).toList()));
      m.write('\n');
      for (Point p : points) {
        if (p.metadata().size() != header.size()) {
          throw new IllegalArgumentException(
              "metadata " + p.metadata() + " does not match the header " + header);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < p.vector().length; i++) {
          if (i > 0) {
            sb.append('\t');
          }
          sb.append(p.vector()[i]);
        }
        v.write(sb.append('\n').toString());
        m.write(String.join("\t", p.metadata().stream().map(ProjectorExport::clean).toList()));
        m.write('\n');
      }
    }
  }

  private static String clean(String s) {
    return s == null ? "" : s.replaceAll("[\\t\\r\\n]", " ");
  }
}
