package org.farmid.jobs.pipeline.detect;

import java.io.IOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.detect.Detection;
import org.farmid.common.detect.Detector;
import org.farmid.common.embed.Embedder;
import org.farmid.common.geom.Box;
import org.farmid.common.image.CropPreprocessor;
import org.farmid.common.image.FrameLight;
import org.farmid.common.ingest.MosaicLayout;
import org.farmid.common.ingest.SegmentPlan;
import org.farmid.common.video.VideoFrame;
import org.farmid.jobs.pipeline.runtime.LocalCopies;
import org.farmid.jobs.pipeline.runtime.ModelProvider;
import org.farmid.jobs.spark.FaultSwitch;
import org.farmid.jobs.spark.StageTimers;
import org.farmid.jobs.spark.TableRow;
import org.farmid.jobs.spark.Tables;
import org.farmid.models.video.SegmentDecoder;

/**
 * The detect task: for each segment of its partition, seeks to the segment, decodes to its end,
 * keeps the sampled frames, detects in batches of frames, crops and embeds each batch's boxes, and
 * returns the segment's rows. A segment that fails to decode or infer becomes a failed result; the
 * others go on.
 */
public final class DetectSegments implements FlatMapFunction<Iterator<SegmentTask>, SegmentResult> {
  private static final long serialVersionUID = 1L;

  private final ModelProvider models;
  private final double sampleFps;
  private final int batch;
  private final int embedBatch;
  private final double multiOverlap;
  private final String runId;
  private final LongAccumulator framesCounter;
  private final FaultSwitch faults;
  private final StageTimers timers;
  private final List<MosaicLayout> mosaics;

  /** The timers a detect task fills: nanoseconds per step, and crops and embedder calls. */
  public static final String[] TIMERS = {
    "decode_ns", "detect_ns", "crop_ns", "embed_ns", "crops", "embed_calls"
  };

  public DetectSegments(
      ModelProvider models,
      PipelineSettings s,
      String runId,
      LongAccumulator framesCounter,
      FaultSwitch faults,
      StageTimers timers) {
    this.faults = faults;
    this.timers = timers;
    this.models = models;
    this.sampleFps = s.sampleFps();
    this.batch = s.detectBatch();
    this.embedBatch = s.embedBatch();
    this.multiOverlap = s.multiAnimalOverlap();
    this.mosaics = s.mosaics();
    this.runId = runId;
    this.framesCounter = framesCounter;
  }

  @Override
  public Iterator<SegmentResult> call(Iterator<SegmentTask> tasks) {
    if (!tasks.hasNext()) {
      return List.<SegmentResult>of().iterator();
    }
    Detector detector = models.detector();
    Embedder embedder = models.embedder();
    TaskContext ctx = TaskContext.get();
    if (ctx != null) {
      ctx.addTaskCompletionListener(
          (org.apache.spark.util.TaskCompletionListener)
              c -> {
                ModelProvider.closeQuietly(detector);
                ModelProvider.closeQuietly(embedder);
              });
    }
    List<SegmentResult> out = new ArrayList<>();
    while (tasks.hasNext()) {
      SegmentTask t = tasks.next();
      // outside the per-segment handling: an injected fault fails the whole task, as a lost
      // executor or a JVM error would, and Spark retries it
      faults.check(t.segmentId());
      try {
        out.add(process(t, detector, embedder));
      } catch (IOException | RuntimeException e) {
        out.add(SegmentResult.failed(t, e.getClass().getSimpleName() + ": " + e.getMessage()));
      }
    }
    if (ctx == null) {
      ModelProvider.closeQuietly(detector);
      ModelProvider.closeQuietly(embedder);
    }
    return out.iterator();
  }

  SegmentResult process(SegmentTask t, Detector detector, Embedder embedder) throws IOException {
    List<Row> detections = new ArrayList<>();
    List<Row> frames = new ArrayList<>();
    CropPreprocessor crops = embedder.preprocessor();
    long decoded = 0;
    SegmentPlan.Sampler sampler = new SegmentPlan.Sampler(sampleFps, t.fps(), t.startMicros());
    // one decoding thread: the task owns one core
    try (SegmentDecoder source =
        SegmentDecoder.open(
            LocalCopies.of(t.path()), t.startMicros(), t.decodeEndMicros(), 1, sampler)) {
      List<VideoFrame> pending = new ArrayList<>(batch);
      CropQueue queue = new CropQueue(embedder, detector.modelId(), detections);
      // A view of a mosaic file sees its own tile only.
      Optional<MosaicLayout.View> view = MosaicLayout.viewOf(t.videoId(), mosaics);
      long t0 = System.nanoTime();
      for (VideoFrame f = source.next(); f != null; f = source.next()) {
        if (view.isPresent()) {
          f = view.get().crop(f);
        }
        timers.lap("decode_ns", t0);
        pending.add(f);
        if (pending.size() == batch) {
          flush(t, pending, detector, crops, queue, frames);
        }
        t0 = System.nanoTime();
      }
      timers.lap("decode_ns", t0);
      flush(t, pending, detector, crops, queue, frames);
      queue.embed(true);
      decoded = source.framesDecoded();
    }
    return new SegmentResult(t, detections, frames, decoded, null);
  }

