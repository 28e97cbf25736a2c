package org.farmid.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.farmid.common.config.FarmIdConfig;
import org.farmid.common.config.PipelineSettings;
import org.farmid.jobs.pipeline.detect.DetectStage;
import org.farmid.jobs.pipeline.ingest.IngestStage;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;
import org.farmid.jobs.testing.PaletteModels;
import org.farmid.jobs.testing.PenFixture;
import org.farmid.jobs.testing.SparkTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken files beside good ones: each broken one lands in {@code rejected_inputs} with its stage
 * and reason, and the good video, under a path with spaces, parentheses and non-ASCII letters,
 * gives exactly the detections it gives alone.
 */
class BadInputsTest extends SparkTestBase {
  @TempDir Path dir;
  static final PipelineSettings SETTINGS =
      PipelineSettings.from(
          FarmIdConfig.load(
              List.of(), List.of("pipeline.segment-seconds=2", "pipeline.sample-fps=1")));

  @Test
  void brokenFilesAreRecordedAndTheGoodOneLosesNothing() throws IOException {
    Path pen = PenFixture.write(dir.resolve("pen"));
    Path good = pen.resolve("archive/cam01/2026-01-05/10-00-00.mp4");
    Path archive = dir.resolve("archive");
    Path odd = archive.resolve("Stall (Nord) Kühe/2026-01-05/10-00-00.mp4");
    Files.createDirectories(odd.getParent());
    Files.copy(good, odd);
    Path broken = archive.resolve("broken/2026-01-05");
    Files.createDirectories(broken);
    Files.write(broken.resolve("00-00-00.mp4"), new byte[0]);
    Files.writeString(broken.resolve("00-00-01.mp4"), "not a video, a note\n");
    BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_3BYTE_BGR);
    ImageIO.write(img, "png", broken.resolve("00-00-02.mp4").toFile());
    byte[] bytes = Files.readAllBytes(good);
    Files.write(broken.resolve("00-00-03.mp4"), Arrays.copyOf(bytes, bytes.length / 2));
    Files.write(broken.resolve("00-00-04.mp4"), Arrays.copyOfRange(bytes, 64, bytes.length));

    Warehouse wh = new Warehouse(spark(), dir.resolve("wh"));
    List<String> log = new ArrayList<>();
    RunContext run = new RunContext("run", "test", "test", log::add);
    IngestStage.Outcome in = IngestStage.run(wh, archive, SETTINGS, run);
    DetectStage.run(wh, new PaletteModels(), SETTINGS, run);

