package org.farmid.common.config;

import com.typesafe.config.Config;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads typed values of one config section and checks their ranges, collecting every problem with
 * the key's full path, so a user sees all mistakes in one run. Call {@link #throwIfInvalid()} after
 * the last read.
 */
public final class SettingsReader {
  private final Config config;
  private final String section;
  private final List<String> problems = new ArrayList<>();

  public SettingsReader(Config config, String section) {
    this.config = config;
    this.section = section;
  }

  private String path(String key) {
    return section + "." + key;
  }

  public int intAtLeast(String key, int min) {
    double raw = config.getDouble(path(key));
    int value = config.getInt(path(key));
    if (raw != value) {
      problems.add("key '" + path(key) + "' must be a whole number, got " + raw);
      return value;
    }
    if (value < min) {
      problems.add("key '" + path(key) + "' must be at least " + min + ", got " + value);
    }
    return value;
  }

  /**
   * A picture size in pixels: one whole number (a square's side) or {@code WxH}, each side at least
   * {@code min}. Returns {width, height}.
   */
  public int[] sizeAtLeast(String key, int min) {
    String raw = config.getString(path(key)).trim();
    String[] parts = raw.toLowerCase(java.util.Locale.ROOT).split("x", -1);
    int[] size;
    try {
      if (parts.length == 1) {
        int side = Integer.parseInt(parts[0].trim());
        size = new int[] {side, side};
      } else if (parts.length == 2) {
        size = new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
      } else {
        throw new NumberFormatException(raw);
      }
    } catch (NumberFormatException e) {
      problems.add(
          "key '"
              + path(key)
              + "' must be a side in pixels (96) or width x height (72x128), got '"
              + raw
              + "'");
      return new int[] {min, min};
    }
    if (size[0] < min || size[1] < min) {
      problems.add("key '" + path(key) + "' must have sides of at least " + min + ", got " + raw);
    }
    return size;
  }

  public int evenIntAtLeast(String key, int min) {
    int value = intAtLeast(key, min);
    if (value % 2 != 0) {
      problems.add("key '" + path(key) + "' must be even (H.264 4:2:0 video), got " + value);
    }
    return value;
  }

  public double doubleBetween(String key, double min, double max) {
    double value = config.getDouble(path(key));
    if (!(value >= min && value <= max)) {
      problems.add(
          "key '" + path(key) + "' must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  public double doubleValue(String key) {
    return config.getDouble(path(key));
  }

  public double positiveDouble(String key) {
    double value = config.getDouble(path(key));
    if (!(value > 0) || Double.isInfinite(value)) {
      problems.add("key '" + path(key) + "' must be a positive number, got " + value);
    }
    return value;
  }

  public long longValue(String key) {
    return config.getLong(path(key));
  }

  public boolean bool(String key) {
    return config.getBoolean(path(key));
  }

  public String string(String key) {
    return config.getString(path(key));
  }

  public java.util.List<String> strings(String key) {
    return config.getStringList(path(key));
  }

  /** A setting's allowed values for messages, in their order: "a, b or c". */
  public static String alternatives(java.util.List<String> keys) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < keys.size(); i++) {
      b.append(i == 0 ? "" : i == keys.size() - 1 ? " or " : ", ").append(keys.get(i));
    }
    return b.toString();
  }

  /** The allowed values' keys for messages, in their order: "a, b or c". */
  public static <T> String alternatives(T[] values, java.util.function.Function<T, String> keyOf) {
    return alternatives(java.util.Arrays.stream(values).map(keyOf).toList());
  }

  /** The one of {@code values} whose key is {@code key}, or null when none is. */
  public static <T> T byKey(T[] values, java.util.function.Function<T, String> keyOf, String key) {
    for (T v : values) {
      if (keyOf.apply(v).equals(key)) {
        return v;
      }
    }
    return null;
  }

  /**
   * One of a fixed set of values: {@code byKey} turns the setting's text into it (null when it is
   * none of them); otherwise a problem naming the key, {@code choices} and the text, and null.
   */
  public <T> T choice(String key, java.util.function.Function<String, T> byKey, Object choices) {
    String raw = config.getString(path(key));
    T value = byKey.apply(raw);
    if (value == null) {
      problems.add("key '" + path(key) + "' must be " + choices + ", got '" + raw + "'");
    }
    return value;
  }

  public LocalDate date(String key) {
    String raw = config.getString(path(key));
    try {
      return LocalDate.parse(raw);
    } catch (DateTimeParseException e) {
      problems.add("key '" + path(key) + "' must be a date like 2026-01-05, got '" + raw + "'");
      return LocalDate.EPOCH;
    }
  }

  /** Records a problem found by a cross-field check. */
  public void problem(String message) {
    problems.add(message);
  }

  public String pathOf(String key) {
    return path(key);
  }

  public void throwIfInvalid() {
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
  }
}
