package org.farmid.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.farmid.common.config.FarmIdConfig;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.ingest.Selection;
import org.farmid.jobs.pipeline.classify.ClassifyStage;
import org.farmid.jobs.pipeline.detect.DetectStage;
import org.farmid.jobs.pipeline.enrol.EnrolStage;
import org.farmid.jobs.pipeline.gallery.GalleryStage;
import org.farmid.jobs.pipeline.ingest.IngestStage;
import org.farmid.jobs.pipeline.track.TrackStage;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;
import org.farmid.jobs.testing.PaletteModels;
import org.farmid.jobs.testing.PenFixture;
import org.farmid.jobs.testing.SparkTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental runs on the {@link PenFixture}: a re-run with nothing new writes nothing, a new day
 * is the only work and gives the rows a from-scratch run gives, detect works in committed batches
 * and redoes exactly what its fingerprint misses, and the selection flags bound every stage.
 */
class IncrementalPipelineTest extends SparkTestBase {
  @TempDir Path dir;

  static PipelineSettings settings(String... more) {
    List<String> o =
        new ArrayList<>(List.of("pipeline.segment-seconds=2", "pipeline.sample-fps=1"));
    o.addAll(List.of(more));
    return PipelineSettings.from(FarmIdConfig.load(List.of(), o));
  }

  static final PipelineSettings SETTINGS = settings();

  /** The outcomes of one pass of every stage (evaluate aside), by stage. */
  record Pass(
      IngestStage.Outcome ingest,
      DetectStage.Outcome detect,
      EnrolStage.Outcome enrol,
      ClassifyStage.Outcome classify,
      TrackStage.Outcome track,
      List<String> progress) {}

  Pass pipeline(Warehouse wh, Path pen, PipelineSettings s, Selection sel, boolean reprocess)
      throws IOException {
    List<String> progress = new ArrayList<>();
    RunContext run = new RunContext("run", "run", "test", progress::add);
    var models = new PaletteModels();
    IngestStage.Outcome in = IngestStage.run(wh, pen.resolve("archive"), s, sel, reprocess, run);
    DetectStage.Outcome det = DetectStage.run(wh, models, s, sel, reprocess, run);
    EnrolStage.Outcome en = EnrolStage.fromCrops(wh, pen.resolve("enrol"), models, run);
    GalleryStage.run(wh, "palette-embedder", null, pen.resolve("animals.csv"), s, run);
    ClassifyStage.Outcome cl = ClassifyStage.run(wh, null, s, sel, reprocess, run);
    TrackStage.Outcome tr = TrackStage.run(wh, null, s, sel, reprocess, run);
    return new Pass(in, det, en, cl, tr, progress);
  }

  Pass pipeline(Warehouse wh, Path pen) throws IOException {
    return pipeline(wh, pen, SETTINGS, Selection.all(), false);
  }

  static final List<Tables> RESULTS =
      List.of(
          Tables.VIDEOS,
          Tables.SEGMENTS,
          Tables.DETECTED_SEGMENTS,
          Tables.DETECTIONS,
          Tables.FRAMES,
          Tables.ENROLMENT,
          Tables.CROP_IDENTITIES,
          Tables.TRACKS,
          Tables.IDENTITIES);

  /** Each result table's rows, run ids included, materialised. */
  Map<Tables, List<Row>> rows(Warehouse wh) {
    Map<Tables, List<Row>> out = new LinkedHashMap<>();
    for (Tables t : RESULTS) {
      out.put(t, wh.read(t).collectAsList());
    }
    return out;
  }

  long deltaVersion(Warehouse wh, Tables t) {
    return sql("DESCRIBE HISTORY %s", wh.sqlName(t)).stream()
        .mapToLong(r -> r.getLong(r.fieldIndex("version")))
        .max()
        .orElseThrow();
  }

  @Test
  void aRerunWithNothingNewDecodesNothingAndCommitsNothing() throws IOException {
    Path pen = PenFixture.write(dir.resolve("pen"));
    Warehouse wh = new Warehouse(spark(), dir.resolve("wh"));
    Pass first = pipeline(wh, pen);
    assertThat(first.detect().segments()).isEqualTo(4);
    Map<Tables, List<Row>> before = rows(wh);
    Map<Tables, Long> versions = new LinkedHashMap<>();
    RESULTS.forEach(t -> versions.put(t, deltaVersion(wh, t)));

    Pass again = pipeline(wh, pen);
    assertThat(again.ingest().probed()).isZero();
    assertThat(again.ingest().unchanged()).isEqualTo(2);
    assertThat(again.ingest().rejected()).as("the corrupt file stays refused, unprobed").isOne();
    assertThat(again.ingest().videos()).isEqualTo(2);
    assertThat(again.ingest().segments()).isEqualTo(4);
    assertThat(again.detect().segments()).isZero();
    assertThat(again.detect().framesDecoded()).isZero();
    assertThat(again.detect().alreadyDetected()).isEqualTo(4);
    assertThat(again.enrol().rows()).isEqualTo(first.enrol().rows());
    assertThat(again.classify().videosClassified()).isZero();
    assertThat(again.classify().identities()).isEqualTo(first.classify().identities());
    assertThat(again.track().videosTracked()).isZero();
    assertThat(again.track().tracks()).isEqualTo(first.track().tracks());
    assertThat(again.progress())
        .contains(
            "detect: 0 segments to detect of 4 selected (all footage), in 0 batches of up to 64;"
                + " sampling 1.0 frames/s, detector palette-detector, embedder palette-embedder");
    for (Tables t : RESULTS) {
      assertThat(deltaVersion(wh, t)).as("commits to %s", t.tableName()).isEqualTo(versions.get(t));
      assertThat(wh.read(t).collectAsList())
          .as(t.tableName())
          .containsExactlyInAnyOrderElementsOf(before.get(t));
    }
  }