  private void flush(
      SegmentTask t,
      List<VideoFrame> pending,
      Detector detector,
      CropPreprocessor crops,
      CropQueue queue,
      List<Row> frames) {
    if (pending.isEmpty()) {
      return;
    }
    long t0 = System.nanoTime();
    List<List<Detection>> found = detector.detect(pending);
    t0 = timers.lap("detect_ns", t0);
    List<byte[]> inputs = queue.inputs;
    List<TableRow> partial = queue.partial;
    for (int i = 0; i < pending.size(); i++) {
      VideoFrame f = pending.get(i);
      List<Box> boxes = new ArrayList<>();
      List<Detection> kept = new ArrayList<>();
      for (Detection d : found.get(i)) {
        Box b = d.box().clip(f.width(), f.height());
        if (b.width() >= 2 && b.height() >= 2) {
          boxes.add(b);
          kept.add(d);
        }
      }
      double offset = f.timestampMicros() / 1e6;
      boolean infrared = FrameLight.isInfrared(f.bgr(), f.width(), f.height());
      Timestamp frameTime =
          t.videoStart() == null
              ? null
              : Timestamp.from(t.videoStart().toInstant().plusNanos(f.timestampMicros() * 1000));
      for (int k = 0; k < kept.size(); k++) {
        Box b = boxes.get(k);
        inputs.add(crops.apply(f.bgr(), f.width(), f.height(), b));
        partial.add(
            frameOf(Tables.DETECTIONS.row(), t, f, offset, infrared)
                .set("detection_id", t.videoId() + "#" + f.index() + "#" + k)
                .set("frame_time", frameTime)
                .box(b)
                .set("score", kept.get(k).score())
                .set("multi_animal", coveredByAnother(boxes, k, multiOverlap)));
      }
      frames.add(
          frameOf(Tables.FRAMES.row(), t, f, offset, infrared)
              .set("detections", kept.size())
              .set("run_id", runId)
              .build());
    }
    timers.lap("crop_ns", t0);
    queue.embed(false);
    if (framesCounter != null) {
      framesCounter.add(pending.size());
    }
    pending.clear();
  }

  /**
   * Crops waiting for the embedder, carried across frame batches so the embedder gets full batches
   * (a frame batch's crops rarely fill a whole number of them); rows leave in the order they came.
   */
  private final class CropQueue {
    final List<byte[]> inputs = new ArrayList<>();
    final List<TableRow> partial = new ArrayList<>();
    private final Embedder embedder;
    private final String detectorId;
    private final List<Row> detections;

    CropQueue(Embedder embedder, String detectorId, List<Row> detections) {
      this.embedder = embedder;
      this.detectorId = detectorId;
      this.detections = detections;
    }

    /** Embeds the whole batches queued, or everything when {@code all}. */
    void embed(boolean all) {
      int n = all ? inputs.size() : inputs.size() / embedBatch * embedBatch;
      if (n == 0) {
        return;
      }
      long t0 = System.nanoTime();
      float[][] embeddings = embedder.embed(new ArrayList<>(inputs.subList(0, n)));
      timers.lap("embed_ns", t0);
      timers.add("crops", n);
      timers.add("embed_calls", 1);
      for (int j = 0; j < n; j++) {
        detections.add(
            partial
                .get(j)
                .set("embedding", embeddings[j])
                .set("detector_id", detectorId)
                .set("embedder_id", embedder.modelId())
                .set("run_id", runId)
                .build());
      }
      inputs.subList(0, n).clear();
      partial.subList(0, n).clear();
    }
  }

  /**
   * The columns {@code detections} and {@code frames} share: the frame of the segment and its
   * lighting.
   */
  private static TableRow frameOf(
      TableRow row, SegmentTask t, VideoFrame f, double offset, boolean infrared) {
    return row.set("video_id", t.videoId())
        .set("segment_id", t.segmentId())
        .set("camera", t.camera())
        .set("date", t.date())
        .set("frame_index", f.index())
        .set("frame_offset_s", offset)
        .set("infrared", infrared);
  }

  /** Whether another box covers at least {@code share} of box {@code k}'s area. */
  static boolean coveredByAnother(List<Box> boxes, int k, double share) {
    return share > 0 && Box.largestCover(boxes, k) >= share;
  }
}
