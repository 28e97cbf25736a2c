package org.farmid.jobs.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.farmid.common.config.FarmIdConfig;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.embed.Embeddings;
import org.farmid.common.gallery.GalleryEntry;
import org.farmid.jobs.bench.SettingsSearch;
import org.farmid.jobs.pipeline.classify.ClassifyStage;
import org.farmid.jobs.pipeline.detect.DetectStage;
import org.farmid.jobs.pipeline.enrol.EnrolStage;
import org.farmid.jobs.pipeline.evaluate.EvaluateStage;
import org.farmid.jobs.pipeline.gallery.GalleryStage;
import org.farmid.jobs.pipeline.ingest.IngestStage;
import org.farmid.jobs.pipeline.runtime.ModelProvider;
import org.farmid.jobs.pipeline.track.TrackStage;
import org.farmid.jobs.spark.FaultSwitch;
import org.farmid.jobs.spark.Rows;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;
import org.farmid.jobs.testing.PaletteModels;
import org.farmid.jobs.testing.PenFixture;
import org.farmid.jobs.testing.SparkTestBase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every stage on the hand-computable {@link PenFixture} with the palette fakes, compared with the
 * golden tables in {@code pen/} (worked out from the fixture's definition, not from a run).
 */
class PenPipelineTest extends SparkTestBase {
  @TempDir static Path dir;
  static Path pen;
  static final List<String> SETTINGS_PAIRS =
      List.of("pipeline.segment-seconds=2", "pipeline.sample-fps=1");
  static final PipelineSettings SETTINGS =
      PipelineSettings.from(FarmIdConfig.load(List.of(), SETTINGS_PAIRS));

  @BeforeAll
  static void writePen() throws IOException {
    pen = PenFixture.write(dir.resolve("pen"));
  }

  static RunContext run(String command, List<String> progress) {
    return new RunContext(command, command, "test", progress::add);
  }

  /** Runs every stage into a fresh warehouse; returns it. */
  Warehouse pipeline(Path root, List<String> progress) throws IOException {
    Warehouse wh = new Warehouse(spark(), root);
    ModelProvider models = new PaletteModels();
    IngestStage.run(wh, pen.resolve("archive"), SETTINGS, run("ingest", progress));
    DetectStage.run(wh, models, SETTINGS, run("detect", progress));
    EnrolStage.fromCrops(wh, pen.resolve("enrol"), models, run("enrol", progress));
    GalleryStage.run(
        wh,
        "palette-embedder",
        null,
        pen.resolve("animals.csv"),
        SETTINGS,
        run("gallery", progress));
    ClassifyStage.run(wh, null, SETTINGS, run("classify", progress));
    EvaluateStage.run(wh, pen, null, SETTINGS, run("evaluate", progress));
    return wh;
  }

  private void assertDetectionsAreGolden(Warehouse wh) {
    assertMatchesGolden(
        getClass(),
        "pen/detections.csv",
        wh.read(Tables.DETECTIONS)
            .select(
                "detection_id",
                "segment_id",
                "date",
                "frame_index",
                "frame_offset_s",
                "box_left",
                "box_top",
                "box_width",
                "box_height",
                "multi_animal",
                "infrared"));
  }

  @Test
  void everyStageGivesTheHandComputedTables() throws IOException {
    List<String> progress = new ArrayList<>();
    Warehouse wh = pipeline(dir.resolve("wh1"), progress);

    assertMatchesGolden(
        getClass(),
        "pen/segments.csv",
        wh.read(Tables.SEGMENTS)
            .select(
                "segment_id",
                "video_id",
                "camera",
                "date",
                "segment_index",
                "start_s",
                "end_s",
                "to_end"));
    List<Row> rejected = wh.read(Tables.REJECTED_INPUTS).collectAsList();
    assertThat(rejected).hasSize(1);
    assertThat(rejected.get(0).<String>getAs("path")).endsWith("cam01/2026-01-06/11-00-00.mp4");
    assertThat(rejected.get(0).<String>getAs("stage")).isEqualTo("ingest");

    assertDetectionsAreGolden(wh);
    assertThat(wh.read(Tables.FRAMES).count()).isEqualTo(8);

    Dataset<Row> gallery = wh.read(Tables.GALLERY);
    assertThat(
            gallery
                .select("animal_id", "crops", "spread_p95", "threshold", "status")
                .orderBy("animal_id")
                .collectAsList()
                .toString())
        .isEqualTo("[[1,2,0.0,0.3,active], [2,2,0.0,0.3,active]]");

    assertMatchesGolden(
        getClass(),
        "pen/crop_identities.csv",
        wh.read(Tables.CROP_IDENTITIES)
            .select(
                col("detection_id"),
                col("animal_id"),
                col("nearest_animal"),
                expr("round(distance, 6)").as("distance"),
                expr("round(margin, 6)").as("margin"),
                expr("round(threshold, 6)").as("threshold"),
                col("gallery_version")));
    assertMatchesGolden(
        getClass(),
        "pen/metrics.csv",
        wh.read(Tables.METRICS)
            .select(
                col("animal_id"),
                col("metric"),
                expr("round(value, 6)").as("value"),
                col("support")));
    assertMatchesGolden(
        getClass(),
        "pen/confusion.csv",
        wh.read(Tables.CONFUSION).select("true_label", "predicted_label", "count"));
    assertThat(progress).anyMatch(l -> l.startsWith("detect: 4/4 segments"));
  }

  @Test
  void tasksFailingTheirFirstAttemptAreRetriedAndChangeNoRow() throws IOException {
    List<String> progress = new ArrayList<>();
    Warehouse wh = new Warehouse(spark(), dir.resolve("faults"));
    IngestStage.run(wh, pen.resolve("archive"), SETTINGS, run("ingest", progress));
    int before = FaultSwitch.injected();
    spark()
        .conf()
        .set(FaultSwitch.KEY, "cam01/2026-01-05/10-00-00.mp4#1, cam01/2026-01-06/10-00-00.mp4#0");
    DetectStage.Outcome o;
    try {
      o = DetectStage.run(wh, new PaletteModels(), SETTINGS, run("detect", progress));
    } finally {
      spark().conf().unset(FaultSwitch.KEY);
    }
    // both tasks failed once (Spark retried them: the test session allows 2 attempts) ...
    assertThat(FaultSwitch.injected() - before).isEqualTo(2);
    assertThat(o.failed()).isZero();
    // ... and the tables are those of an undisturbed run: nothing lost, nothing twice
    assertDetectionsAreGolden(wh);
    assertThat(wh.read(Tables.FRAMES).count()).isEqualTo(8);
    assertThat(wh.read(Tables.REJECTED_INPUTS).where("stage = 'detect'").count()).isZero();
  }

  @Test
  void twoClassifyRunsAtOnceBothFinishAndLeaveOneWholeCopy() throws Exception {
    List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
    Warehouse wh = pipeline(dir.resolve("concurrent"), progress);
    List<Row> before = wh.read(Tables.CROP_IDENTITIES).drop("run_id").collectAsList();
    long commitsBefore =
        spark().sql("DESCRIBE HISTORY delta.`" + wh.location(Tables.CROP_IDENTITIES) + "`").count();
    // two classify runs of the same gallery version, each with its own warehouse handle as two
    // processes would have, started together, each asked to redo every identity
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    java.util.concurrent.Callable<ClassifyStage.Outcome> classify =
        () ->
            ClassifyStage.run(
                new Warehouse(spark(), wh.root()),
                null,
                SETTINGS,
                org.farmid.common.ingest.Selection.all(),
                true,
                run("classify", progress));
    List<java.util.concurrent.Future<ClassifyStage.Outcome>> runs;
    try {
      runs = pool.invokeAll(List.of(classify, classify));
    } finally {
      pool.shutdown();
    }
    for (var f : runs) {
      assertThat(f.get().identities()).isEqualTo(before.size());
    }
    // the table is whole: exactly the rows of one run, none lost, none twice
    Dataset<Row> after = wh.read(Tables.CROP_IDENTITIES).drop("run_id");
    assertThat(after.count()).isEqualTo(before.size());
    assertThat(after.select("detection_id").distinct().count()).isEqualTo(before.size());
    assertDataFrameNoOrderEquals(spark().createDataFrame(before, after.schema()), after);
    assertThat(
            spark()
                .sql("DESCRIBE HISTORY delta.`" + wh.location(Tables.CROP_IDENTITIES) + "`")
                .count())
        .isEqualTo(commitsBefore + 2);
  }

  @Test
  void enrolmentRecordsUnreadableCropsAndNamesSingleAndEmptyAnimals() throws IOException {
    Path crops = dir.resolve("odd-crops");
    PenFixture.enrolCrops(crops, "1", java.awt.Color.RED, 2);
    PenFixture.enrolCrops(crops, "2", java.awt.Color.GREEN, 1);
    java.nio.file.Files.writeString(crops.resolve("1/broken.png"), "not an image\n");
    java.nio.file.Files.createDirectories(crops.resolve("3"));
    Warehouse wh = new Warehouse(spark(), dir.resolve("odd-enrol"));
    List<String> progress = new ArrayList<>();
    EnrolStage.Outcome o =
        EnrolStage.fromCrops(wh, crops, new PaletteModels(), run("enrol", progress));
    assertThat(o.rows()).isEqualTo(3);
    assertThat(o.rejected()).isEqualTo(1);
    assertThat(o.notes())
        .containsExactlyInAnyOrder(
            "animal 2 has a single usable crop (allowed; its spread is 0)",
            "animal 3 has no crops in its folder and is not enrolled");
    List<Row> rejected = wh.read(Tables.REJECTED_INPUTS).collectAsList();
    assertThat(rejected).hasSize(1);
    assertThat(rejected.get(0).<String>getAs("path")).endsWith("1/broken.png");
    assertThat(rejected.get(0).<String>getAs("stage")).isEqualTo("enrol");
    assertThat(
            wh.read(Tables.ENROLMENT)
                .groupBy("animal_id")
                .count()
                .orderBy("animal_id")
                .collectAsList()
                .toString())
        .isEqualTo("[[1,2], [2,1]]");
  }

  @Test
  void tracksFollowEachSquareAndScoreAsWorkedOut() throws IOException {
    List<String> progress = new ArrayList<>();
    Warehouse wh = pipeline(dir.resolve("wh5"), progress);
    TrackStage.run(wh, null, SETTINGS, run("track", progress));
    assertMatchesGolden(
        getClass(),
        "pen/tracks.csv",
        wh.read(Tables.TRACKS)
            .select(
                col("track_id"),
                col("first_frame"),
                col("last_frame"),
                col("detections"),
                col("animal_id"),
                expr("round(vote_strength, 6)").as("vote_strength")));
    // every detection has its final identity, the animal voted along its track, with the crop's
    // own beside it
    Dataset<Row> finalIds =
        wh.read(Tables.IDENTITIES)
            .select("detection_id", "track_id", "crop_animal_id", "animal_id", "gallery_version");
    assertMatchesGolden(getClass(), "pen/identities.csv", finalIds);
    assertThat(finalIds.count()).isEqualTo(wh.read(Tables.CROP_IDENTITIES).count());
    EvaluateStage.Outcome e = EvaluateStage.run(wh, pen, null, SETTINGS, run("evaluate", progress));
    // 26 boxes on sampled frames, 22 matched, 4 magenta misses, 4 yellow false positives, no
    // switches: MOTA 1 - 8/26, IDF1 2 * 22 / (26 + 26); boxes are exact, so MOTP 0.
    assertThat(e.mot().mota()).isCloseTo(1 - 8.0 / 26, within(1e-9));
    assertThat(e.mot().idf1()).isCloseTo(44.0 / 52, within(1e-9));
    assertThat(e.mot().idSwitches()).isZero();
    assertThat(e.mot().motp()).isCloseTo(0, within(1e-9));
    assertThat(e.trackFigures().macroF1()).isCloseTo(0.833333, within(1e-6));
    // all videos, then A (14 boxes, 4 missed: 1 - 4/14) and B (12 boxes, 4 spurious: 1 - 4/12)
    assertThat(
            sql(
                    "SELECT video, round(value, 6) FROM %s WHERE metric = 'mota' ORDER BY video",
                    wh.sqlName(Tables.METRICS))
                .toString())
        .isEqualTo(
            "[[null,0.692308], [cam01/2026-01-05/10-00-00,0.714286],"
                + " [cam01/2026-01-06/10-00-00,0.666667]]");
    theSettingsSearchScoresAsTrackAndEvaluateDid(wh, dir.resolve("wh5"), e, progress);
  }

  /**
   * {@code bench settings} on the tracked and evaluated warehouse {@code wh}: it scores as {@code
   * track} and {@code evaluate} did ({@code e}) without running them again. Called by {@link
   * #tracksFollowEachSquareAndScoreAsWorkedOut}, which has made that warehouse.
   */
  private void theSettingsSearchScoresAsTrackAndEvaluateDid(
      Warehouse wh, Path root, EvaluateStage.Outcome e, List<String> progress) throws IOException {
    SettingsSearch.Evidence evidence =
        SettingsSearch.read(
            spark(), new SettingsSearch.Case("pen", root, pen), SETTINGS, progress::add);
    assertThat(evidence.crops()).isEqualTo(wh.read(Tables.CROP_IDENTITIES).count());
    // under the settings the warehouse was made with, every crop keeps the name classify gave it
    // and every figure is the one evaluate wrote
    assertThat(evidence.relabelled(SETTINGS)).isZero();
    Map<String, Object> same = SettingsSearch.figures(evidence, SETTINGS);
    Map<String, Object> written = e.report();
    assertThat(same).hasSize(7 + 5 + 9);
    same.forEach(
        (k, v) ->
            assertThat(((Number) v).doubleValue())
                .as(k)
                .isCloseTo(((Number) written.get(k)).doubleValue(), within(1e-12)));
    assertThat((double) same.get("idf1")).isCloseTo(44.0 / 52, within(1e-12));
    assertThat((double) same.get("track_macro_f1")).isCloseTo(0.833333, within(1e-6));
    // thresholds of 2, the largest distance of unit vectors, name every crop alone after its
    // nearest mean: no visitor and no registered animal is unknown, and the crops classify called
    // unknown are the ones named otherwise
    List<String> all =
        List.of(
            "gallery.threshold-min=2", "gallery.threshold-max=2", "gallery.frame-exclusive=false");
    PipelineSettings allSettings =
        PipelineSettings.from(FarmIdConfig.load(List.of(), concat(SETTINGS_PAIRS, all)));
    Map<String, Object> named = SettingsSearch.figures(evidence, allSettings);
    assertThat(named.get("unknown_rejection_rate")).isEqualTo(0.0);
    assertThat(named.get("false_unknown_rate")).isEqualTo(0.0);
    assertThat(evidence.relabelled(allSettings))
        .isEqualTo(wh.read(Tables.CROP_IDENTITIES).where("animal_id = 'unknown'").count())
        .isGreaterThanOrEqualTo(10); // 6 visitors and 4 crops of animal 2 (confusion.csv)
    // named together, frame by frame, every one of those crops stays unknown: each shares its
    // frame with a crop at distance 0 from every animal it could take (crop_identities.csv)
    PipelineSettings allTogether =
        PipelineSettings.from(
            FarmIdConfig.load(
                List.of(),
                concat(
                    SETTINGS_PAIRS,
                    List.of(
                        "gallery.threshold-min=2",
                        "gallery.threshold-max=2",
                        "gallery.frame-exclusive=true"))));
    assertThat(evidence.relabelled(allTogether)).isZero();
    // the search ranks the configured settings first, by the shortfall of their own figures
    List<Map<String, Object>> rows =
        SettingsSearch.search(
            List.of(evidence),
            List.of(all, List.of()),
            combo -> combo.isEmpty() ? SETTINGS : allSettings,
            progress::add);
    assertThat(rows).extracting(r -> r.get("settings")).containsExactly(List.of(), all);
    assertThat((double) rows.get(0).get("shortfall"))
        .isCloseTo(SettingsSearch.shortfall(List.of(same)), within(1e-12));
    // per-crop and track-voted macro F1 (0.833) and IDF1 (0.846) miss their goals on the pen;
    // naming every crop cannot meet the visitors goal
    assertThat(rows.get(0).get("goals_met")).isEqualTo(SettingsSearch.goalsMet(List.of(same)));
    assertThat((int) rows.get(0).get("goals_met")).isLessThanOrEqualTo(2);
    assertThat((int) rows.get(1).get("goals_met"))
        .isLessThanOrEqualTo((int) rows.get(0).get("goals_met"));
    theGalleryMovedToTheArchiveIsTheMeanOfEachAnimalsTrackedCrops(wh, evidence);
  }

  /**
   * {@code bench settings --adapt-weights 1}: each animal's mean becomes the re-normalised mean of
   * the embeddings of the crops {@code track} voted for it ({@code identities}), in their light; an
   * animal without such crops keeps its enrolment mean.
   */
  private void theGalleryMovedToTheArchiveIsTheMeanOfEachAnimalsTrackedCrops(
      Warehouse wh, SettingsSearch.Evidence evidence) {
    Map<String, List<float[]>> colour = new TreeMap<>();
    Map<String, List<float[]>> night = new TreeMap<>();
    for (Row r :
        wh.read(Tables.IDENTITIES)
            .where("animal_id != 'unknown'")
            .select("detection_id", "animal_id")
            .join(
                wh.read(Tables.DETECTIONS).select("detection_id", "embedding", "infrared"),
                "detection_id")
            .collectAsList()) {
      (Rows.infrared(r) ? night : colour)
          .computeIfAbsent(r.getAs("animal_id"), k -> new ArrayList<>())
          .add(Rows.floats(r, "embedding"));
    }
    assertThat(colour).isNotEmpty();
    // the fixture's crops lie on their animals' enrolment means: nudge every mean off its place
    // (no crop changes its name), and the archive's crops must bring each named animal's back
    List<GalleryEntry> nudged = new ArrayList<>();
    for (GalleryEntry g : evidence.gallery()) {
      float[] m = g.mean().clone();
      m[0] += 0.1f;
      m[1] -= 0.1f;
      nudged.add(
          g.withMeans(Embeddings.normalize(m), g.infrared() == null ? null : g.infrared().mean()));
    }
    SettingsSearch.Evidence off = evidence.withGallery(nudged);
    assertThat(off.relabelled(SETTINGS)).isZero();
    SettingsSearch.Evidence moved = off.adapted(SETTINGS, new SettingsSearch.Adapt(1.0, false));
    int back = 0;
    for (int i = 0; i < nudged.size(); i++) {
      GalleryEntry before = nudged.get(i);
      GalleryEntry after = moved.gallery().get(i);
      assertThat(after.animalId()).isEqualTo(before.animalId());
      assertThat(after.threshold()).isEqualTo(before.threshold());
      List<float[]> crops = colour.get(before.animalId());
      float[] expected = crops == null ? before.mean() : Embeddings.normalizedMean(crops);
      assertThat(after.mean()).as(before.animalId()).containsExactly(expected, within(1e-5f));
      if (Embeddings.distance(before.mean(), expected) > 1e-3) {
        back++;
      }
    }
    assertThat(back).isEqualTo(colour.size());
    assertThat(night).isEmpty();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  @Test
  void runningEverythingTwiceGivesIdenticalTables() throws IOException {
    List<String> progress = new ArrayList<>();
    Warehouse wh = pipeline(dir.resolve("wh2"), progress);
    List<Dataset<Row>> first = snapshot(wh);
    pipeline(dir.resolve("wh2"), progress);
    List<Dataset<Row>> second = snapshot(wh);
    for (int i = 0; i < first.size(); i++) {
      assertDataFrameNoOrderEquals(first.get(i), second.get(i));
    }
    assertThat(wh.read(Tables.GALLERY).select("gallery_version").distinct().count()).isEqualTo(1);
    assertThat(wh.read(Tables.JOB_RUNS).count()).isZero(); // stages alone do not log runs
  }

  /** Contents without run ids, materialised so later writes cannot change them. */
  private List<Dataset<Row>> snapshot(Warehouse wh) {
    List<Dataset<Row>> out = new ArrayList<>();
    for (Tables t :
        List.of(
            Tables.SEGMENTS,
            Tables.DETECTIONS,
            Tables.FRAMES,
            Tables.ENROLMENT,
            Tables.CROP_IDENTITIES,
            Tables.METRICS,
            Tables.CONFUSION)) {
      Dataset<Row> d = wh.read(t).drop("run_id");
      out.add(spark().createDataFrame(d.collectAsList(), d.schema()));
    }
    return out;
  }

  @Test
  void aHerdChangeNeedsNoRetrainingAndKeepsTheOldGalleryQueryable() throws IOException {
    List<String> progress = new ArrayList<>();
    Warehouse wh = pipeline(dir.resolve("wh3"), progress);
    long galleryCommitV1 = lastDeltaVersion(wh, Tables.GALLERY);
    // Blue (901) joins the herd as animal 4: enrol its crops, rebuild, re-classify.
    Path newcomer = dir.resolve("newcomer");
    PenFixture.enrolCrops(newcomer, "4", java.awt.Color.BLUE, 3);
    EnrolStage.fromCrops(wh, newcomer, new PaletteModels(), run("enrol", progress));
    GalleryStage.Outcome g =
        GalleryStage.run(
            wh, "palette-embedder", null, pen.resolve("animals.csv"), SETTINGS, run("g", progress));
    assertThat(g.version()).isEqualTo(2);
    assertThat(g.created()).isTrue();
    ClassifyStage.run(wh, null, SETTINGS, run("classify", progress));

    List<Row> blue =
        sql(
            "SELECT gallery_version, animal_id, count(*) FROM %s"
                + " WHERE detection_id IN (SELECT detection_id FROM %s WHERE box_left = 60)"
                + " GROUP BY 1, 2 ORDER BY 1, 2",
            wh.sqlName(Tables.CROP_IDENTITIES), wh.sqlName(Tables.CROP_IDENTITIES));
    assertThat(blue.toString()).isEqualTo("[[1,unknown,6], [2,4,6]]");
    List<Row> old =
        sql(
            "SELECT gallery_version, count(*) FROM %s VERSION AS OF %d GROUP BY 1",
            wh.sqlName(Tables.GALLERY), galleryCommitV1);
    assertThat(old.toString()).isEqualTo("[[1,2]]");
    assertThat(wh.read(Tables.GALLERY).count()).isEqualTo(5);
  }

  private long lastDeltaVersion(Warehouse wh, Tables t) {
    return sql("DESCRIBE HISTORY %s", wh.sqlName(t)).stream()
        .mapToLong(r -> r.getLong(r.fieldIndex("version")))
        .max()
        .orElseThrow();
  }

  @Test
  void aVideoThatVanishesBeforeDetectIsRecordedAndItsEarlierRowsKept() throws IOException {
    List<String> progress = new ArrayList<>();
    Path copy = dir.resolve("pen-copy");
    PenFixture.write(copy);
    Warehouse wh = new Warehouse(spark(), dir.resolve("wh6"));
    ModelProvider models = new PaletteModels();
    IngestStage.run(wh, copy.resolve("archive"), SETTINGS, run("ingest", progress));
    DetectStage.run(wh, models, SETTINGS, run("detect", progress));
    List<Row> before = wh.read(Tables.DETECTIONS).drop("run_id").collectAsList();
    assertThat(before).hasSize(26);

    java.nio.file.Files.delete(copy.resolve("archive/cam01/2026-01-06/10-00-00.mp4"));
    // detected before, so detect is asked to redo it; ingest has not seen the file go
    DetectStage.Outcome o =
        DetectStage.run(
            wh,
            models,
            SETTINGS,
            org.farmid.common.ingest.Selection.all(),
            true,
            run("detect", progress));
    assertThat(o.failed()).isEqualTo(2);
    List<Row> rejected =
        sql(
            "SELECT stage, count(*) FROM %s WHERE path LIKE '%%2026-01-06/10-00-00.mp4'"
                + " GROUP BY stage",
            wh.sqlName(Tables.REJECTED_INPUTS));
    assertThat(rejected.toString()).isEqualTo("[[detect,2]]");
    // The vanished video's 16 detections from the first run are kept; nothing is duplicated.
    assertThat(wh.read(Tables.DETECTIONS).drop("run_id").collectAsList())
        .containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void enrolmentFromGroundTruthLabelsTheMatchedDetectionsOfRegisteredAnimals() throws IOException {
    List<String> progress = new ArrayList<>();
    Warehouse wh = new Warehouse(spark(), dir.resolve("wh7"));
    IngestStage.run(wh, pen.resolve("archive"), SETTINGS, run("ingest", progress));
    DetectStage.run(wh, new PaletteModels(), SETTINGS, run("detect", progress));
    EnrolStage.Outcome o =
        EnrolStage.fromGroundTruth(
            wh, pen, java.time.LocalDate.of(2026, 1, 5), SETTINGS, run("enrol", progress));
    // Up to 01-05 only video A counts: red (1) and green (2) on 4 sampled frames each; the
    // visitor is not enrolled, magenta was never detected.
    assertThat(o.rows()).isEqualTo(8);
    assertThat(
            sql(
                    "SELECT animal_id, count(*), min(crop_ref), max(date) FROM %s GROUP BY 1 ORDER BY 1",
                    wh.sqlName(Tables.ENROLMENT))
                .toString())
        .isEqualTo(
            "[[1,4,cam01/2026-01-05/10-00-00.mp4#0#0,2026-01-05],"
                + " [2,4,cam01/2026-01-05/10-00-00.mp4#0#1,2026-01-05]]");
    GalleryStage.Outcome g =
        GalleryStage.run(wh, "palette-embedder", null, null, SETTINGS, run("gallery", progress));
    assertThat(g.active()).isEqualTo(2);
  }

  @Test
  void historyCarriesTheRunId() throws IOException {
    List<String> progress = new ArrayList<>();
    Warehouse wh = new Warehouse(spark(), dir.resolve("wh4"));
    RunContext ingest = run("ingest", progress);
    IngestStage.run(wh, pen.resolve("archive"), SETTINGS, ingest);
    List<Row> history = sql("DESCRIBE HISTORY %s", wh.sqlName(Tables.VIDEOS));
    assertThat(history.get(0).<String>getAs("userMetadata")).isEqualTo("run_id=" + ingest.runId());
    assertThat(ingest.counts()).containsEntry("videos", 2L).containsEntry("rejected", 1L);
    assertThat(wh.read(Tables.VIDEOS).select("fps").first().getDouble(0))
        .isCloseTo(5.0, within(1e-9));
  }
}
