package org.farmid.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.farmid.jobs.cli.FarmIdCliTest.Result;
import org.farmid.jobs.testing.PenFixture;
import org.farmid.jobs.testing.SparkTestBase;
import org.farmid.jobs.testing.TestFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline commands as a user runs them, with the real default models on the tiny pen: exit
 * codes, the JSON contract of {@code run} and {@code evaluate}, and the {@code job_runs} table.
 */
class PipelineCliTest extends SparkTestBase {
  @TempDir static Path dir;
  static Path pen;

  @BeforeAll
  static void setUp() throws IOException {
    pen = PenFixture.write(dir.resolve("pen"));
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    System.setProperty("farmid.home", root.toString());
  }

  static Result farmid(String... args) {
    return FarmIdCliTest.farmid(args);
  }

  private static Result firstRun;

  /** The warehouse of {@link #firstRun}. */
  static Path firstWarehouse() {
    return dir.resolve("wh");
  }

  /** The JSON {@link #firstRun} wrote. */
  static Path firstJson() {
    return dir.resolve("run.json");
  }

  /**
   * The whole job run once for the class on the pen (into {@link #firstWarehouse}, its JSON in
   * {@link #firstJson}): the tests read it, or change a copy of it.
   */
  static synchronized Result firstRun() {
    if (firstRun == null) {
      firstRun = farmid(runArgs(firstWarehouse(), "--json", firstJson().toString()));
    }
    return firstRun;
  }

