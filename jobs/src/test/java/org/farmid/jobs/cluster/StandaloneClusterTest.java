package org.farmid.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.farmid.jobs.spark.SparkSessions;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.testing.Launcher;
import org.farmid.jobs.testing.SparkTestBase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on a real Spark standalone cluster on loopback (scripts/cluster/up.sh: a master and
 * two one-core workers, each its own JVM, executors in JVMs of their own), against the same run in
 * {@code local[2]}: same tables, each model loaded once per executor JVM, an executor killed in the
 * middle of detect changes nothing, and a worker killed and started again leaves the cluster usable
 * (both in one run: a worker killed and restarted, then an executor of the next run killed during
 * detect). Needs the shaded jar (the launcher builds it when missing); about 9 minutes on 2 cores.
 */
@Tag("cluster")
class StandaloneClusterTest extends SparkTestBase {
  private static final Pattern LOADED =
      Pattern.compile("farmid: loaded (detector|embedder) \\S+ in process (\\d+)");

  @TempDir Path dir;

  @Test
  void pipelineOnTwoWorkersMatchesLocalEvenWhenAnExecutorOrAWorkerDies() throws Exception {
    Path synth = Launcher.smallArchive(dir, 5);
    Path local = dir.resolve("wh-local");
    run("local[2]", synth, local, dir.resolve("local.log"));

    Path cluster = dir.resolve("cluster");
    int port = freePort();
    script(
        "up.log",
        "scripts/cluster/up.sh",
        "--dir",
        cluster.toString(),
        "--workers",
        "2",
        "--cores",
        "1",
        "--memory",
        "2g",
        "--port",
        String.valueOf(port));
    String master = "spark://127.0.0.1:" + port;
    try {
      // 1. undisturbed: the same tables as local[2]; each executor loads each model once
      Path a = dir.resolve("wh-a");
      run(master, synth, a, dir.resolve("a.log"));
      assertSameTables(local, a);
      Map<String, List<String>> loads = modelLoads(cluster, executorDirs(cluster));
      assertThat(loads).as("executors that ran detect").hasSizeGreaterThanOrEqualTo(2);
      loads.forEach(
          (executor, models) ->
              assertThat(models).as(executor).containsExactlyInAnyOrder("detector", "embedder"));
      System.out.println("model loads per executor JVM: " + loads);

      // 2. a worker killed and started again, then, in the next run, an executor JVM killed
      // while it runs its first detect task: the run completes with the same tables
      long worker1 = Long.parseLong(Files.readString(cluster.resolve("pids/worker-1.pid")).strip());
      ProcessHandle.of(worker1).ifPresent(ProcessHandle::destroyForcibly);
      waitGone(worker1);
      script("worker.log", "scripts/cluster/worker.sh", "1", "--dir", cluster.toString());
      long before = System.currentTimeMillis();
      Path b = dir.resolve("wh-b");
      AtomicLong killed = new AtomicLong();
      Thread killer = new Thread(() -> killFirstDetectExecutor(cluster, before, killed));
      killer.setDaemon(true);
      killer.start();
      String logB = run(master, synth, b, dir.resolve("b.log"));
      killer.join(TimeUnit.SECONDS.toMillis(5));
      assertThat(killed.get()).as("an executor was killed during detect").isPositive();
      assertThat(logB).contains("ExecutorLostFailure");
      assertSameTables(local, b);
      long lostTasks = logB.lines().filter(l -> l.contains("Lost task")).count();
      System.out.printf(
          "worker 1 restarted, then executor pid %d killed during detect, %d task(s) lost and"
              + " retried; rows equal to local[2]: detections %d, identities %d, metrics %d (0"
              + " lost, 0 duplicated)%n",
          killed.get(),
          lostTasks,
          table(b, Tables.DETECTIONS).count(),
          table(b, Tables.CROP_IDENTITIES).count(),
          table(b, Tables.METRICS).count());
    } finally {
      script("down.log", "scripts/cluster/down.sh", "--dir", cluster.toString());
    }
    // down.sh stopped every recorded process
    for (String name : List.of("master", "worker-1", "worker-2")) {
      assertThat(cluster.resolve("pids/" + name + ".pid")).doesNotExist();
    }
  }

