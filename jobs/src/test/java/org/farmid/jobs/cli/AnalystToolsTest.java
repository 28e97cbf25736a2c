package org.farmid.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.farmid.common.config.FarmIdConfig;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.sql.SqlNotebook;
import org.farmid.common.video.VideoFrame;
import org.farmid.jobs.pipeline.classify.ClassifyStage;
import org.farmid.jobs.pipeline.detect.DetectStage;
import org.farmid.jobs.pipeline.enrol.EnrolStage;
import org.farmid.jobs.pipeline.evaluate.EvaluateStage;
import org.farmid.jobs.pipeline.gallery.GalleryStage;
import org.farmid.jobs.pipeline.ingest.IngestStage;
import org.farmid.jobs.pipeline.runtime.ModelProvider;
import org.farmid.jobs.pipeline.track.TrackStage;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;
import org.farmid.jobs.testing.PaletteModels;
import org.farmid.jobs.testing.PenFixture;
import org.farmid.jobs.testing.SparkTestBase;
import org.farmid.jobs.testing.TestFiles;
import org.farmid.models.video.SegmentDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What analysts and operators use on a warehouse the whole pipeline wrote (the hand-checkable pen,
 * palette models): every notebook, the sql command's formats, prompt and exit codes, the report's
 * pictures and projector files, and the annotated video.
 */
class AnalystToolsTest extends SparkTestBase {
  @TempDir static Path dir;
  private static Path pen;
  private static Warehouse wh;