    Map<String, String> rejected = new TreeMap<>();
    for (Row r : wh.read(Tables.REJECTED_INPUTS).collectAsList()) {
      rejected.merge(
          Path.of(r.<String>getAs("path")).getFileName() + " " + r.getAs("stage"),
          r.getAs("reason"),
          (a, b) -> a + " | " + b);
    }
    assertThat(rejected).containsEntry("00-00-00.mp4 ingest", "empty file (0 bytes)");
    assertThat(rejected).containsKeys("00-00-01.mp4 ingest", "00-00-02.mp4 ingest");
    assertThat(rejected.get("00-00-01.mp4 ingest")).contains("00-00-01.mp4");
    // A PNG opens as one still frame without a duration; truncated (cut at half, index atom
    // lost) and headless copies cannot be opened: all refused at ingest, before any task.
    assertThat(rejected.get("00-00-02.mp4 ingest")).startsWith("no usable frame rate or duration");
    assertThat(rejected).containsKeys("00-00-03.mp4 ingest", "00-00-04.mp4 ingest").hasSize(5);
    // The good video under an odd path: its 10 detections, as in the pen test.
    List<Row> oddRows =
        sql(
            "SELECT count(*), min(frame_index), max(frame_index) FROM %s WHERE video_id = '%s'",
            wh.sqlName(Tables.DETECTIONS), "Stall (Nord) Kühe/2026-01-05/10-00-00.mp4");
    assertThat(oddRows.toString()).isEqualTo("[[10,0,15]]");
    assertThat(
            sql("SELECT camera FROM %s WHERE video_id LIKE 'Stall%%'", wh.sqlName(Tables.VIDEOS))
                .toString())
        .isEqualTo("[[Stall (Nord) Kühe]]");
    assertThat(in.videos() + in.rejected()).isEqualTo(6);
  }

  @Test
  void videosThatBreakBetweenIngestAndDetectAreRecordedAndTheGoodOneLosesNothing()
      throws IOException {
    Path pen = PenFixture.write(dir.resolve("pen3"));
    Path archive = pen.resolve("archive");
    Path good = archive.resolve("cam01/2026-01-05/10-00-00.mp4");
    Path folder = archive.resolve("cam02/2026-01-05/10-00-00.mp4");
    Path overwritten = archive.resolve("cam03/2026-01-05/10-00-00.mp4");
    Files.delete(archive.resolve("cam01/2026-01-06/10-00-00.mp4"));
    Files.delete(archive.resolve("cam01/2026-01-06/11-00-00.mp4"));
    for (Path p : List.of(folder, overwritten)) {
      Files.createDirectories(p.getParent());
      Files.copy(good, p);
    }
    Warehouse wh = new Warehouse(spark(), dir.resolve("wh3"));
    RunContext run = new RunContext("run", "test", "test", line -> {});
    IngestStage.run(wh, archive, SETTINGS, run);
    // After ingest: one file becomes a folder (unreadable as a video; the tests run as root, for
    // whom a file without read permission still reads), one is overwritten with other bytes.
    Files.delete(folder);
    Files.createDirectories(folder);
    byte[] junk = new byte[(int) Files.size(good)];
    new java.util.Random(3).nextBytes(junk);
    Files.write(overwritten, junk);
    DetectStage.Outcome o = DetectStage.run(wh, new PaletteModels(), SETTINGS, run);

    Map<String, String> rejected = new TreeMap<>();
    for (Row r :
        wh.read(Tables.REJECTED_INPUTS)
            .where("stage = 'detect'")
            .orderBy("reason")
            .collectAsList()) {
      String camera = Path.of(r.<String>getAs("path")).getParent().getParent().getFileName() + "";
      rejected.merge(camera, r.getAs("reason"), (a, b) -> a + " | " + b);
    }
    assertThat(rejected).containsOnlyKeys("cam02", "cam03");
    assertThat(rejected.get("cam02")).contains("does not exist or is not a file", "cam02");
    assertThat(rejected.get("cam03")).contains("cannot open video", "cam03");
    // every segment of both broken files failed; the good file's 10 detections are all there
    assertThat(o.failed()).isEqualTo(o.segments() - o.segments() / 3);
    assertThat(
            sql(
                    "SELECT video_id, count(*), min(frame_index), max(frame_index) FROM %s"
                        + " GROUP BY video_id",
                    wh.sqlName(Tables.DETECTIONS))
                .toString())
        .isEqualTo("[[cam01/2026-01-05/10-00-00.mp4,10,0,15]]");
  }

  @Test
  void unusualVideosAreProcessedOrRecordedAndTheGoodOneLosesNothing() throws Exception {
    Path pen = PenFixture.write(dir.resolve("pen2"));
    Path archive = dir.resolve("archive2");
    Path day = archive.resolve("cam01/2026-01-05");
    Files.createDirectories(day);
    Files.copy(pen.resolve("archive/cam01/2026-01-05/10-00-00.mp4"), day.resolve("10-00-00.mp4"));
    audioOnly(day.resolve("11-00-00.mp4"));
    grey(day.resolve("12-00-00.mp4"), 16, 16, 10);
    grey(day.resolve("13-00-00.mp4"), 3840, 2160, 3);
    variableFrameRate(day.resolve("14-00-00.mp4"));

    Warehouse wh = new Warehouse(spark(), dir.resolve("wh2"));
    RunContext run = new RunContext("run", "test", "test", line -> {});
    IngestStage.Outcome in = IngestStage.run(wh, archive, SETTINGS, run);
    DetectStage.Outcome det = DetectStage.run(wh, new PaletteModels(), SETTINGS, run);

    // the audio-only file is refused at ingest, naming why; the others are videos
    List<Row> rejected = wh.read(Tables.REJECTED_INPUTS).collectAsList();
    assertThat(rejected).hasSize(1);
    assertThat(rejected.get(0).<String>getAs("path")).endsWith("11-00-00.mp4");
    assertThat(rejected.get(0).<String>getAs("reason"))
        .endsWith("11-00-00.mp4 has no video stream");
    assertThat(in.videos()).isEqualTo(4);
    assertThat(det.failed()).isZero();
    Map<String, String> sizes = new TreeMap<>();
    for (Row r : sql("SELECT video_id, width, height FROM %s", wh.sqlName(Tables.VIDEOS))) {
      sizes.put(r.getString(0), r.getInt(1) + "x" + r.getInt(2));
    }
    assertThat(sizes)
        .containsEntry("cam01/2026-01-05/12-00-00.mp4", "16x16")
        .containsEntry("cam01/2026-01-05/13-00-00.mp4", "3840x2160");
    // frames analysed at 1 per second on each file's own timeline: the tiny one (2 s at 5 fps)
    // at 0 s and 1 s; the huge one (3 frames) at 0 s; the variable-rate one at the first frame
    // at or after each whole second (0, 1.0, 2.1 s)
    Map<String, String> analysed = new TreeMap<>();
    for (Row r :
        sql(
            "SELECT video_id, concat_ws(' ', collect_list(cast(frame_offset_s AS STRING)))"
                + " FROM (SELECT * FROM %s ORDER BY frame_offset_s) GROUP BY video_id",
            wh.sqlName(Tables.FRAMES))) {
      analysed.put(r.getString(0), r.getString(1));
    }
    assertThat(analysed)
        .containsEntry("cam01/2026-01-05/12-00-00.mp4", "0.0 1.0")
        .containsEntry("cam01/2026-01-05/13-00-00.mp4", "0.0")
        .containsEntry("cam01/2026-01-05/14-00-00.mp4", "0.0 1.0 2.1");
    // grey frames hold nothing to detect; the good video keeps exactly its 10 detections
    assertThat(
            sql(
                    "SELECT video_id, count(*) FROM %s GROUP BY video_id",
                    wh.sqlName(Tables.DETECTIONS))
                .toString())
        .isEqualTo("[[cam01/2026-01-05/10-00-00.mp4,10]]");
  }

  /** An MP4 with one AAC audio stream and no video. */
  private static void audioOnly(Path file) throws Exception {
    try (org.bytedeco.javacv.FFmpegFrameRecorder r =
        new org.bytedeco.javacv.FFmpegFrameRecorder(file.toFile(), 1)) {
      r.setFormat("mp4");
      r.setAudioCodec(org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC);
      r.setSampleRate(16000);
      r.start();
      short[] samples = new short[16000];
      for (int i = 0; i < samples.length; i++) {
        samples[i] = (short) (3000 * Math.sin(i * 0.1));
      }
      r.recordSamples(16000, 1, java.nio.ShortBuffer.wrap(samples));
      r.stop();
    }
  }

  /** A constant-rate grey H.264 video of the given size at 5 fps. */
  private static void grey(Path file, int width, int height, int frames) throws IOException {
    byte[] bgr = new byte[width * height * 3];
    Arrays.fill(bgr, (byte) 128);
    try (org.farmid.models.video.VideoEncoder enc =
        new org.farmid.models.video.VideoEncoder(file, width, height, 5, 500)) {
      for (int i = 0; i < frames; i++) {
        enc.write(bgr);
      }
    }
  }

  /** 160x120 grey frames at irregular times (0, 0.2, 0.3, 0.7, 1.0, 1.1, 1.6, 2.1, 2.2 s). */
  private static void variableFrameRate(Path file) throws Exception {
    long[] micros = {
      0, 200_000, 300_000, 700_000, 1_000_000, 1_100_000, 1_600_000, 2_100_000, 2_200_000
    };
    try (org.bytedeco.javacv.FFmpegFrameRecorder r =
            new org.bytedeco.javacv.FFmpegFrameRecorder(file.toFile(), 160, 120, 0);
        org.bytedeco.javacv.Frame f =
            new org.bytedeco.javacv.Frame(160, 120, org.bytedeco.javacv.Frame.DEPTH_UBYTE, 3)) {
      r.setFormat("mp4");
      r.setVideoCodec(org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264);
      r.setVideoCodecName("libopenh264");
      r.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P);
      r.setFrameRate(10);
      r.setVideoOption("allow_skip_frames", "0");
      r.start();
      java.nio.ByteBuffer buf = (java.nio.ByteBuffer) f.image[0];
      for (long t : micros) {
        for (int i = 0; i < buf.capacity(); i++) {
          buf.put(i, (byte) 128);
        }
        r.setTimestamp(t);
        r.record(f, org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24);
      }
      r.stop();
    }
  }
}
