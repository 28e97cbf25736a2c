package org.farmid.jobs.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.farmid.common.config.FarmIdConfig;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.detect.Detector;
import org.farmid.common.embed.Embedder;
import org.farmid.common.embed.InfraredLook;
import org.farmid.common.geom.Box;
import org.farmid.jobs.pipeline.classify.ClassifyStage;
import org.farmid.jobs.pipeline.enrol.EmbedCrops;
import org.farmid.jobs.pipeline.gallery.GalleryStage;
import org.farmid.jobs.pipeline.runtime.ModelProvider;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;
import org.farmid.jobs.testing.SparkTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Night identities: enrolment crops embedded also in the night cameras' look, each animal's second
 * (infrared) mean and threshold in {@code gallery}, and crops of infrared frames named against it
 * by {@code classify}; every figure worked out by hand from the vectors below.
 */
class NightGalleryTest extends SparkTestBase {
  @TempDir Path dir;

  static final PipelineSettings SETTINGS =
      PipelineSettings.from(FarmIdConfig.load(List.of(), List.of()));

  private static RunContext run(String command) {
    return new RunContext(command, command, "test", line -> {});
  }

  @Test
  void infraredCropsAreNamedAgainstEachAnimalsInfraredMean() throws IOException {
    Warehouse wh = new Warehouse(spark(), dir.resolve("wh"));
    // animal 1: colour embeddings at (1,0,0,0), infrared ones (0,1,0,0) and (0,0.6,0.8,0): its
    // infrared mean is (0,0.8,0.4,0)/|.| = (0,0.894427,0.447214,0), both 0.459506 from it, so its
    // infrared threshold is 2 x 0.459506 = 0.919012; animal 2 has no infrared embedding
    wh.append(
        Tables.ENROLMENT,
        spark().createDataFrame(twoAnimals(), Tables.ENROLMENT.schema()),
        "test-enrol");
    GalleryStage.run(wh, "test-embedder", null, null, SETTINGS, run("gallery"));
    assertMatchesGolden(
        getClass(),
        "night/gallery.csv",
        wh.read(Tables.GALLERY)
            .select(
                col("animal_id"),
                col("crops"),
                expr("round(threshold, 6)").as("threshold"),
                expr("array_join(transform(infrared_mean, x -> format_number(x, 6)), ' ')")
                    .as("infrared_mean"),
                col("infrared_crops"),
                expr("round(infrared_spread_p95, 6)").as("infrared_spread_p95"),
                expr("round(infrared_threshold, 6)").as("infrared_threshold")));

    // the same embedding in a colour and in an infrared frame; a frame written before lighting
    // was recorded (null) counts as colour
    List<Row> detections =
        List.of(
            detection(0, new float[] {0, 1, 0, 0}, true),
            detection(1, new float[] {0.6f, 0.8f, 0, 0}, true),
            detection(2, new float[] {0.6f, 0.8f, 0, 0}, false),
            detection(3, new float[] {0, 0, 0, 1}, true),
            detection(4, new float[] {0, 0, 0, 1}, null));
    wh.append(
        Tables.DETECTIONS,
        spark().createDataFrame(detections, Tables.DETECTIONS.schema()),
        "test-detect");
    ClassifyStage.run(wh, null, SETTINGS, run("classify"));
    assertMatchesGolden(
        getClass(),
        "night/crop_identities.csv",
        wh.read(Tables.CROP_IDENTITIES)
            .select(
                col("detection_id"),
                col("animal_id"),
                col("nearest_animal"),
                expr("round(distance, 6)").as("distance"),
                expr("round(margin, 6)").as("margin"),
                expr("round(threshold, 6)").as("threshold"),
                col("infrared")));
  }

  @Test
  void gallerysInfraredThresholdFactorIsItsOwn() throws IOException {
    Warehouse wh = new Warehouse(spark(), dir.resolve("wh"));
    wh.append(
        Tables.ENROLMENT,
        spark()
            .createDataFrame(
                List.of(
                    enrolled("1", "a.png", new float[] {1, 0, 0, 0}, new float[] {0, 1, 0, 0}),
                    enrolled(
                        "1", "b.png", new float[] {1, 0, 0, 0}, new float[] {0, 0.6f, 0.8f, 0})),
                Tables.ENROLMENT.schema()),
        "test-enrol");
    PipelineSettings s =
        PipelineSettings.from(
            FarmIdConfig.load(List.of(), List.of("gallery.infrared-threshold-factor=1.5")));
    GalleryStage.run(wh, "test-embedder", null, null, s, run("gallery"));
    Row r = wh.read(Tables.GALLERY).first();
    // 1.5 x 0.459506; the colour threshold stays at its minimum 0.3 (spread 0)
    assertThat(Math.round(r.<Double>getAs("infrared_threshold") * 1e6)).isEqualTo(689259L);
    assertThat(r.<Double>getAs("threshold")).isEqualTo(0.3);
    assertThat(r.<String>getAs("threshold_rule"))
        .isEqualTo("clamp(2.0 * p95 + 0.0, 0.3, 1.2); infrared clamp(1.5 * p95 + 0.0, 0.3, 1.2)");
  }

