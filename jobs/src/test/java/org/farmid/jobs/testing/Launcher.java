package org.farmid.jobs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.farmid.jobs.spark.Tables;

/**
 * Runs the repository's scripts ({@code scripts/farmid}, {@code scripts/cluster/*}) as separate
 * processes, as a user would, each with its output in a log file; for tests that need real JVMs
 * (clusters, killed processes). The launcher builds the shaded jar when it is missing.
 */
public final class Launcher {
  /** The repository root (tests run in {@code jobs/}). */
  public static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  private Launcher() {}

  /** {@code scripts/farmid ARGS}; asserts exit code 0; returns the output. */
  public static String farmid(Path log, String... args) throws Exception {
    return script(log, "scripts/farmid", args);
  }

  /** A script of the repository with arguments; asserts exit code 0; returns the output. */
  public static String script(Path log, String script, String... args) throws Exception {
    return script(Map.of(), log, script, args);
  }

  /** The same with extra environment variables. */
  public static String script(Map<String, String> env, Path log, String script, String... args)
      throws Exception {
    Process p = start(env, log, script, args);
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(script + " did not finish in 10 minutes; log " + log);
    }
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(script + " " + String.join(" ", args) + "\n" + tail(out)).isZero();
    return out;
  }

  /** How a script ended: its exit code and its output. */
  public record Result(int code, String log) {}

  /** Runs a script to its end, whatever its exit code. */
  public static Result exitOf(Path log, String script, String... args) throws Exception {
    Process p = start(Map.of(), log, script, args);
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(script + " did not finish in 10 minutes; log " + log);
    }
    return new Result(p.exitValue(), Files.readString(log));
  }

  /** Starts a script without waiting. */
  public static Process start(Path log, String script, String... args) throws IOException {
    return start(Map.of(), log, script, args);
  }

  private static Process start(Map<String, String> env, Path log, String script, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>(List.of(REPO.resolve(script).toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(REPO.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  /**
   * Starts {@code scripts/farmid ARGS} and kills it (SIGKILL, no shutdown hooks) as soon as its
   * output contains {@code trigger}, then {@code delayMillis} later; fails if the command ends
   * before. Returns the output up to the kill.
   */
  public static String killWhen(Path log, String trigger, long delayMillis, String... args)
      throws Exception {
    Process p = start(log, "scripts/farmid", args);
    long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(5);
    while (System.currentTimeMillis() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError(
            "farmid "
                + String.join(" ", args)
                + " ended before '"
                + trigger
                + "'\n"
                + tail(Files.readString(log)));
      }
      if (Files.readString(log).contains(trigger)) {
        Thread.sleep(delayMillis);
        assertThat(p.isAlive()).as("still running when killed").isTrue();
        // the launcher execs java, so this is the JVM itself
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        return Files.readString(log);
      }
      Thread.sleep(50);
    }
    p.destroyForcibly();
    throw new AssertionError("no '" + trigger + "' in 5 minutes; log " + log);
  }

  /**
   * {@code synth} of two one-minute 640x360 videos (two cameras, one day, no herd change) into
   * {@code dir/synth}; returns that folder. About 10 seconds.
   */
  public static Path smallArchive(Path dir, int seed) throws Exception {
    Path synth = dir.resolve("synth");
    farmid(
        dir.resolve("synth.log"),
        "synth",
        "--out",
        synth.toString(),
        "--seed",
        String.valueOf(seed),
        "--cameras",
        "2",
        "--days",
        "1",
        "--minutes",
        "1",
        "--clip-minutes",
        "1",
        "--width",
        "640",
        "--height",
        "360",
        "--herd-changes",
        "0");
    return synth;
  }

  /** A table of a warehouse without the columns naming the runs that wrote it and its inputs. */
  public static Dataset<Row> table(SparkSession spark, Path warehouse, Tables t) {
    return spark
        .read()
        .format("delta")
        .load(warehouse.resolve(t.tableName()).toString())
        .drop("run_id", "detection_run_id", "identity_run_id");
  }

  public static String tail(String s) {
    return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
  }
}
