package org.farmid.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A farmid command in a JVM of its own, as {@code scripts/farmid} would start it, with its Spark
 * master and heap chosen here; its peak resident memory is sampled from {@code /proc} while it
 * runs. Side-by-side figures that need separate JVMs (local[1] against local[2], a short against a
 * long video) are measured this way.
 */
final class ChildRun {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a child ended: its {@code --json} figures, peak resident memory and wall clock. */
  record Result(JsonNode figures, long peakRssKb, double seconds) {}

  private ChildRun() {}

  static Result run(String master, String heap, Path log, Path json, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-Dspark.master=") && !a.startsWith("-Xmx") && !a.startsWith("-agentlib")) {
        cmd.add(a);
      }
    }
    cmd.add("-Xmx" + heap);
    cmd.add("-Dspark.master=" + master);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.farmid.jobs.cli.FarmId");
    cmd.addAll(List.of(args));
    cmd.add("--json");
    cmd.add(json.toString());
    Files.deleteIfExists(json);
    Files.createDirectories(log.toAbsolutePath().getParent());
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long peak = 0;
    Path status = Path.of("/proc", Long.toString(p.pid()), "status");
    while (p.isAlive()) {
      peak = Math.max(peak, vmHwmKb(status));
      Thread.sleep(100);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (p.exitValue() != 0) {
      List<String> lines = Files.readAllLines(log);
      throw new IOException(
          "farmid "
              + String.join(" ", args)
              + " exited with "
              + p.exitValue()
              + "; last lines of "
              + log
              + ":\n"
              + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
    }
    return new Result(JSON.readTree(json.toFile()), peak, seconds);
  }

  /** The process's peak resident set (VmHWM), 0 when it is gone or /proc is absent. */
  static long vmHwmKb(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended between the check and the read
    }
    return 0;
  }
}