  @Test
  void runDoesTheWholeJobAndReportsTheContractedFigures() throws IOException {
    Path wh = firstWarehouse();
    Path json = firstJson();
    Result r = firstRun();
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(json.toFile());
    for (String key :
        List.of(
            "detection_precision",
            "detection_recall",
            "accuracy",
            "macro_f1",
            "weighted_f1",
            "unknown_rejection_rate",
            "false_unknown_rate",
            "per_animal",
            "run_id",
            "gallery_version")) {
      assertThat(j.has(key)).as(key).isTrue();
    }
    assertThat(j.get("videos").asInt()).isEqualTo(2);
    assertThat(j.get("rejected_videos").asInt()).isEqualTo(1);
    assertThat(j.get("segments").asInt()).isEqualTo(4);
    assertThat(j.get("frames_sampled").asInt()).isEqualTo(8);
    assertThat(j.get("enrolled_animals").asInt()).isEqualTo(2);
    assertThat(r.err()).contains("detect: 4/4 segments");
    assertThat(r.out()).contains("per-animal identity figures");

    List<Row> runs =
        sql(
            "SELECT command, status, counts['detect.segments'], gallery_version FROM delta.`%s`",
            wh.resolve("job_runs"));
    // version 1 from the enrolment, version 2 its means moved toward the crops voted under it
    // (gallery.adapt-weight), every video named and tracked again under it
    assertThat(runs.toString()).isEqualTo("[[run,succeeded,4,2]]");
    assertThat(j.get("adapted_new_version").asBoolean()).isTrue();
    assertThat(j.get("adapted_from_version").asInt()).isEqualTo(1);
    assertThat(j.get("gallery_version").asInt()).isEqualTo(2);
    assertThat(
            sql(
                    "SELECT gallery_version, count(*) FROM delta.`%s` GROUP BY 1 ORDER BY 1",
                    wh.resolve("gallery"))
                .toString())
        .isEqualTo("[[1,2], [2,2]]");

    // the same run again, dry: the plan says there is nothing to do, and nothing is written
    Result dry =
        farmid(
            "run",
            "--archive",
            pen.resolve("archive").toString(),
            "--enrol-crops",
            pen.resolve("enrol").toString(),
            "--warehouse",
            wh.toString(),
            "--segment-seconds",
            "2",
            "--dry-run");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.err())
        .contains(
            "run: plan for all footage: ingest probes 0 of 3 files (new or changed), 0 vanished")
        .contains("run: plan: detect 0 of 4 planned segments")
        .contains(
            "run: plan: classify the detections of 0 videos out of date under gallery version 2")
        .contains("run: --dry-run: nothing was probed, decoded or written");
    assertThat(sql("SELECT count(*) FROM delta.`%s`", wh.resolve("job_runs")).toString())
        .isEqualTo("[[1]]");
  }

  static String[] runArgs(Path wh, String... more) {
    List<String> all =
        new java.util.ArrayList<>(
            List.of(
                "run",
                "--archive",
                pen.resolve("archive").toString(),
                "--enrol-crops",
                pen.resolve("enrol").toString(),
                "--ground-truth",
                pen.toString(),
                "--warehouse",
                wh.toString(),
                "--segment-seconds",
                "2"));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  long lastVersion(Path table) {
    return spark()
        .sql("DESCRIBE HISTORY delta.`" + table + "`")
        .selectExpr("max(version)")
        .first()
        .getLong(0);
  }

  @Test
  void aRunOverUnchangedInputsStopsBeforeSparkAndAnyChangeRunsAgain() throws IOException {
    Result first = firstRun();
    assertThat(first.code()).as(first.err()).isZero();
    // on a copy of the first run's warehouse, so the other tests keep it as that run left it
    Path wh = TestFiles.copyTree(firstWarehouse(), dir.resolve("stamped"));
    Path json = dir.resolve("stamped.json");
    String firstRunId = new ObjectMapper().readTree(firstJson().toFile()).get("run_id").asText();
    long detections = lastVersion(wh.resolve("detections"));
    long identities = lastVersion(wh.resolve("identities"));

    Result again = farmid(runArgs(wh, "--json", json.toString()));
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.err())
        .contains("run: nothing new since run " + firstRunId + ": the 3 files of all footage")
        .doesNotContain("run: plan");
    JsonNode j = new ObjectMapper().readTree(json.toFile());
    assertThat(j.get("up_to_date_since_run").asText()).isEqualTo(firstRunId);
    assertThat(j.get("segments_detected").asInt()).isZero();
    assertThat(j.get("frames_decoded").asInt()).isZero();
    assertThat(j.has("run_id")).isFalse();
    assertThat(sql("SELECT count(*) FROM delta.`%s`", wh.resolve("job_runs")).toString())
        .isEqualTo("[[1]]");
    assertThat(lastVersion(wh.resolve("detections"))).isEqualTo(detections);
    assertThat(lastVersion(wh.resolve("identities"))).isEqualTo(identities);

    // other settings: the stamp does not cover them, so the plan is worked out with Spark
    Result other = farmid(runArgs(wh, "--sample-fps", "2", "--dry-run"));
    assertThat(other.code()).as(other.err()).isZero();
    assertThat(other.err()).doesNotContain("nothing new since").contains("run: plan for all");

    // a file touched since: the whole pipeline runs, ingest probes that file alone
    Path video;
    try (var walk = Files.walk(pen.resolve("archive"))) {
      video = walk.filter(p -> p.toString().endsWith(".mp4")).sorted().findFirst().orElseThrow();
    }
    java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(video);
    try {
      Files.setLastModifiedTime(
          video, java.nio.file.attribute.FileTime.fromMillis(modified.toMillis() + 60_000));
      Result touched = farmid(runArgs(wh));
      assertThat(touched.code()).as(touched.err()).isZero();
      assertThat(touched.err())
          .doesNotContain("nothing new since")
          .contains("run: plan for all footage: ingest probes 1 of 3 files (new or changed)");
      assertThat(sql("SELECT count(*) FROM delta.`%s`", wh.resolve("job_runs")).toString())
          .isEqualTo("[[2]]");

      // a table written by anything else since (here a stage run on its own) also voids the stamp
      Result stamped = farmid(runArgs(wh));
      assertThat(stamped.err()).contains("nothing new since run");
      Result classify = farmid("classify", "--warehouse", wh.toString());
      assertThat(classify.code()).as(classify.err()).isZero();
      Result afterClassify = farmid(runArgs(wh, "--dry-run"));
      assertThat(afterClassify.err()).doesNotContain("nothing new since").contains("run: plan");
    } finally {
      // the pen as the first run saw it, for the tests that read that run's warehouse
      Files.setLastModifiedTime(video, modified);
    }
  }

  @Test
  void aWarehouseUriWithAnUnknownSchemeOrAnUnreachableNameNodeIsOneMessage() {
    Result scheme =
        farmid(
            "ingest",
            "--archive",
            pen.resolve("archive").toString(),
            "--warehouse",
            "nosuchfs://bucket/farm/w");
    assertThat(scheme.code()).isEqualTo(2);
    assertThat(scheme.err())
        .contains("--warehouse nosuchfs://bucket/farm/w: no filesystem for scheme 'nosuchfs'");
    Result down =
        farmid(
            "ingest",
            "--archive",
            pen.resolve("archive").toString(),
            "--warehouse",
            "hdfs://127.0.0.1:1/farm/w");
    assertThat(down.code()).isEqualTo(2);
    assertThat(down.err())
        .contains(
            "--warehouse hdfs://127.0.0.1:1/farm/w: cannot reach 127.0.0.1:1 (ConnectException)");
    Result archive =
        farmid(
            "ingest",
            "--archive",
            "hdfs://127.0.0.1:1/farm/archive",
            "--warehouse",
            dir.resolve("w-archive-down").toString());
    assertThat(archive.code()).isEqualTo(1);
    assertThat(archive.err())
        .contains("--archive hdfs://127.0.0.1:1/farm/archive: cannot reach 127.0.0.1:1");
  }

  @Test
  void aDryRunOnANewWarehousePlansEverythingAndMakesNoTable() throws IOException {
    Path wh = dir.resolve("dry");
    Result dry =
        farmid(
            "run",
            "--archive",
            pen.resolve("archive").toString(),
            "--warehouse",
            wh.toString(),
            "--since",
            "2026-01-06",
            "--dry-run");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.err())
        .contains("run: plan for from 2026-01-06: ingest probes 2 of 2 files (new or changed)")
        .contains("run: plan: detect 0 of 0 planned segments, and the segments of the 2 files");
    try (var listed = Files.list(wh)) {
      assertThat(listed.toList()).isEmpty();
    }
    Result bad =
        farmid(
            "run",
            "--archive",
            pen.resolve("archive").toString(),
            "--warehouse",
            wh.toString(),
            "--since",
            "2026-13-01");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--since must be a day as yyyy-MM-dd, got '2026-13-01'");
  }

  @Test
  void aWarehouseThatIsAFileIsAUsageError() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    Result r =
        farmid(
            "ingest",
            "--archive",
            pen.resolve("archive").toString(),
            "--warehouse",
            file.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--warehouse " + file + " is a file");
  }

  @Test
  void badPipelineSettingsAreAllNamedBeforeSparkStarts() {
    Result r =
        farmid(
            "detect",
            "--warehouse",
            dir.resolve("w2").toString(),
            "--set",
            "pipeline.sample-fps=-1",
            "--set",
            "gallery.threshold-min=0.9",
            "--set",
            "gallery.threshold-max=0.5",
            "--set",
            "pipeline.detect-batch=0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("farmid.pipeline.sample-fps")
        .contains("farmid.gallery.threshold-max")
        .contains("farmid.pipeline.detect-batch");
    Result typo =
        farmid(
            "detect",
            "--warehouse",
            dir.resolve("w2").toString(),
            "--set",
            "pipeline.segment-secs=3");
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err())
        .contains("unknown key 'farmid.pipeline.segment-secs'")
        .contains("segment-seconds");
  }

  @Test
  void aStageBeforeItsInputsFailsWithWhatToRunAndIsLogged() {
    Path wh = dir.resolve("empty");
    Result r = farmid("classify", "--warehouse", wh.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("run `farmid gallery` first");
    List<Row> runs = sql("SELECT command, status FROM delta.`%s`", wh.resolve("job_runs"));
    assertThat(runs.toString()).isEqualTo("[[classify,failed]]");
  }

  @Test
  void aMissingModelIsRefusedBeforeAnyWork() {
    Result r =
        farmid(
            "detect",
            "--warehouse",
            dir.resolve("w3").toString(),
            "--set",
            "pipeline.embedder-model=/nonexistent/model");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("/nonexistent/model");
    // an embedder given as the detector: a SavedModel, but not the Object Detection signature
    Result wrong =
        farmid(
            "detect",
            "--warehouse",
            dir.resolve("w3").toString(),
            "--set",
            "pipeline.detector-model="
                + Path.of(System.getProperty("user.dir"))
                    .getParent()
                    .resolve("models/embedder-default"));
    assertThat(wrong.code()).isEqualTo(2);
    assertThat(wrong.err())
        .contains("embedder-default does not have the Object Detection API signature")
        .contains("farmid.pipeline.detector-model");
    assertThat(wrong.out()).doesNotContain("detect finished");
  }
}
