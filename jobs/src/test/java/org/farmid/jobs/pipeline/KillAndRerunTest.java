package org.farmid.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.testing.Launcher;
import org.farmid.jobs.testing.SparkTestBase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code detect}, {@code gallery} and {@code classify} killed (SIGKILL: no shutdown hook, no
 * cleanup) while they work, then run again with the same command: the tables equal those of one
 * undisturbed {@code run}, row for row. Real processes through {@code scripts/farmid} with the
 * default models; then two {@code classify} processes at once against the killed-and-rerun
 * warehouse, which still holds exactly the clean run's identities. About 6 minutes on 2 cores.
 */
@Tag("integration")
class KillAndRerunTest extends SparkTestBase {
  @TempDir Path dir;

  @Test
  void aKilledStageRunAgainGivesExactlyTheRowsOfAnUndisturbedRun() throws Exception {
    Path synth = Launcher.smallArchive(dir, 6);
    String archive = synth.resolve("archive").toString();
    String enrol = synth.resolve("enrol").toString();
    String register = synth.resolve("animals.csv").toString();
    String segments = "--set=farmid.pipeline.segment-seconds=10";

    Path clean = dir.resolve("wh-clean");
    // the stages below are run one by one without `adapt`: the undisturbed run names the crops
    // after the enrolment means alone too, so both hold one gallery version
    Launcher.farmid(
        dir.resolve("clean.log"),
        "run",
        "--archive",
        archive,
        "--enrol-crops",
        enrol,
        "--register",
        register,
        "--warehouse",
        clean.toString(),
        segments,
        "--set=farmid.gallery.adapt-weight=0");

    Path w = dir.resolve("wh-killed");
    String wh = w.toString();
    Launcher.farmid(
        dir.resolve("ingest.log"), "ingest", "--archive", archive, "--warehouse", wh, segments);
    // detect, in batches of 2 of its 12 segments, killed while its third batch runs
    String batches = "--set=farmid.pipeline.batch-segments=2";
    String killedDetect =
        Launcher.killWhen(
            dir.resolve("detect-killed.log"),
            "detect: batch 2/6 committed",
            1500,
            "detect",
            "--warehouse",
            wh,
            segments,
            batches);
    assertThat(killedDetect)
        .doesNotContain("detect finished")
        .doesNotContain("batch 3/6 committed");
    String resumed =
        Launcher.farmid(dir.resolve("detect.log"), "detect", "--warehouse", wh, segments, batches);
    assertThat(resumed)
        .as("the re-run starts after the two committed batches")
        .contains("detect: 8 segments to detect of 12 selected");
    Launcher.farmid(dir.resolve("enrol.log"), "enrol", "--crops", enrol, "--warehouse", wh);
    // gallery and classify killed two seconds into their Spark work
    Launcher.killWhen(
        dir.resolve("gallery-killed.log"),
        "gallery: run ",
        2000,
        "gallery",
        "--warehouse",
        wh,
        "--register",
        register);
    Launcher.farmid(
        dir.resolve("gallery.log"), "gallery", "--warehouse", wh, "--register", register);
    Launcher.killWhen(
        dir.resolve("classify-killed.log"), "classify: run ", 2000, "classify", "--warehouse", wh);
    Launcher.farmid(dir.resolve("classify.log"), "classify", "--warehouse", wh);

    // two classify processes against the same warehouse at once: each finishes (a commit Delta
    // refuses for the other's is tried again) or fails naming the conflict; never half a table
    Process first =
        Launcher.start(
            dir.resolve("classify-a.log"), "scripts/farmid", "classify", "--warehouse", wh);
    Process second =
        Launcher.start(
            dir.resolve("classify-b.log"), "scripts/farmid", "classify", "--warehouse", wh);
    int finished = 0;
    for (Process p : List.of(first, second)) {
      assertThat(p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
      String log =
          java.nio.file.Files.readString(
              dir.resolve(p == first ? "classify-a.log" : "classify-b.log"));
      if (p.exitValue() == 0) {
        finished++;
      } else {
        assertThat(log).as("exit %d", p.exitValue()).contains("was changed by another run");
      }
    }
    assertThat(finished).isPositive();
    System.out.printf("concurrent classify: %d of 2 processes finished%n", finished);

    // in the whole committed history of detections, only the batch in flight was detected twice
    Dataset<Row> history = null;
    long latest =
        spark()
            .sql("DESCRIBE HISTORY delta.`" + w.resolve("detections") + "`")
            .selectExpr("max(version)")
            .first()
            .getLong(0);
    for (long v = 0; v <= latest; v++) {
      Dataset<Row> at =
          spark()
              .read()
              .format("delta")
              .option("versionAsOf", v)
              .load(w.resolve("detections").toString())
              .select("segment_id", "run_id");
      history = history == null ? at : history.union(at);
    }
    long twice = history.distinct().groupBy("segment_id").count().where("count > 1").count();
    assertThat(twice).as("segments detected by two runs").isLessThanOrEqualTo(2);

    for (Tables t : List.of(Tables.DETECTIONS, Tables.FRAMES, Tables.CROP_IDENTITIES)) {
      Dataset<Row> expected = Launcher.table(spark(), clean, t);
      Dataset<Row> actual = Launcher.table(spark(), w, t);
      assertThat(actual.count()).as(t.tableName()).isEqualTo(expected.count()).isPositive();
      assertDataFrameNoOrderEquals(expected, actual);
    }
    // one gallery version with the same means, however far the killed build got
    Dataset<Row> expected = Launcher.table(spark(), clean, Tables.GALLERY).drop("created_at");
    Dataset<Row> actual = Launcher.table(spark(), w, Tables.GALLERY).drop("created_at");
    assertDataFrameNoOrderEquals(expected, actual);
    // the killed runs recorded nothing as failed input
    assertThat(Launcher.table(spark(), w, Tables.REJECTED_INPUTS).count())
        .isEqualTo(Launcher.table(spark(), clean, Tables.REJECTED_INPUTS).count());
    System.out.printf(
        "kill and re-run: detections %d, frames %d, identities %d, gallery animals %d;"
            + " 0 lost, 0 duplicated%n",
        Launcher.table(spark(), w, Tables.DETECTIONS).count(),
        Launcher.table(spark(), w, Tables.FRAMES).count(),
        Launcher.table(spark(), w, Tables.CROP_IDENTITIES).count(),
        actual.count());
  }
}
