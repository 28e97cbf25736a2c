package org.farmid.jobs.cli;

import java.util.List;

/** Turns a command's own flags into {@code key=value} settings that win over files and --set. */
final class Overrides {
  private Overrides() {}

  static void put(List<String> overrides, String section, String key, Object value) {
    if (value != null) {
      overrides.add(section + "." + key + "=" + value);
    }
  }
}
