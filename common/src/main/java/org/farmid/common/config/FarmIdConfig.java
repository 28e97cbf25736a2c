package org.farmid.common.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Loads the project's settings: the defaults shipped in {@code conf/application.conf}, then each
 * {@code --conf} file in order, then each {@code --set key=value}. Every key must exist in the
 * defaults and keep its type; all problems are reported at once, each naming the key's path.
 */
public final class FarmIdConfig {
  /** Every key lives under this root. */
  public static final String ROOT = "farmid";

  private static final String DEFAULTS_RESOURCE = "org/farmid/common/config/application.conf";

  private FarmIdConfig() {}

  /** The shipped defaults alone. */
  public static Config defaults() {
    Config defaults =
        ConfigFactory.parseResources(
            FarmIdConfig.class.getClassLoader(),
            DEFAULTS_RESOURCE,
            ConfigParseOptions.defaults().setAllowMissing(false));
    return defaults.resolve();
  }

  /**
   * Defaults overridden by files, then by {@code key=value} pairs (keys with or without the {@code
   * farmid.} prefix).
   *
   * @throws InvalidConfigException listing every unreadable file, unknown key and wrong type
   */
  public static Config load(List<Path> files, List<String> keyValues) {
    Config defaults = defaults();
    List<String> problems = new ArrayList<>();
    Config overrides = ConfigFactory.empty();
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        problems.add("config file " + file + " does not exist or is not a file");
        continue;
      }
      try {
        Config parsed =
            ConfigFactory.parseFile(
                file.toFile(), ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF));
        overrides = parsed.withFallback(overrides);
      } catch (ConfigException e) {
        problems.add("config file " + file + ": " + e.getMessage());
      }
    }
    for (String pair : keyValues) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        problems.add("--set '" + pair + "': expected key=value, e.g. synth.seed=3");
        continue;
      }
      String key = qualify(pair.substring(0, eq).trim());
      String raw = pair.substring(eq + 1).trim();
      try {
        overrides = parseValue(key, raw).withFallback(overrides);
      } catch (ConfigException e) {
        problems.add("--set '" + pair + "': " + e.getMessage());
      }
    }
    Config merged;
    try {
      merged = overrides.withFallback(defaults).resolve();
    } catch (ConfigException e) {
      problems.add(e.getMessage());
      throw new InvalidConfigException(problems);
    }
    problems.addAll(checkAgainst(merged, defaults));
    if (!problems.isEmpty()) {
      // Unknown keys and wrong types found: check the ranges of everything else too, so that one
      // run lists every problem (bad keys fall back to their defaults for this check).
      problems.addAll(rangeProblems(withoutBadKeys(merged, defaults)));
      throw new InvalidConfigException(problems);
    }
    return merged;
  }

  /** The range and consistency problems the settings readers find in a well-typed config. */
  private static List<String> rangeProblems(Config config) {
    List<String> problems = new ArrayList<>();
    List<java.util.function.Consumer<Config>> readers =
        List.of(org.farmid.common.synth.SynthSettings::from, c -> PipelineSettings.from(c));
    for (java.util.function.Consumer<Config> reader : readers) {
      try {
        reader.accept(config);
      } catch (InvalidConfigException e) {
        problems.addAll(e.problems());
      }
    }
    return problems;
  }

  /** The config with unknown keys dropped and wrongly typed values replaced by the defaults. */
  private static Config withoutBadKeys(Config merged, Config defaults) {
    Config c = merged;
    for (Map.Entry<String, ConfigValue> entry : merged.entrySet()) {
      String path = entry.getKey();
      if (!path.startsWith(ROOT + ".")) {
        continue;
      }
      if (!defaults.hasPath(path)) {
        c = c.withoutPath(path);
      } else if (entry.getValue().valueType() != defaults.getValue(path).valueType()) {
        c = c.withValue(path, defaults.getValue(path));
      }
    }
    return c.withFallback(defaults);
  }

  /** Adds the {@code farmid.} prefix to a key that lacks it. */
  public static String qualify(String key) {
    return key.startsWith(ROOT + ".") ? key : ROOT + "." + key;
  }

  private static Config parseValue(String key, String raw) {
    try {
      ConfigValue value = ConfigFactory.parseString("v = " + raw).getValue("v");
      return ConfigFactory.empty().withValue(key, value);
    } catch (ConfigException e) {
      // A value HOCON cannot parse (a path with a colon, say) is taken as a plain string.
      return ConfigFactory.empty().withValue(key, ConfigValueFactory.fromAnyRef(raw));
    }
  }

  /** Unknown keys and values whose type differs from the default's. */
  static List<String> checkAgainst(Config merged, Config defaults) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> entry : merged.entrySet()) {
      String path = entry.getKey();
      if (!path.startsWith(ROOT + ".")) {
        continue; // system properties and other libraries' settings are not ours to judge
      }
      if (!defaults.hasPath(path)) {
        problems.add("unknown key '" + path + "'" + knownSiblings(defaults, path));
        continue;
      }
      ConfigValueType expected = defaults.getValue(path).valueType();
      try {
        switch (expected) {
          case NUMBER -> merged.getNumber(path);
          case BOOLEAN -> merged.getBoolean(path);
          case STRING -> merged.getString(path);
          case LIST -> merged.getList(path);
          default -> {}
        }
      } catch (ConfigException.WrongType e) {
        problems.add(
            "key '"
                + path
                + "' must be "
                + describe(expected)
                + ", got "
                + merged.getValue(path).render());
      }
    }
    // A section replaced by a plain value hides its keys from entrySet; name it too.
    for (Map.Entry<String, ConfigValue> entry : defaults.entrySet()) {
      String path = entry.getKey();
      if (!merged.hasPath(path)) {
        problems.add("key '" + path + "' is missing (a section was overwritten by a value?)");
      }
    }
    return problems;
  }

  private static String knownSiblings(Config defaults, String path) {
    int dot = path.lastIndexOf('.');
    String parent = path.substring(0, dot);
    while (!parent.isEmpty() && !defaults.hasPath(parent)) {
      int d = parent.lastIndexOf('.');
      parent = d < 0 ? "" : parent.substring(0, d);
    }
    if (parent.isEmpty()) {
      return "";
    }
    try {
      TreeSet<String> keys = new TreeSet<>(defaults.getConfig(parent).root().keySet());
      return "; expected one of " + parent + ".{" + String.join(", ", keys) + "}";
    } catch (ConfigException.WrongType e) {
      return "";
    }
  }

  private static String describe(ConfigValueType type) {
    return switch (type) {
      case NUMBER -> "a number";
      case BOOLEAN -> "true or false";
      case STRING -> "a string";
      case LIST -> "a list";
      case OBJECT -> "a section";
      case NULL -> "null";
    };
  }
}
