package org.farmid.jobs.cli;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.farmid.common.config.FarmIdConfig;
import picocli.CommandLine.Option;

/** Options every command shares: where settings come from, and where figures go as JSON. */
public final class ConfigOptions {
  @Option(
      names = "--conf",
      paramLabel = "FILE",
      description = "HOCON file overriding conf/application.conf; repeatable, later files win.")
  List<Path> confFiles = new ArrayList<>();

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override one setting, e.g. --set synth.seed=3; repeatable, wins over --conf.")
  List<String> sets = new ArrayList<>();

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Also write the figures this command reports to FILE as JSON.")
  Path json;

  /** The file the command's figures go to as JSON; null: none. */
  public Path json() {
    return json;
  }

  /** The --conf files, in order. */
  public List<Path> confFiles() {
    return confFiles;
  }

  /** The --set pairs, in order. */
  public List<String> sets() {
    return sets;
  }

  /** Defaults, then files, then --set pairs, then the command's own flags. */
  public Config load(List<String> commandOverrides) {
    List<String> all = new ArrayList<>(sets);
    all.addAll(commandOverrides);
    return FarmIdConfig.load(confFiles, all);
  }
}