  @Test
  void otherTrackingSettingsTrackEveryVideoAgainAndRedoNothingElse() throws IOException {
    Path pen = PenFixture.write(dir.resolve("pen"));
    Warehouse wh = new Warehouse(spark(), dir.resolve("wh"));
    pipeline(wh, pen);
    List<Row> tracks = trackRows(wh);
    assertThat(trackFingerprints(wh)).containsExactly(SETTINGS.trackFingerprint());

    PipelineSettings other = settings("track.min-share=0.95", "track.unknown-weight=0.5");
    assertThat(other.trackFingerprint()).isNotEqualTo(SETTINGS.trackFingerprint());
    Pass changed = pipeline(wh, pen, other, Selection.all(), false);
    assertThat(changed.detect().segments()).isZero();
    assertThat(changed.classify().videosClassified()).isZero();
    assertThat(changed.track().videosTracked())
        .as("both videos, tracked under other settings")
        .isEqualTo(2);
    assertThat(trackFingerprints(wh)).containsExactly(other.trackFingerprint());

    assertThat(pipeline(wh, pen, other, Selection.all(), false).track().videosTracked())
        .as("the same settings again")
        .isZero();

    Pass back = pipeline(wh, pen);
    assertThat(back.track().videosTracked()).isEqualTo(2);
    assertThat(trackRows(wh))
        .as("the first settings give the first tracks again")
        .containsExactlyInAnyOrderElementsOf(tracks);
  }

  /** The distinct tracking-settings fingerprints the tracks carry. */
  List<String> trackFingerprints(Warehouse wh) {
    return wh.read(Tables.TRACKS)
        .select("track_fingerprint")
        .distinct()
        .as(Encoders.STRING())
        .collectAsList();
  }

  /** The tracks' rows without the run that wrote them. */
  List<Row> trackRows(Warehouse wh) {
    return wh.read(Tables.TRACKS).drop("run_id").collectAsList();
  }

  @Test
  void aNewDayIsTheOnlyWorkAndItsRowsEqualAFromScratchRun() throws IOException {
    Path pen = PenFixture.write(dir.resolve("pen"));
    Path later = dir.resolve("later");
    Files.move(pen.resolve("archive/cam01/2026-01-06"), later);
    Warehouse wh = new Warehouse(spark(), dir.resolve("wh"));
    Pass first = pipeline(wh, pen);
    assertThat(first.detect().segments()).isEqualTo(2);
    Map<Tables, List<Row>> before = rows(wh);

    Files.move(later, pen.resolve("archive/cam01/2026-01-06"));
    Pass next = pipeline(wh, pen);
    assertThat(next.ingest().probed()).as("the new day's two files").isEqualTo(2);
    assertThat(next.ingest().unchanged()).isOne();
    assertThat(next.detect().segments()).isEqualTo(2);
    assertThat(next.classify().videosClassified()).isOne();
    assertThat(next.track().videosTracked()).isOne();
    // every older row of detections and identities is the same row, run id and all
    for (Tables t : List.of(Tables.DETECTIONS, Tables.FRAMES, Tables.CROP_IDENTITIES)) {
      assertThat(wh.read(t).collectAsList()).as(t.tableName()).containsAll(before.get(t));
    }
    // and the whole of every table equals a from-scratch run over both days
    Warehouse scratch = new Warehouse(spark(), dir.resolve("scratch"));
    pipeline(scratch, pen);
    for (Tables t :
        List.of(
            Tables.SEGMENTS,
            Tables.DETECTIONS,
            Tables.FRAMES,
            Tables.CROP_IDENTITIES,
            Tables.TRACKS,
            Tables.IDENTITIES)) {
      assertDataFrameNoOrderEquals(withoutRuns(scratch, t), withoutRuns(wh, t));
    }
  }

  private Dataset<Row> withoutRuns(Warehouse wh, Tables t) {
    Dataset<Row> d = wh.read(t).drop("run_id", "detection_run_id", "identity_run_id");
    return spark().createDataFrame(d.collectAsList(), d.schema());
  }

