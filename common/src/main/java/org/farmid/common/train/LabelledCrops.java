package org.farmid.common.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Labelled crops on disk: either folders ({@code <root>/<identity>/*.jpg|png}) or a CSV with the
 * header {@code path,identity,split} whose paths are relative to a root folder.
 */
public final class LabelledCrops {

  /** One crop. {@code split} is {@code train}, {@code val}, or empty for folder listings. */
  public record Crop(Path path, String identity, String split) {}

  private LabelledCrops() {}

  /** Every image below {@code root}, labelled by its folder name, in a stable order. */
  public static List<Crop> fromFolders(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IOException("crop folder " + root + " does not exist or is not a folder");
    }
    List<Crop> crops = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : files.filter(LabelledCrops::isImage).sorted().toList()) {
            crops.add(new Crop(f, dir.getFileName().toString(), ""));
          }
        }
      }
    }
    if (crops.isEmpty()) {
      throw new IOException("no .jpg or .png crops in folders below " + root);
    }
    return crops;
  }

  /** The rows of a {@code path,identity,split} CSV, paths resolved against {@code root}. */
  public static List<Crop> fromCsv(Path csv, Path root) throws IOException {
    if (!Files.isRegularFile(csv)) {
      throw new IOException("split file " + csv + " does not exist");
    }
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).trim().equals("path,identity,split")) {
      throw new IOException(csv + ": expected the header 'path,identity,split'");
    }
    List<Crop> crops = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split(",");
      if (f.length != 3) {
        throw new IOException(csv + " line " + (i + 1) + ": expected 3 fields, got: " + line);
      }
      crops.add(new Crop(root.resolve(f[0]), f[1], f[2]));
    }
    return crops;
  }

  public static List<Crop> split(List<Crop> crops, String split) {
    return crops.stream().filter(c -> c.split().equals(split)).toList();
  }

  private static boolean isImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
  }
}
