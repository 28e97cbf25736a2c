package org.farmid.common.gallery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The farm's list of registered animals and the days each is in the herd, from a CSV with a header
 * holding at least {@code id}, and optionally {@code first_day} and {@code last_day} (yyyy-MM-dd,
 * empty for open-ended) and {@code camera} (the camera watching the animal's pen; empty when it
 * moves between pens), as {@code farmid synth} writes in {@code animals.csv}.
 */
public final class HerdRegister implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** One animal's stay in the herd; either end may be null (open), camera null (any). */
  public record Stay(String animalId, LocalDate firstDay, LocalDate lastDay, String camera)
      implements java.io.Serializable {
    /** Whether the animal had left the herd before {@code day}. */
    public boolean leftBefore(LocalDate day) {
      return lastDay != null && day != null && lastDay.isBefore(day);
    }
  }

  private final Map<String, Stay> stays;

  public HerdRegister(Map<String, Stay> stays) {
    this.stays = Collections.unmodifiableMap(new LinkedHashMap<>(stays));
  }

  public static HerdRegister empty() {
    return new HerdRegister(Map.of());
  }

  public Map<String, Stay> stays() {
    return stays;
  }

  public boolean isEmpty() {
    return stays.isEmpty();
  }

  /** Reads a register CSV; every problem names the file and line. */
  public static HerdRegister read(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    if (lines.isEmpty()) {
      throw new IOException("herd register " + csv + " is empty (expected a header with id)");
    }
    List<String> header = new ArrayList<>();
    for (String h : lines.get(0).split(",", -1)) {
      header.add(h.trim().toLowerCase(java.util.Locale.ROOT));
    }
    int id = header.indexOf("id");
    int first = header.indexOf("first_day");
    int last = header.indexOf("last_day");
    int camera = header.indexOf("camera");
    if (id < 0) {
      throw new IOException("herd register " + csv + " has no id column: " + lines.get(0));
    }
    Map<String, Stay> stays = new LinkedHashMap<>();
    for (int n = 1; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      try {
        String animal = f[id].trim();
        if (animal.isEmpty()) {
          throw new IllegalArgumentException("empty id");
        }
        String cam =
            camera < 0 || camera >= f.length || f[camera].isBlank() ? null : f[camera].trim();
        Stay s = new Stay(animal, day(f, first), day(f, last), cam);
        if (stays.put(animal, s) != null) {
          throw new IllegalArgumentException("animal " + animal + " is listed twice");
        }
      } catch (ArrayIndexOutOfBoundsException
          | DateTimeParseException
          | IllegalArgumentException e) {
        throw new IOException(
            "herd register " + csv + " line " + (n + 1) + ": " + e.getMessage() + ": " + line);
      }
    }
    return new HerdRegister(stays);
  }

  private static LocalDate day(String[] fields, int column) {
    if (column < 0 || column >= fields.length || fields[column].isBlank()) {
      return null;
    }
    return LocalDate.parse(fields[column].trim());
  }
}
