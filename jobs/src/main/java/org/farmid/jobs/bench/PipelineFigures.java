package org.farmid.jobs.bench;

import static org.apache.spark.sql.functions.col;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.geom.Box;
import org.farmid.common.image.CropPreprocessor;
import org.farmid.common.video.VideoFrame;
import org.farmid.jobs.pipeline.classify.ClassifyStage;
import org.farmid.jobs.pipeline.detect.DetectStage;
import org.farmid.jobs.pipeline.enrol.EnrolStage;
import org.farmid.jobs.pipeline.gallery.GalleryStage;
import org.farmid.jobs.pipeline.ingest.IngestStage;
import org.farmid.jobs.pipeline.runtime.DjlModels;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;
import org.farmid.models.embed.DjlEmbedder;
import org.farmid.models.tf.ModelRuntime;
import org.farmid.models.video.SegmentDecoder;

/**
 * Figures 3 and 7 from one run of ingest, detect, enrol, gallery and classify over a synth archive
 * with the default models: the embedder's throughput inside the detect tasks against the bare DJL
 * predictor on the same crops at the same batch size, and the core-seconds one hour of footage
 * costs with the share of each step.
 */
public final class PipelineFigures {
  private final Warehouse wh;
  private final PipelineSettings settings;
  private final Consumer<String> progress;

  public PipelineFigures(Warehouse wh, PipelineSettings settings, Consumer<String> progress) {
    this.wh = wh;
    this.settings = settings;
    this.progress = progress;
  }

  public List<BenchRow> run(Path synth, int bareCrops) throws Exception {
    int cores = wh.spark().sparkContext().defaultParallelism();
    DjlModels models = DjlModels.fromSettings(settings, true);
    warmUp(synth, models);
    RunContext run = new RunContext("bench", "pipeline", "", progress);
    long t0 = System.nanoTime();
    IngestStage.run(wh, synth.resolve("archive"), settings, run);
    long t1 = System.nanoTime();
    DetectStage.Outcome det = DetectStage.run(wh, models, settings, run);
    long t2 = System.nanoTime();
    EnrolStage.fromCrops(wh, synth.resolve("enrol"), models, settings.infraredLook(), run);
    GalleryStage.run(wh, models.embedderId(), null, null, settings, run);
    long t3 = System.nanoTime();
    ClassifyStage.Outcome cls = ClassifyStage.run(wh, null, settings, run);
    long t4 = System.nanoTime();

    double footageSeconds =
        wh.read(Tables.VIDEOS).selectExpr("sum(duration_s)").first().getDouble(0);
    double ingestS = (t1 - t0) / 1e9;
    double detectS = (t2 - t1) / 1e9;
    double classifyS = (t4 - t3) / 1e9;
    double wall = ingestS + detectS + classifyS;
    double coreSeconds = wall * cores;
    Map<String, Long> dt = det.timings();
    Map<String, Long> ct = cls.timings();
    Map<String, Double> parts = new LinkedHashMap<>();
    parts.put("ingest (probe, plan)", ingestS * cores);
    parts.put("decode", dt.get("decode_ms") / 1e3);
    parts.put("detect", dt.get("detect_ms") / 1e3);
    parts.put("crop", dt.get("crop_ms") / 1e3);
    parts.put("embed", dt.get("embed_ms") / 1e3);
    parts.put("classify", ct.get("nearest_mean_ms") / 1e3);
    parts.put(
        "write",
        (dt.get("write_wall_ms") + ct.get("classify_write_wall_ms") - ct.get("nearest_mean_ms"))
            / 1e3
            * cores);
    double named = parts.values().stream().mapToDouble(Double::doubleValue).sum();
    parts.put("other (scheduling, queries, idle cores)", Math.max(0, coreSeconds - named));
    double perHour = coreSeconds / footageSeconds * 3600;
    progress.accept(
        String.format(
            Locale.ROOT,
            "pipeline: %.0f s of footage, %d frames analysed, %d detections, %.1f s wall on %d"
                + " cores: %.0f core-seconds per footage hour",
            footageSeconds,
            det.framesSampled(),
            det.detections(),
            wall,
            cores,
            perHour));
    List<BenchRow> rows = new ArrayList<>();
    rows.add(embedderRow(models, dt, bareCrops));
    rows.add(
        new BenchRow(
            String.format(
                Locale.ROOT,
                "7. end to end, %s %s frame/s footage, default models",
                frameSize(),
                BenchRow.number(settings.sampleFps())),
            perHour,
            3600,
            3600 / perHour,
            "",
            "core-s per footage hour",
            String.format(
                Locale.ROOT,
                "ingest+detect+classify of %.0f s of synth footage on %d core(s), %.1f s wall;"
                    + " ratio = cameras one core keeps up with in real time",
                footageSeconds,
                cores,
                wall)));
    for (Map.Entry<String, Double> e : parts.entrySet()) {
      double s = e.getValue() / footageSeconds * 3600;
      rows.add(
          new BenchRow(
              "7. share: " + e.getKey(),
              s,
              perHour,
              s / perHour,
              "",
              "core-s per footage hour",
              "task time from the stage timers; ratio = share of the total"));
    }
    return rows;
  }