  private String run(String master, Path synth, Path warehouse, Path log) throws Exception {
    // Delta rebuilds table state in 50 tasks by default; on two one-core executors and tables
    // this small that is a third of each run's time (140 s against 206 s measured), so the
    // cluster runs use the width of the local run they are compared with
    return Launcher.script(
        Map.of(
            "FARMID_JAVA_OPTS",
            "-D"
                + SparkSessions.DELTA_SNAPSHOT_PARTITIONS
                + "="
                + SparkSessions.LOCAL_SNAPSHOT_PARTITIONS),
        log,
        "scripts/farmid",
        "--master",
        master,
        "run",
        "--archive",
        synth.resolve("archive").toString(),
        "--enrol-crops",
        synth.resolve("enrol").toString(),
        "--ground-truth",
        synth.toString(),
        "--warehouse",
        warehouse.toString(),
        "--set",
        "farmid.pipeline.segment-seconds=10");
  }

  /** detections, identities and metrics equal, apart from the run that wrote them. */
  private void assertSameTables(Path expected, Path actual) {
    for (Tables t : List.of(Tables.DETECTIONS, Tables.CROP_IDENTITIES, Tables.METRICS)) {
      Dataset<Row> e = table(expected, t);
      Dataset<Row> a = table(actual, t);
      assertThat(a.count()).as(t.tableName() + " rows").isEqualTo(e.count()).isPositive();
      assertDataFrameNoOrderEquals(e, a);
    }
  }

  private Dataset<Row> table(Path warehouse, Tables t) {
    return Launcher.table(spark(), warehouse, t);
  }

  private String script(String log, String script, String... args) throws Exception {
    return Launcher.script(dir.resolve(log), script, args);
  }

  /** Executor folder -> models its JVM loaded. */
  private static Map<String, List<String>> modelLoads(Path cluster, List<Path> executorDirs)
      throws IOException {
    Map<String, List<String>> out = new TreeMap<>();
    for (Path d : executorDirs) {
      Matcher m = LOADED.matcher(Files.readString(d.resolve("stderr"), StandardCharsets.UTF_8));
      List<String> models = new ArrayList<>();
      while (m.find()) {
        models.add(m.group(1));
      }
      if (!models.isEmpty()) {
        out.put(cluster.relativize(d).toString(), models);
      }
    }
    return out;
  }

  /** Executor folders (work/worker-N/APP/ID, each with a stderr file) of every application. */
  private static List<Path> executorDirs(Path cluster) throws IOException {
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> s = Files.walk(cluster.resolve("work"), 3)) {
      s.filter(p -> Files.isRegularFile(p.resolve("stderr"))).forEach(dirs::add);
    }
    return dirs;
  }

  /**
   * Kills the first executor of an application started after {@code after} to load the detector.
   */
  private static void killFirstDetectExecutor(Path cluster, long after, AtomicLong killed) {
    long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(4);
    while (System.currentTimeMillis() < deadline && killed.get() == 0) {
      try (Stream<Path> s = Files.walk(cluster.resolve("work"), 4)) {
        for (Path f : s.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
          if (f.getParent().getParent().toFile().lastModified() < after) {
            continue;
          }
          Matcher m = LOADED.matcher(Files.readString(f, StandardCharsets.UTF_8));
          while (m.find()) {
            if (m.group(1).equals("detector")) {
              long pid = Long.parseLong(m.group(2));
              ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
              killed.set(pid);
              return;
            }
          }
        }
        Thread.sleep(100);
      } catch (IOException | UncheckedIOException e) {
        // a folder appearing or vanishing while listed: look again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void waitGone(long pid) throws InterruptedException {
    for (int i = 0;
        i < 100 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        i++) {
      Thread.sleep(100);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
