package org.farmid.common.ingest;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Where and when a video was filmed, read from its path relative to the archive root with a regular
 * expression holding the named groups {@code camera}, {@code date} (yyyy-MM-dd) and optionally
 * {@code time} (HH-mm-ss, HH:mm:ss or HHmmss).
 *
 * @param start the recording's start, absent when the path does not say
 */
public record VideoOrigin(String camera, Optional<LocalDateTime> start) {
  /** The layout {@code farmid synth} writes and most recorders use: camera/date/time.ext. */
  public static final String DEFAULT_PATTERN =
      "(?:.*/)?(?<camera>[^/]+)/(?<date>\\d{4}-\\d{2}-\\d{2})/(?<time>\\d{2}[-:]?\\d{2}[-:]?\\d{2})[^/]*$";

  /** Compiles and checks a pattern; the message names what is missing. */
  public static Pattern compile(String regex) {
    Pattern p;
    try {
      p = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("not a regular expression: " + e.getDescription());
    }
    if (!regex.contains("(?<camera>") || !regex.contains("(?<date>")) {
      throw new IllegalArgumentException(
          "the path pattern needs the named groups (?<camera>...) and (?<date>...)");
    }
    return p;
  }

  /**
   * Reads a relative path ('/'-separated). When the pattern does not match, the camera is the first
   * folder (or {@code "unknown"}) and the start is absent.
   */
  public static VideoOrigin of(String relativePath, Pattern pattern) {
    Matcher m = pattern.matcher(relativePath);
    if (m.matches()) {
      try {
        LocalDate date = LocalDate.parse(m.group("date"));
        LocalTime time = LocalTime.MIDNIGHT;
        if (pattern.pattern().contains("(?<time>") && m.group("time") != null) {
          String t = m.group("time").replaceAll("[-:]", "");
          time = LocalTime.parse(t, DateTimeFormatter.ofPattern("HHmmss"));
        }
        return new VideoOrigin(m.group("camera"), Optional.of(date.atTime(time)));
      } catch (DateTimeParseException e) {
        // a path that looks right but holds an impossible date: treat as undated
      }
    }
    int slash = relativePath.indexOf('/');
    return new VideoOrigin(
        slash > 0 ? relativePath.substring(0, slash) : "unknown", Optional.empty());
  }
}