  /**
   * The same stages over the archive's first video into a scratch warehouse, so the figures leave
   * out what a JVM pays once (JIT, the first Delta commits, loading the models).
   */
  private void warmUp(Path synth, DjlModels models) throws Exception {
    Path archive = synth.resolve("archive");
    Path first;
    try (var files = Files.walk(archive)) {
      first =
          files
              .filter(f -> f.toString().endsWith(".mp4"))
              .sorted()
              .findFirst()
              .orElseThrow(() -> new IllegalArgumentException("no .mp4 under " + archive));
    }
    Path scratch = Files.createTempDirectory("farmid-bench-warmup");
    Path copy = scratch.resolve("archive").resolve(archive.relativize(first));
    Files.createDirectories(copy.getParent());
    Files.createSymbolicLink(copy, first.toAbsolutePath());
    Warehouse w = new Warehouse(wh.spark(), Warehouse.checkRoot(scratch.resolve("warehouse")));
    RunContext run = new RunContext("bench", "warm-up", "", line -> {});
    long t0 = System.nanoTime();
    IngestStage.run(w, scratch.resolve("archive"), settings, run);
    DetectStage.run(w, models, settings, run);
    EnrolStage.fromCrops(w, synth.resolve("enrol"), models, settings.infraredLook(), run);
    GalleryStage.run(w, models.embedderId(), null, null, settings, run);
    ClassifyStage.run(w, null, settings, run);
    progress.accept(
        String.format(
            Locale.ROOT,
            "warm-up on %s: %.1f s (not counted)",
            first.getFileName(),
            (System.nanoTime() - t0) / 1e9));
  }

  /** Figure 3: crops/s of the embedding step inside detect vs the bare predictor, same crops. */
  private BenchRow embedderRow(DjlModels models, Map<String, Long> dt, int bareCrops)
      throws Exception {
    long crops = dt.get("crops");
    double inJob = crops / (dt.get("embed_ms") / 1e3);
    int batch = settings.embedBatch();
    List<byte[]> inputs;
    double bare;
    try (DjlEmbedder e =
        DjlEmbedder.open(models.embedderDir(), 0, batch, new ModelRuntime(1, null))) {
      inputs = recut(bareCrops, e.inputWidth(), e.inputHeight());
      e.embed(inputs.subList(0, Math.min(inputs.size(), 2 * batch))); // warm-up
      double best = Double.MAX_VALUE;
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        e.embed(inputs);
        best = Math.min(best, (System.nanoTime() - t0) / 1e9);
      }
      bare = inputs.size() / best;
    }
    progress.accept(
        String.format(
            Locale.ROOT,
            "embedder: %.0f crops/s inside detect (%d crops in %d calls), bare predictor %.0f"
                + " crops/s at batch %d",
            inJob,
            crops,
            dt.get("embed_calls"),
            bare,
            batch));
    return BenchRow.of(
        "3. embedder inside detect vs bare DJL predictor, batch " + batch,
        inJob,
        bare,
        ">= 0.8",
        "crops/s",
        String.format(
            Locale.ROOT,
            "the embedder calls inside detect's tasks (%,d crops, 1 TF thread per task) vs"
                + " DjlEmbedder.embed on %d of the same crops re-cut from the detections, 1 thread",
            crops,
            inputs.size()));
  }

  /** The first {@code n} crops of the detections table, cut again from their frames. */
  private List<byte[]> recut(int n, int inputWidth, int inputHeight) throws Exception {
    List<Row> rows =
        wh.read(Tables.DETECTIONS)
            .join(wh.read(Tables.VIDEOS).select("video_id", "path"), "video_id")
            .orderBy("video_id", "frame_index", "detection_id")
            .select(
                col("path"),
                col("frame_index"),
                col("box_left"),
                col("box_top"),
                col("box_width"),
                col("box_height"))
            .limit(n)
            .collectAsList();
    CropPreprocessor crops = new CropPreprocessor(inputWidth, inputHeight);
    List<byte[]> out = new ArrayList<>();
    String path = null;
    SegmentDecoder decoder = null;
    VideoFrame frame = null;
    try {
      for (Row r : rows) {
        if (!r.getString(0).equals(path)) {
          if (decoder != null) {
            decoder.close();
          }
          path = r.getString(0);
          decoder = SegmentDecoder.open(Path.of(path));
          frame = decoder.next();
        }
        int index = r.getInt(1);
        while (frame != null && frame.index() < index) {
          frame = decoder.next();
        }
        if (frame == null) {
          break;
        }
        Box b = new Box(r.getDouble(2), r.getDouble(3), r.getDouble(4), r.getDouble(5));
        out.add(crops.apply(frame.bgr(), frame.width(), frame.height(), b));
      }
    } finally {
      if (decoder != null) {
        decoder.close();
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("the bench archive gave no detections to embed");
    }
    return out;
  }

  /** The archive's largest frame, e.g. {@code 1280x720}. */
  private String frameSize() {
    Row r = wh.read(Tables.VIDEOS).selectExpr("max(width)", "max(height)").first();
    return r.getInt(0) + "x" + r.getInt(1);
  }
}
