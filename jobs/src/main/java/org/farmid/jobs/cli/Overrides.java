package org.farmid.jobs.cli;

import com.typesafe.config.ConfigUtil;
import java.util.List;

/** Turns a command's own flags into {@code key=value} settings that win over files and --set. */
public final class Overrides {
  private Overrides() {}

  /** Adds {@code section.key=value} unless the value is null; strings are quoted for HOCON. */
  public static void put(List<String> overrides, String section, String key, Object value) {
    if (value != null) {
      String v = value instanceof String str ? ConfigUtil.quoteString(str) : value.toString();
      overrides.add(section + "." + key + "=" + v);
    }
  }
}