  @Test
  void detectCommitsEachBatchAndRedoesExactlyWhatItsFingerprintMisses() throws IOException {
    Path pen = PenFixture.write(dir.resolve("pen"));
    Warehouse wh = new Warehouse(spark(), dir.resolve("wh"));
    PipelineSettings oneByOne = settings("pipeline.batch-segments=1");
    Pass first = pipeline(wh, pen, oneByOne, Selection.all(), false);
    assertThat(first.detect().batches()).isEqualTo(4);
    assertThat(first.progress())
        .anyMatch(
            l -> l.startsWith("detect: batch 1/4 committed, 1/4 segments of the backlog (25%)"))
        .anyMatch(
            l -> l.startsWith("detect: batch 4/4 committed, 4/4 segments of the backlog (100%)"));
    long writes =
        io.delta.tables.DeltaTable.forPath(spark(), wh.location(Tables.DETECTED_SEGMENTS))
            .history()
            .where("operation = 'WRITE'")
            .count();
    assertThat(writes).as("one commit per batch").isEqualTo(4);
    assertThat(
            sql(
                    "SELECT status, count(*), sum(frames_sampled), sum(detections) FROM %s GROUP BY 1",
                    wh.sqlName(Tables.DETECTED_SEGMENTS))
                .toString())
        .isEqualTo("[[done,4,8,26]]");

    // other detection settings: every segment again; the same settings again: none
    PipelineSettings stricter = settings("pipeline.score-threshold=0.5");
    assertThat(DetectStage.run(wh, new PaletteModels(), stricter, run()).segments()).isEqualTo(4);
    assertThat(DetectStage.run(wh, new PaletteModels(), stricter, run()).segments()).isZero();
    assertThat(
            DetectStage.run(wh, new PaletteModels(), stricter, Selection.all(), true, run())
                .segments())
        .as("--reprocess")
        .isEqualTo(4);

    // a file changed on disk: ingest probes it alone, detect redoes its two segments alone
    Path day2 = pen.resolve("archive/cam01/2026-01-06/10-00-00.mp4");
    Files.setLastModifiedTime(
        day2, FileTime.fromMillis(Files.getLastModifiedTime(day2).toMillis() + 60_000));
    IngestStage.Outcome in = IngestStage.run(wh, pen.resolve("archive"), stricter, run());
    assertThat(in.probed()).isOne();
    assertThat(in.newSegments()).isEqualTo(2);
    DetectStage.Outcome det = DetectStage.run(wh, new PaletteModels(), stricter, run());
    assertThat(det.segments()).isEqualTo(2);
    assertThat(det.alreadyDetected()).isEqualTo(2);
  }

  private static RunContext run() {
    return new RunContext("t", "t", "test", line -> {});
  }

  @Test
  void theSelectionBoundsEveryStageAndAVanishedFileKeepsItsResults() throws IOException {
    Path pen = PenFixture.write(dir.resolve("pen"));
    Warehouse wh = new Warehouse(spark(), dir.resolve("wh"));
    Selection day2 = Selection.parse("2026-01-06", null, "cam01");
    Pass first = pipeline(wh, pen, SETTINGS, day2, false);
    assertThat(first.ingest().probed()).as("day 2's good and corrupt files").isEqualTo(2);
    assertThat(first.ingest().videos()).isOne();
    assertThat(first.detect().segments()).isEqualTo(2);
    assertThat(first.classify().videosClassified()).isOne();
    assertThat(sql("SELECT DISTINCT date FROM %s", wh.sqlName(Tables.CROP_IDENTITIES)).toString())
        .isEqualTo("[[2026-01-06]]");
    Pass other = pipeline(wh, pen, SETTINGS, Selection.parse(null, null, "cam02"), false);
    assertThat(other.ingest().probed()).isZero();
    assertThat(other.detect().segments()).isZero();
    Pass rest = pipeline(wh, pen);
    assertThat(rest.ingest().probed()).as("day 1 only").isOne();
    assertThat(rest.detect().segments()).isEqualTo(2);
    assertThat(rest.classify().videosClassified()).isOne();

    long detections = wh.read(Tables.DETECTIONS).count();
    Files.delete(pen.resolve("archive/cam01/2026-01-05/10-00-00.mp4"));
    Pass gone = pipeline(wh, pen);
    assertThat(gone.ingest().vanished()).isOne();
    assertThat(gone.ingest().videos()).isOne();
    assertThat(gone.ingest().segments()).isEqualTo(2);
    assertThat(gone.detect().segments()).isZero();
    assertThat(gone.classify().videosClassified()).isZero();
    assertThat(wh.read(Tables.DETECTIONS).count()).isEqualTo(detections);
    assertThat(
            sql(
                    "SELECT video_id, missing_since IS NOT NULL FROM %s ORDER BY 1",
                    wh.sqlName(Tables.VIDEOS))
                .toString())
        .isEqualTo("[[cam01/2026-01-05/10-00-00.mp4,true], [cam01/2026-01-06/10-00-00.mp4,false]]");
  }
}