  @Test
  void enrolEmbedsColourCropsAlsoInTheNightLookAndInfraredCropsOnce() throws IOException {
    Path crops = dir.resolve("crops");
    Path red = write(crops.resolve("1/red.png"), new Color(255, 0, 0));
    Path grey = write(crops.resolve("1/grey.png"), new Color(100, 100, 100));
    List<EmbedCrops.Out> outs = new ArrayList<>();
    new EmbedCrops(new MeanColourModels(), InfraredLook.SYNTH, null)
        .call(
            List.of(
                    new EmbedCrops.Crop(red.toString(), "1/red.png", "1"),
                    new EmbedCrops.Crop(grey.toString(), "1/grey.png", "1"))
                .iterator())
        .forEachRemaining(outs::add);
    assertThat(outs).hasSize(2);
    EmbedCrops.Out r = outs.get(0);
    // red (255,0,0) -> luminance 77 x 255 >> 8 = 76 -> 55 + 0.546875 x 76 = 96.56 -> grey 97
    assertThat(r.embedding()).containsExactly(MeanColourModels.embed(255, 0, 0));
    assertThat(r.infraredEmbedding()).containsExactly(MeanColourModels.embed(97, 97, 97));
    // an infrared crop already is in the night look: its own embedding serves, not the look's
    EmbedCrops.Out g = outs.get(1);
    assertThat(g.embedding()).containsExactly(MeanColourModels.embed(100, 100, 100));
    assertThat(g.infraredEmbedding()).containsExactly(g.embedding());
    // without a look there is no infrared embedding
    List<EmbedCrops.Out> plain = new ArrayList<>();
    new EmbedCrops(new MeanColourModels(), null, null)
        .call(List.of(new EmbedCrops.Crop(red.toString(), "1/red.png", "1")).iterator())
        .forEachRemaining(plain::add);
    assertThat(plain.get(0).infraredEmbedding()).isNull();
  }

  private static Path write(Path file, Color color) throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage img = new BufferedImage(12, 10, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, 12, 10);
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
    return file;
  }

  /**
   * Animal 1: two colour crops at (1,0,0,0), infrared (0,1,0,0) and (0,0.6,0.8,0); animal 2: one
   * colour crop at (0,0,0,1), no infrared one.
   */
  static List<Row> twoAnimals() {
    return List.of(
        enrolled("1", "a.png", new float[] {1, 0, 0, 0}, new float[] {0, 1, 0, 0}),
        enrolled("1", "b.png", new float[] {1, 0, 0, 0}, new float[] {0, 0.6f, 0.8f, 0}),
        enrolled("2", "c.png", new float[] {0, 0, 0, 1}, null));
  }

  static Row enrolled(String animal, String crop, float[] embedding, float[] infrared) {
    return Tables.ENROLMENT
        .row()
        .set("animal_id", animal)
        .set("source", "/crops")
        .set("crop_ref", crop)
        .set("date", null)
        .set("embedding", embedding)
        .set("embedder_id", "test-embedder")
        .set("run_id", "test-enrol")
        .set("source_fingerprint", "f")
        .set("infrared_embedding", infrared)
        .build();
  }

  private static Row detection(int frame, float[] embedding, Boolean infrared) {
    return detection(frame, 0, embedding, infrared);
  }

  /** Detection {@code index} of {@code frame} of one night video of cam01. */
  static Row detection(int frame, int index, float[] embedding, Boolean infrared) {
    return detection("cam01/2026-01-05/22-00-00.mp4", frame, index, embedding, infrared);
  }

  /** Detection {@code index} of {@code frame} of {@code video} of cam01 (its day from the path). */
  static Row detection(String video, int frame, int index, float[] embedding, Boolean infrared) {
    return Tables.DETECTIONS
        .row()
        .set("detection_id", video + "#" + frame + "#" + index)
        .set("video_id", video)
        .set("segment_id", video + "#0")
        .set("camera", "cam01")
        .set("date", Date.valueOf(video.substring(6, 16)))
        .set("frame_index", frame)
        .set("frame_offset_s", (double) frame)
        .set("frame_time", null)
        .box(new Box(10, 10, 40, 40))
        .set("score", 0.9f)
        .set("multi_animal", false)
        .set("embedding", embedding)
        .set("detector_id", "test-detector")
        .set("embedder_id", "test-embedder")
        .set("run_id", "test-detect")
        .set("infrared", infrared)
        .build();
  }

  /** An embedder of a crop's mean colour: (R, G, B, 255) / |.|, from 4x4 inputs; no detector. */
  static final class MeanColourModels implements ModelProvider {
    private static final long serialVersionUID = 1L;

    static float[] embed(int r, int g, int b) {
      double n = Math.sqrt((double) r * r + g * g + b * b + 255 * 255);
      return new float[] {(float) (r / n), (float) (g / n), (float) (b / n), (float) (255 / n)};
    }

    @Override
    public Detector detector() {
      throw new AssertionError("enrol never detects");
    }

    @Override
    public Embedder embedder() {
      return new Embedder() {
        @Override
        public int inputWidth() {
          return 4;
        }

        @Override
        public int inputHeight() {
          return 4;
        }

        @Override
        public int embeddingSize() {
          return 4;
        }

        @Override
        public String modelId() {
          return "mean-colour";
        }

        @Override
        public float[][] embed(List<byte[]> inputs) {
          float[][] out = new float[inputs.size()][];
          for (int i = 0; i < inputs.size(); i++) {
            byte[] rgb = inputs.get(i);
            long[] sum = new long[3];
            for (int p = 0; p < rgb.length; p += 3) {
              for (int c = 0; c < 3; c++) {
                sum[c] += rgb[p + c] & 0xff;
              }
            }
            int n = rgb.length / 3;
            out[i] =
                MeanColourModels.embed((int) (sum[0] / n), (int) (sum[1] / n), (int) (sum[2] / n));
          }
          return out;
        }
      };
    }

    @Override
    public String detectorId() {
      return "none";
    }

    @Override
    public String embedderId() {
      return "mean-colour";
    }
  }
}
