package org.farmid.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.farmid.models.embed.DjlEmbedder;
import org.farmid.models.tf.ModelRuntime;
import org.farmid.models.video.SegmentDecoder;

/**
 * Figures 4 and 6, each side in a JVM of its own: detect throughput at local[2] against local[1],
 * and the peak resident memory of detect (driver and executor in one local JVM) on a long video
 * against a short one.
 */
public final class SystemFigures {
  private final Path work;
  private final String heap;
  private final List<String> settings;
  private final Consumer<String> progress;

  /**
   * @param work folder for the warehouses, logs and figures of the child runs
   * @param settings extra {@code --set}/{@code --conf} arguments for every child
   */
  public SystemFigures(Path work, String heap, List<String> settings, Consumer<String> progress) {
    this.work = work;
    this.heap = heap;
    this.settings = settings;
    this.progress = progress;
  }

  private ChildRun.Result child(String name, String master, String... args)
      throws IOException, InterruptedException {
    String[] all = new String[args.length + settings.size()];
    System.arraycopy(args, 0, all, 0, args.length);
    for (int i = 0; i < settings.size(); i++) {
      all[args.length + i] = settings.get(i);
    }
    ChildRun.Result r =
        ChildRun.run(master, heap, work.resolve(name + ".log"), work.resolve(name + ".json"), all);
    progress.accept(
        String.format(
            Locale.ROOT,
            "%s (%s): %.1f s, peak resident %,d MB",
            name,
            master,
            r.seconds(),
            r.peakRssKb() / 1024));
    return r;
  }

  /** Frames analysed per second of detect's job and commits. */
  private static double framesPerSecond(JsonNode detect) {
    JsonNode t = detect.get("detect_timings");
    double s = (t.get("tasks_wall_ms").asLong() + t.get("write_wall_ms").asLong()) / 1e3;
    return detect.get("frames_sampled").asLong() / s;
  }

  /** Frames analysed per second of detect's tasks alone (its commits left out). */
  private static double taskFramesPerSecond(JsonNode detect) {
    JsonNode t = detect.get("detect_timings");
    return detect.get("frames_sampled").asLong() / (t.get("tasks_wall_ms").asLong() / 1e3);
  }

  /**
   * The machine's own ceiling for the model share of detect: the embedder's crops/s with two
   * threads calling one session at once against one thread, in this JVM.
   */
  public BenchRow inferenceCeiling(Path embedderDir) throws Exception {
    try (DjlEmbedder e = DjlEmbedder.open(embedderDir, 0, 32, new ModelRuntime(2, null))) {
      List<byte[]> crops = RandomCrops.of(512, e.inputWidth(), e.inputHeight(), 7);
      e.embed(crops.subList(0, 64));
      double[] rate = new double[3];
      for (int threads = 1; threads <= 2; threads++) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
          double best = 0;
          for (int rep = 0; rep < 2; rep++) {
            long t0 = System.nanoTime();
            List<Future<float[][]>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
              running.add(pool.submit(() -> e.embed(crops)));
            }
            for (var f : running) {
              f.get();
            }
            best = Math.max(best, threads * crops.size() / ((System.nanoTime() - t0) / 1e9));
          }
          rate[threads] = best;
        } finally {
          pool.shutdownNow();
        }
      }
      progress.accept(
          String.format(
              Locale.ROOT,
              "inference ceiling: %.0f crops/s on 1 thread, %.0f on 2",
              rate[1],
              rate[2]));
      return BenchRow.of(
          "4. machine ceiling: TF inference, 2 threads vs 1",
          rate[2],
          rate[1],
          "",
          "crops/s",
          "the embedder alone, two threads on one session (as two tasks of an executor) vs one;"
              + " bounds the scaling of detect's model share on this machine");
    }
  }

  /** Figure 4 over the videos of {@code archive}. */
  public List<BenchRow> scaling(Path archive) throws IOException, InterruptedException {
    Path wh = work.resolve("scaling-warehouse");
    child(
        "scaling-ingest",
        "local[2]",
        "ingest",
        "--archive",
        archive.toString(),
        "--warehouse",
        wh.toString());
    // each side runs detect twice in its JVM and reports the second run: a fresh JVM compiles
    // and warms Delta during the first, on the spare core at local[1] but not at local[2]
    JsonNode one =
        child(
                "scaling-detect-1",
                "local[1]",
                "bench",
                "detect-repeat",
                "--warehouse",
                wh.toString())
            .figures();
    JsonNode two =
        child(
                "scaling-detect-2",
                "local[2]",
                "bench",
                "detect-repeat",
                "--warehouse",
                wh.toString())
            .figures();
    if (one.get("frames_sampled").asLong() != two.get("frames_sampled").asLong()
        || one.get("detections").asLong() != two.get("detections").asLong()) {
      throw new IllegalStateException(
          "local[1] and local[2] detect disagree: " + one + " vs " + two);
    }
    return List.of(
        BenchRow.of(
            "4. detect scaling, local[2] vs local[1]",
            framesPerSecond(two),
            framesPerSecond(one),
            ">= 1.7",
            "frames/s",
            String.format(
                Locale.ROOT,
                "%d segments, %d frames analysed, %d detections each; detect's job and commits,"
                    + " the second run in each JVM",
                one.get("segments").asInt(),
                one.get("frames_sampled").asLong(),
                one.get("detections").asLong())),
        BenchRow.of(
            "4. detect scaling, tasks alone, local[2] vs local[1]",
            taskFramesPerSecond(two),
            taskFramesPerSecond(one),
            "",
            "frames/s",
            "the same runs without the commits (a fixed cost per run, not per frame)"));
  }

  /** Figure 6: a short and a long video, each alone in an archive folder. */
  public BenchRow memory(Path shortVideo, Path longVideo) throws IOException, InterruptedException {
    long[] peak = new long[2];
    double[] minutes = new double[2];
    Path[] videos = {shortVideo, longVideo};
    for (int i = 0; i < 2; i++) {
      String name = i == 0 ? "memory-short" : "memory-long";
      Path archive = work.resolve(name + "-archive/cam01");
      Files.createDirectories(archive);
      Files.copy(
          videos[i],
          archive.resolve(videos[i].getFileName()),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Path wh = work.resolve(name + "-warehouse");
      JsonNode in =
          child(
                  name + "-ingest",
                  "local[1]",
                  "ingest",
                  "--archive",
                  archive.getParent().toString(),
                  "--warehouse",
                  wh.toString())
              .figures();
      if (in.get("videos").asInt() != 1) {
        throw new IllegalStateException(videos[i] + " was not ingested: " + in);
      }
      ChildRun.Result r =
          child(name + "-detect", "local[1]", "detect", "--warehouse", wh.toString());
      peak[i] = r.peakRssKb();
      try (SegmentDecoder d = SegmentDecoder.open(videos[i])) {
        minutes[i] = d.info().durationMicros() / 60e6;
      }
    }
    return new BenchRow(
        String.format(
            Locale.ROOT,
            "6. detect peak memory, %.0f-minute vs %.0f-minute video",
            minutes[1],
            minutes[0]),
        peak[1] / 1024.0,
        peak[0] / 1024.0,
        (double) peak[1] / peak[0],
        "<= 1.2",
        "MB resident",
        "VmHWM of the local[1] JVM (driver and executor), heap " + heap + ", sampled every 0.1 s");
  }
}
