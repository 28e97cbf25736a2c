package org.farmid.common.ingest;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The footage one run covers: recording days from {@code since} to {@code until} (both included)
 * and a set of cameras; an empty bound or set covers everything. Footage without a recording day
 * (its path carries no date) is covered only when no day bound is given.
 */
public record Selection(Optional<LocalDate> since, Optional<LocalDate> until, Set<String> cameras)
    implements Serializable {
  private static final Selection ALL = new Selection(Optional.empty(), Optional.empty(), Set.of());

  public Selection {
    cameras = Set.copyOf(cameras);
    if (since.isPresent() && until.isPresent() && until.get().isBefore(since.get())) {
      throw new IllegalArgumentException(
          "--until " + until.get() + " is before --since " + since.get());
    }
  }

  /** Everything. */
  public static Selection all() {
    return ALL;
  }

  /**
   * From the flags' texts: days as {@code yyyy-MM-dd}, cameras comma-separated; null or blank means
   * no bound.
   *
   * @throws IllegalArgumentException naming the flag and what was expected
   */
  public static Selection parse(String since, String until, String cameras) {
    Set<String> set = new LinkedHashSet<>();
    if (cameras != null) {
      Arrays.stream(cameras.split(","))
          .map(String::trim)
          .filter(c -> !c.isEmpty())
          .forEach(set::add);
      if (set.isEmpty()) {
        throw new IllegalArgumentException(
            "--cameras needs at least one camera name, got '" + cameras + "'");
      }
    }
    return new Selection(day("--since", since), day("--until", until), set);
  }

  private static Optional<LocalDate> day(String flag, String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(text.trim()));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          flag + " must be a day as yyyy-MM-dd, got '" + text + "'", e);
    }
  }

  public boolean isAll() {
    return since.isEmpty() && until.isEmpty() && cameras.isEmpty();
  }

  public boolean hasDays() {
    return since.isPresent() || until.isPresent();
  }

  /** Whether footage of this camera and day (null when undated) is covered. */
  public boolean covers(String camera, LocalDate date) {
    return coversCamera(camera) && coversDay(date);
  }

  /** Whether any of the cameras (the views of one file) is covered on that day. */
  public boolean coversAny(Collection<String> cameraNames, LocalDate date) {
    return coversDay(date) && cameraNames.stream().anyMatch(this::coversCamera);
  }

  public boolean coversCamera(String camera) {
    return cameras.isEmpty() || cameras.contains(camera);
  }

  public boolean coversDay(LocalDate date) {
    if (date == null) {
      return !hasDays();
    }
    return since.map(s -> !date.isBefore(s)).orElse(true)
        && until.map(u -> !date.isAfter(u)).orElse(true);
  }

  /** How the selection reads in progress lines: "all footage", or its bounds. */
  public String describe() {
    if (isAll()) {
      return "all footage";
    }
    StringBuilder b = new StringBuilder();
    since.ifPresent(d -> b.append("from ").append(d).append(' '));
    until.ifPresent(d -> b.append("to ").append(d).append(' '));
    if (!cameras.isEmpty()) {
      b.append("cameras ").append(String.join(",", cameras.stream().sorted().toList()));
    }
    return b.toString().trim();
  }
}