  /** The pen through every stage, once for the class. */
  private Warehouse warehouse() {
    if (wh != null) {
      return wh;
    }
    PipelineSettings s =
        PipelineSettings.from(
            FarmIdConfig.load(
                List.of(), List.of("pipeline.segment-seconds=2", "pipeline.sample-fps=1")));
    Warehouse w = new Warehouse(spark(), dir.resolve("wh"));
    RunContext run = new RunContext("run", "test", "test", line -> {});
    ModelProvider models = new PaletteModels();
    try {
      pen = PenFixture.write(dir.resolve("pen"));
      IngestStage.run(w, pen.resolve("archive"), s, run);
      DetectStage.run(w, models, s, run);
      EnrolStage.fromCrops(w, pen.resolve("enrol"), models, run);
      GalleryStage.run(w, "palette-embedder", null, pen.resolve("animals.csv"), s, run);
      ClassifyStage.run(w, null, s, run);
      TrackStage.run(w, null, s, run);
      EvaluateStage.run(w, pen, null, s, run);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    wh = w;
    return w;
  }

  private record Result(int code, String out, String err) {}

  private Result farmid(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = FarmId.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  /** {@code sql --format csv} of one query on the warehouse at {@code root}. */
  private Result csv(Path root, String query) {
    return farmid("sql", "--warehouse", root.toString(), "--format", "csv", query);
  }

  private Result sql(String... args) {
    List<String> all =
        new ArrayList<>(List.of("sql", "--warehouse", warehouse().root().toString()));
    all.addAll(List.of(args));
    return farmid(all.toArray(String[]::new));
  }

  @Test
  void everyCellOfEveryNotebookReturnsRows() throws IOException {
    Warehouse w = warehouse();
    Path notebooks =
        Path.of(System.getProperty("user.dir")).getParent().resolve("notebooks-export");
    List<Path> files;
    try (Stream<Path> list = Files.list(notebooks)) {
      files = list.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(6);
    w.registerTables();
    for (Path f : files) {
      for (SqlNotebook.Cell c : SqlNotebook.parse(Files.readString(f))) {
        assertThat(spark().sql(c.sql()).count())
            .as(f.getFileName() + " cell " + c.number())
            .isPositive();
      }
    }
    // and through the command, as an analyst runs it
    Result r = sql("-f", notebooks.resolve("herd-overview.sql").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("-- cell 2").contains("animals_seen").contains("cam01");
  }

  @Test
  void sqlExitCodesAreTwoForSyntaxOneForUnknownTableZeroForEmpty() {
    Result syntax = sql("SELEC animal_id FROM gallery");
    assertThat(syntax.code()).isEqualTo(2);
    assertThat(syntax.err())
        .contains("SQL syntax error")
        .contains("'SELEC'")
        .doesNotContain("\tat ");

    Result unknown = sql("SELECT * FROM no_such_table");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err())
        .contains("TABLE_OR_VIEW_NOT_FOUND")
        .contains("`no_such_table`")
        .doesNotContain("\tat ")
        .doesNotContain("UnresolvedRelation");

    Result empty = sql("SELECT animal_id FROM gallery WHERE animal_id = 'nobody'");
    assertThat(empty.code()).as(empty.err()).isZero();
    assertThat(empty.out()).isEqualTo("(0 rows)\n");
  }

  @Test
  void sqlRefusesEveryKindOfChangeUnlessWriteIsGivenDecidingFromThePlan() throws IOException {
    Warehouse w = warehouse();
    String gallery = "delta.`" + w.location(Tables.GALLERY) + "`";
    long identities =
        spark().read().format("delta").load(w.location(Tables.CROP_IDENTITIES)).count();
    String[][] changes = {
      {"DELETE FROM identities WHERE animal_id = '3'", "DELETE"},
      {"UPDATE identities SET animal_id = 'x'", "UPDATE"},
      {"INSERT INTO " + gallery + " SELECT * FROM gallery", "INSERT"},
      {
        "MERGE INTO "
            + gallery
            + " g USING gallery h ON g.animal_id = h.animal_id"
            + " WHEN MATCHED THEN DELETE",
        "MERGE"
      },
      {"CREATE TABLE made AS SELECT 1 AS x", "CREATE"},
      {"CREATE TEMPORARY VIEW v AS SELECT 1 AS x", "CREATE VIEW"},
      {"DROP TABLE " + gallery, "DROP"},
      {"ALTER TABLE " + gallery + " ADD COLUMNS (x INT)", "ALTER"},
      {"TRUNCATE TABLE " + gallery, "TRUNCATE"},
      {"OPTIMIZE " + gallery, "OPTIMIZE"},
      {"VACUUM " + gallery + " RETAIN 0 HOURS", "VACUUM"},
      {"RESTORE TABLE " + gallery + " TO VERSION AS OF 0", "RESTORE"},
      // hidden behind a comment and inside a CTE: the plan decides, not the text
      {"/* only a look */ DELETE FROM identities", "DELETE"},
      {"WITH g AS (SELECT * FROM gallery) INSERT INTO " + gallery + " SELECT * FROM g", "INSERT"}
    };
    for (String[] c : changes) {
      Result r = sql(c[0]);
      assertThat(r.code()).as(c[0] + "\n" + r.err()).isEqualTo(2);
      assertThat(r.err())
          .as(c[0])
          .contains("this statement changes the warehouse (" + c[1] + ",")
          .contains("--write")
          .doesNotContain("\tat ");
    }
    // a notebook whose second cell deletes is refused there, after its first cell ran
    Path notebook = dir.resolve("sneaky.sql");
    Files.writeString(
        notebook,
        SqlNotebook.HEADER
            + "\nSELECT count(*) AS n FROM gallery;\n\n-- COMMAND ----------\n\n"
            + "DELETE FROM identities WHERE animal_id = '1';\n");
    Result cell = sql("-f", notebook.toString());
    assertThat(cell.code()).isEqualTo(2);
    assertThat(cell.err()).contains("cell 2: this statement changes the warehouse (DELETE,");
    assertThat(cell.out()).contains("-- cell 1");
    // reads are unaffected, and nothing changed
    for (String read :
        List.of(
            "SELECT count(*) FROM identities",
            "WITH a AS (SELECT animal_id FROM gallery) SELECT * FROM a",
            "DESCRIBE HISTORY " + gallery,
            "DESCRIBE TABLE identities",
            "SHOW TABLES",
            "EXPLAIN SELECT * FROM gallery")) {
      Result r = sql(read);
      assertThat(r.code()).as(read + "\n" + r.err()).isZero();
    }
    assertThat(spark().read().format("delta").load(w.location(Tables.CROP_IDENTITIES)).count())
        .isEqualTo(identities);
  }

  @Test
  void aWarehouseOfTheEarlierLayoutIsMovedOnceAndKeepsItsRowsAndHistory() throws IOException {
    Path copy = copyOfWarehouse("wh-layout");
    long crops =
        spark().read().format("delta").load(copy.resolve("crop_identities").toString()).count();
    long finals =
        spark().read().format("delta").load(copy.resolve("identities").toString()).count();
    // as an earlier version wrote it: the crops' identities in identities, the final ones in
    // track_points
    Files.move(copy.resolve("identities"), copy.resolve("track_points"));
    Files.move(copy.resolve("crop_identities"), copy.resolve("identities"));
    org.apache.spark.sql.delta.DeltaLog.clearCache();

    String count =
        "SELECT (SELECT count(*) FROM crop_identities) AS crops,"
            + " (SELECT count(*) FROM identities WHERE track_id IS NOT NULL) AS finals";
    Result first = csv(copy, count);
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.err())
        .contains("table moved: identities -> crop_identities")
        .contains("table moved: track_points -> identities");
    assertThat(first.out()).isEqualTo("crops,finals\n" + crops + "," + finals + "\n");
    assertThat(copy.resolve("track_points")).doesNotExist();
    // the history came along: the first version of each is readable
    Result history = csv(copy, "SELECT count(*) AS n FROM identities VERSION AS OF 0");
    assertThat(history.code()).as(history.err()).isZero();
    assertThat(history.err()).doesNotContain("table moved");
  }

  @Test
  void theChangeFeedShowsADeleteAndMaintainCompactsAndVacuums() throws IOException {
    Path copy = copyOfWarehouse("wh-maintain");
    String identities = copy.resolve("identities").toString();
    long rows = spark().read().format("delta").load(identities).count();
    long version =
        io.delta.tables.DeltaTable.forPath(spark(), identities)
            .history(1)
            .select("version")
            .first()
            .getLong(0);
    Result delete =
        farmid(
            "sql",
            "--warehouse",
            copy.toString(),
            "--write",
            "DELETE FROM identities WHERE frame_index = 0");
    assertThat(delete.code()).as(delete.err()).isZero();
    long deleted = rows - spark().read().format("delta").load(identities).count();
    Result changes =
        csv(
            copy,
            "SELECT _change_type, count(*) AS n FROM table_changes('identities', "
                + (version + 1)
                + ") GROUP BY 1");
    assertThat(changes.code()).as(changes.err()).isZero();
    assertThat(changes.out()).contains("delete," + deleted);

    Result optimize =
        farmid(
            "maintain",
            "optimize",
            "--warehouse",
            copy.toString(),
            "--table",
            "identities,frames",
            "--zorder");
    assertThat(optimize.code()).as(optimize.err()).isZero();
    assertThat(optimize.err()).contains("maintain: identities ZORDER BY (animal_id, frame_time): ");
    assertThat(spark().read().format("delta").load(identities).count()).isEqualTo(rows - deleted);
    Result tooShort =
        farmid("maintain", "vacuum", "--warehouse", copy.toString(), "--retain-hours", "24");
    assertThat(tooShort.code()).isEqualTo(2);
    assertThat(tooShort.err()).contains("--retain-hours must be at least 168");
    Result vacuum =
        farmid(
            "maintain", "vacuum", "--warehouse", copy.toString(), "--table", "gallery,identities");
    assertThat(vacuum.code()).as(vacuum.err()).isZero();
    assertThat(vacuum.err())
        .contains("maintain: identities vacuumed, time travel kept 168 hours")
        .contains("maintain: gallery vacuumed, time travel kept 168 hours");
  }

  /** A copy of the class's warehouse, for tests that change it. */
  private Path copyOfWarehouse(String name) throws IOException {
    return TestFiles.copyTree(Path.of(warehouse().root()), dir.resolve(name));
  }

  @Test
  void aDeleteWithWriteIsUndoneByMaintainRestore() throws IOException {
    // on a copy, so the other tests keep the whole warehouse
    Path copy = copyOfWarehouse("wh-restore");
    String identities = copy.resolve("identities").toString();
    long before = spark().read().format("delta").load(identities).count();
    long version =
        io.delta.tables.DeltaTable.forPath(spark(), identities)
            .history(1)
            .select("version")
            .first()
            .getLong(0);
    Result delete =
        farmid(
            "sql",
            "--warehouse",
            copy.toString(),
            "--write",
            "DELETE FROM identities WHERE frame_index = 0");
    assertThat(delete.code()).as(delete.err()).isZero();
    long after = spark().read().format("delta").load(identities).count();
    assertThat(after).isLessThan(before).isPositive();

    Result bad = restore(copy, "identity", 0);
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--table identity is not a table of the warehouse");
    Result future = restore(copy, "identities", 99);
    assertThat(future.code()).isEqualTo(2);
    assertThat(future.err()).contains("has versions 0 to " + (version + 1));
    Result restore = restore(copy, "identities", version);
    assertThat(restore.code()).as(restore.err()).isZero();
    assertThat(spark().read().format("delta").load(identities).count()).isEqualTo(before);
    assertThat(spark().read().format("delta").load(identities).where("frame_index = 0").count())
        .isPositive();
  }

  @Test
  void readingAWarehouseThatDoesNotExistIsRefusedAndMakesNoFolder() {
    Path missing = dir.resolve("no-such-warehouse");
    for (String[] command :
        new String[][] {
          {"sql", "--warehouse", missing.toString(), "SELECT 1"},
          {"report", "--warehouse", missing.toString(), "--out", dir.resolve("r").toString()},
          {
            "maintain",
            "restore",
            "--warehouse",
            missing.toString(),
            "--table",
            "gallery",
            "--version",
            "0"
          }
        }) {
      Result r = farmid(command);
      assertThat(r.code()).as(command[0]).isEqualTo(2);
      assertThat(r.err())
          .as(command[0])
          .contains("--warehouse " + missing + " does not exist")
          .doesNotContain("TABLE_OR_VIEW_NOT_FOUND");
    }
    assertThat(missing).doesNotExist();
  }

  private Result restore(Path warehouse, String table, long version) {
    return farmid(
        "maintain",
        "restore",
        "--warehouse",
        warehouse.toString(),
        "--table",
        table,
        "--version",
        String.valueOf(version));
  }

  @Test
  void sqlPrintsCsvAndJsonWithQuotingNullsAndArrays() {
    String q =
        "SELECT 1 AS n, 'a,\"b\"' AS text, CAST(NULL AS STRING) AS missing,"
            + " array(1.5, 2.0) AS xs";
    Result csv = sql("--format", "csv", q);
    assertThat(csv.code()).as(csv.err()).isZero();
    assertThat(csv.out()).isEqualTo("n,text,missing,xs\n1,\"a,\"\"b\"\"\",,\"[1.5,2.0]\"\n");

    Result json = sql("--format", "json", q);
    assertThat(json.code()).as(json.err()).isZero();
    assertThat(json.out())
        .isEqualTo("{\"n\":1,\"text\":\"a,\\\"b\\\"\",\"missing\":null,\"xs\":[1.5,2.0]}\n");

    // a real table: one line per row, in the query's order
    Result gallery =
        sql("--format", "csv", "SELECT animal_id, crops FROM gallery ORDER BY animal_id");
    List<String> expected = new ArrayList<>(List.of("animal_id,crops"));
    spark()
        .sql("SELECT animal_id, crops FROM gallery ORDER BY animal_id")
        .collectAsList()
        .forEach(row -> expected.add(row.getString(0) + "," + row.getLong(1)));
    assertThat(gallery.out().lines().toList()).isEqualTo(expected).hasSizeGreaterThan(1);
  }

  @Test
  void sqlPromptRunsEachStatementAndCarriesOnAfterAnError() {
    warehouse();
    InputStream stdin = System.in;
    try {
      System.setIn(
          new ByteArrayInputStream(
              ("SELECT count(*) AS videos\n  FROM videos;\n"
                      + "SELECT * FROM no_such_table;\n"
                      + "-- a comment\n"
                      + "SELECT 'two' AS second;\n"
                      + "exit\n"
                      + "SELECT 'never' AS after_exit;\n")
                  .getBytes(StandardCharsets.UTF_8)));
      Result r = sql("--format", "csv");
      assertThat(r.code()).as(r.err()).isZero();
      long videos = spark().sql("SELECT count(*) FROM videos").first().getLong(0);
      assertThat(r.out()).isEqualTo("videos\n" + videos + "\nsecond\ntwo\n");
      assertThat(r.err()).contains("TABLE_OR_VIEW_NOT_FOUND");
    } finally {
      System.setIn(stdin);
    }
  }

  @Test
  void reportDrawsEveryChartAndExportsTheProjectorFiles() throws IOException {
    Warehouse w = warehouse();
    Path out = dir.resolve("report");
    Result r = farmid("report", "--warehouse", w.root().toString(), "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    for (String png : List.of("confusion.png", "f1.png", "projection.png", "distances.png")) {
      BufferedImage image = ImageIO.read(out.resolve(png).toFile());
      assertThat(image).as(png).isNotNull();
      assertThat(image.getWidth()).as(png).isEqualTo(1100);
    }
    w.registerTables(); // the names below, whichever test of the class ran first
    long enrolled = spark().sql("SELECT count(*) FROM enrolment").first().getLong(0);
    long means = spark().sql("SELECT count(*) FROM gallery").first().getLong(0);
    int dims = spark().sql("SELECT size(embedding) FROM enrolment LIMIT 1").first().getInt(0);
    List<String> vectors = Files.readAllLines(out.resolve("projector/vectors.tsv"));
    List<String> metadata = Files.readAllLines(out.resolve("projector/metadata.tsv"));
    assertThat(vectors).hasSize((int) (enrolled + means));
    assertThat(vectors).allSatisfy(line -> assertThat(line.split("\t")).hasSize(dims));
    assertThat(metadata.get(0)).isEqualTo("animal\tkind");
    assertThat(metadata).hasSize(vectors.size() + 1);
    assertThat(metadata.stream().filter(l -> l.endsWith("\tmean")).count()).isEqualTo(means);
    assertThat(r.out()).contains("gallery_version      1");
  }

  @Test
  void renderDrawsBoxesOnAnalysedFramesAndTheirNeighboursOnly() throws IOException {
    Warehouse w = warehouse();
    Path source = pen.resolve("archive/cam01/2026-01-05/10-00-00.mp4");
    Path out = dir.resolve("render/a.mp4");
    Result r =
        farmid(
            "render",
            "--warehouse",
            w.root().toString(),
            "--video",
            source.toString(),
            "--out",
            out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    // analysed at 1 fps: frames 0, 5, 10, 15; each lends its boxes 2 frames either side
    assertThat(r.out()).contains("frames               20").contains("frames_marked        18");
    assertThat(out.resolveSibling("a.mp4.partial.mp4")).doesNotExist();
    List<VideoFrame> before = frames(source);
    List<VideoFrame> after = frames(out);
    assertThat(after).hasSize(PenFixture.FRAMES);
    assertThat(after.get(0).width()).isEqualTo(PenFixture.WIDTH);
    // red square of animal 1 at (10,10,40,40): its box's left edge is redrawn on frame 0 ...
    assertThat(columnDifference(before.get(0), after.get(0), 10, 20, 50)).isGreaterThan(40);
    // ... and frame 19, three frames past the last analysed one, is left as it was
    assertThat(columnDifference(before.get(19), after.get(19), 10, 20, 50)).isLessThan(12);

    Result missing =
        farmid(
            "render",
            "--warehouse",
            w.root().toString(),
            "--video",
            "cam09/none.mp4",
            "--out",
            dir.resolve("render/b.mp4").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("cam09/none.mp4").contains("neither an ingested file");
  }

  private static List<VideoFrame> frames(Path video) throws IOException {
    List<VideoFrame> frames = new ArrayList<>();
    try (SegmentDecoder d = SegmentDecoder.open(video)) {
      VideoFrame f;
      while ((f = d.next()) != null) {
        frames.add(f);
      }
    }
    return frames;
  }

  /** Mean absolute difference of all channels along column x, rows [y0, y1). */
  private static double columnDifference(VideoFrame a, VideoFrame b, int x, int y0, int y1) {
    long sum = 0;
    int n = 0;
    for (int y = y0; y < y1; y++) {
      for (int c = 0; c < 3; c++) {
        int i = (y * a.width() + x) * 3 + c;
        sum += Math.abs((a.bgr()[i] & 0xff) - (b.bgr()[i] & 0xff));
        n++;
      }
    }
    return sum / (double) n;
  }
}
