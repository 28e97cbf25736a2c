package org.farmid.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.protocol.HdfsConstants.SafeModeAction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.testing.Launcher;
import org.farmid.jobs.testing.SparkTestBase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline with its archive and warehouse on a real single-node HDFS on loopback
 * (scripts/hdfs/up.sh: a NameNode and a DataNode, each its own JVM), against the same run on local
 * folders: the same tables; a re-run on HDFS decodes nothing; a warehouse on a NameNode in safe
 * mode (read-only) is refused with one message, nothing written. About 5 minutes on 2 cores.
 */
@Tag("cluster")
class HdfsPipelineTest extends SparkTestBase {
  @TempDir Path dir;

  @Test
  void archiveAndWarehouseOnHdfsGiveTheTablesOfALocalRun() throws Exception {
    Path synth = dir.resolve("synth");
    Launcher.farmid(
        dir.resolve("synth.log"),
        "synth",
        "--out",
        synth.toString(),
        "--seed",
        "9",
        "--cameras",
        "1",
        "--days",
        "2",
        "--minutes",
        "0.5",
        "--clip-minutes",
        "0.5",
        "--width",
        "320",
        "--height",
        "180",
        "--herd-changes",
        "0");
    Path local = dir.resolve("wh-local");
    run(synth, synth.resolve("archive").toString(), null, local.toString(), "local");

    Path hdfs = dir.resolve("hdfs");
    int port = freePort();
    Launcher.script(
        dir.resolve("up.log"), "scripts/hdfs/up.sh", "--dir", hdfs.toString(), "--port", "" + port);
    String fs = "hdfs://127.0.0.1:" + port;
    try {
      FileSystem client = FileSystem.get(URI.create(fs), new Configuration());
      client.copyFromLocalFile(
          new org.apache.hadoop.fs.Path(synth.resolve("archive").toUri()),
          new org.apache.hadoop.fs.Path(fs + "/farm/archive"));
      // the enrolment crops and both models on HDFS too, read through the executors' local copies
      client.copyFromLocalFile(
          new org.apache.hadoop.fs.Path(synth.resolve("enrol").toUri()),
          new org.apache.hadoop.fs.Path(fs + "/farm/enrol"));
      for (String model : List.of("detector-default", "embedder-default")) {
        client.copyFromLocalFile(
            new org.apache.hadoop.fs.Path(Launcher.REPO.resolve("models").resolve(model).toUri()),
            new org.apache.hadoop.fs.Path(fs + "/farm/models/" + model));
      }
      String warehouse = fs + "/farm/warehouse";
      run(synth, fs + "/farm/archive", fs + "/farm", warehouse, "hdfs");
      for (Tables t :
          List.of(Tables.DETECTIONS, Tables.CROP_IDENTITIES, Tables.IDENTITIES, Tables.METRICS)) {
        Dataset<Row> e = table(local.toString(), t);
        Dataset<Row> a = table(warehouse, t);
        assertThat(a.count()).as(t.tableName() + " rows").isEqualTo(e.count()).isPositive();
        assertDataFrameNoOrderEquals(e, a);
      }
      var again =
          new ObjectMapper()
              .readTree(
                  run(synth, fs + "/farm/archive", fs + "/farm", warehouse, "hdfs-again").toFile());
      // nothing changed on HDFS since: the run stops before Spark starts
      assertThat(again.get("up_to_date_since_run").asText()).isNotEmpty();
      assertThat(again.get("files_probed").asInt()).isZero();
      assertThat(again.get("frames_decoded").asInt()).isZero();
      assertThat(again.get("videos_classified").asInt()).isZero();

      ((DistributedFileSystem) client).setSafeMode(SafeModeAction.SAFEMODE_ENTER);
      try {
        Launcher.Result r =
            Launcher.exitOf(
                dir.resolve("safemode.log"),
                "scripts/farmid",
                "ingest",
                "--archive",
                synth.resolve("archive").toString(),
                "--warehouse",
                fs + "/farm/read-only");
        assertThat(r.code()).as(r.log()).isEqualTo(2);
        assertThat(r.log())
            .contains(
                "--warehouse "
                    + fs
                    + "/farm/read-only cannot be written: the NameNode is in safe mode");
        assertThat(client.exists(new org.apache.hadoop.fs.Path(fs + "/farm/read-only"))).isFalse();
      } finally {
        ((DistributedFileSystem) client).setSafeMode(SafeModeAction.SAFEMODE_LEAVE);
      }
    } finally {
      Launcher.script(dir.resolve("down.log"), "scripts/hdfs/down.sh", "--dir", hdfs.toString());
    }
  }

  /**
   * One {@code run} with the synth folder's register and ground truth; its enrolment crops and
   * models from {@code remote}/enrol and {@code remote}/models when given; its JSON.
   */
  private Path run(Path synth, String archive, String remote, String warehouse, String name)
      throws Exception {
    Path json = dir.resolve(name + ".json");
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--archive",
                archive,
                "--enrol-crops",
                remote == null ? synth.resolve("enrol").toString() : remote + "/enrol",
                "--ground-truth",
                synth.toString(),
                "--warehouse",
                warehouse,
                "--json",
                json.toString()));
    if (remote != null) {
      args.addAll(
          List.of(
              "--set",
              "farmid.pipeline.detector-model=\"" + remote + "/models/detector-default\"",
              "--set",
              "farmid.pipeline.embedder-model=\"" + remote + "/models/embedder-default\""));
    }
    Launcher.farmid(dir.resolve(name + ".log"), args.toArray(String[]::new));
    assertThat(Files.isRegularFile(json)).isTrue();
    return json;
  }

  private Dataset<Row> table(String warehouse, Tables t) {
    return spark()
        .read()
        .format("delta")
        .load(warehouse + "/" + t.tableName())
        .drop("run_id", "detection_run_id", "identity_run_id");
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
