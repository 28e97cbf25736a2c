package org.farmid.jobs.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.farmid.common.ingest.SegmentPlan;
import org.farmid.common.video.VideoFrame;
import org.farmid.models.video.SegmentDecoder;

/**
 * Figures 1 and 2: the segment decoder against FFmpeg's own command-line decoder on one core, and
 * sampled decoding against decoding every frame.
 */
public final class DecodeFigures {
  private static final Pattern RTIME = Pattern.compile("rtime=([0-9.]+)s");

  private final String ffmpeg;
  private final int repeats;
  private final Consumer<String> progress;

  public DecodeFigures(String ffmpeg, int repeats, Consumer<String> progress) {
    this.ffmpeg = ffmpeg;
    this.repeats = repeats;
    this.progress = progress;
  }

  /**
   * What one pass of the decoder did: footage frames covered, frames returned, the codec's work.
   */
  record Pass(long frames, long kept, double seconds, long decoded, long seeks) {
    double fps() {
      return frames / seconds;
    }
  }

  /** Decodes the whole file on one thread, every frame or the sampled ones; best of the repeats. */
  Pass decode(Path video, double sampleFps) throws IOException {
    long fileFrames;
    double videoFps;
    try (SegmentDecoder probe = SegmentDecoder.open(video)) {
      fileFrames = probe.info().frameCount();
      videoFps = probe.info().fps();
    }
    Pass best = null;
    for (int i = 0; i < repeats; i++) {
      SegmentPlan.Sampler sampler =
          sampleFps > 0 ? new SegmentPlan.Sampler(sampleFps, videoFps, 0) : null;
      long t0 = System.nanoTime();
      long kept = 0;
      long decoded;
      long seeks;
      try (SegmentDecoder d = SegmentDecoder.open(video, 0, Long.MAX_VALUE, 1, sampler)) {
        for (VideoFrame f = d.next(); f != null; f = d.next()) {
          kept++;
        }
        decoded = d.framesDecoded();
        seeks = d.seeks();
      }
      double s = (System.nanoTime() - t0) / 1e9;
      // footage covered: every frame of the file, whether decoded, skipped or kept
      Pass p = new Pass(sampler == null ? kept : fileFrames, kept, s, decoded, seeks);
      if (best == null || p.seconds() < best.seconds()) {
        best = p;
      }
    }
    return best;
  }

  /** Frames/s of decoding every frame without converting any (best of the repeats). */
  double skipAll(Path video) throws IOException {
    double best = 0;
    for (int i = 0; i < repeats; i++) {
      long t0 = System.nanoTime();
      long n = 0;
      try (SegmentDecoder d = SegmentDecoder.open(video, 0, Long.MAX_VALUE, 1, null)) {
        while (d.skipFrame()) {
          n++;
        }
      }
      best = Math.max(best, n / ((System.nanoTime() - t0) / 1e9));
    }
    return best;
  }

  /**
   * {@code ffmpeg -threads 1 -i FILE -f null -}: the decoding loop's own wall clock, best of the
   * repeats.
   */
  double ffmpegSeconds(Path video, String... inputOptions)
      throws IOException, InterruptedException {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < repeats; i++) {
      List<String> cmd =
          new ArrayList<>(
              List.of(ffmpeg, "-hide_banner", "-nostats", "-benchmark", "-threads", "1"));
      cmd.addAll(List.of(inputOptions));
      cmd.addAll(List.of("-i", video.toString(), "-f", "null", "-"));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException(ffmpeg + " failed on " + video + ":\n" + out);
      }
      Matcher m = RTIME.matcher(out);
      if (!m.find()) {
        throw new IOException(ffmpeg + " printed no rtime for " + video + ":\n" + out);
      }
      best = Math.min(best, Double.parseDouble(m.group(1)));
    }
    return best;
  }

  /** Figure 1 on {@code video}, figure 2 on it and on each of {@code sampledVideos}. */
  public List<BenchRow> run(Path video, List<Path> sampledVideos, double sampleFps)
      throws IOException, InterruptedException {
    List<BenchRow> rows = new ArrayList<>();
    decode(video, 0); // warm-up: JIT and natives
    Pass full = decode(video, 0);
    double ffmpegS = ffmpegSeconds(video);
    String size = size(video);
    progress.accept(
        String.format(
            Locale.ROOT,
            "decode: %s, ours %.0f frames/s, ffmpeg %.0f frames/s",
            video.getFileName(),
            full.fps(),
            full.frames() / ffmpegS));
    rows.add(
        BenchRow.of(
            "1. decode, " + size + " H.264, 1 thread",
            full.fps(),
            full.frames() / ffmpegS,
            ">= 0.9",
            "frames/s",
            "SegmentDecoder (every frame to packed BGR bytes) vs `ffmpeg -threads 1 -f null` on "
                + video.getFileName()
                + ", best of "
                + repeats));
    double codecOnly = skipAll(video);
    rows.add(
        BenchRow.of(
            "1. decode without conversion, " + size + " H.264, 1 thread",
            codecOnly,
            full.frames() / ffmpegS,
            ">= 0.9",
            "frames/s",
            "what a frame the sampler drops costs (decoded, never converted) vs the same ffmpeg"
                + " run"));
    List<Path> all = new ArrayList<>();
    all.add(video);
    all.addAll(sampledVideos);
    for (Path v : all) {
      Pass every = v.equals(video) ? full : decode(v, 0);
      Pass sampled = decode(v, sampleFps);
      double gop = keyframeInterval(v);
      progress.accept(
          String.format(
              Locale.ROOT,
              "sampled decode: %s, keyframe every %.1f s: %.0f footage frames/s at %s frames/s"
                  + " (%d decoded, %d seeks) vs %.0f decoding every frame",
              v.getFileName(),
              gop,
              sampled.fps(),
              BenchRow.number(sampleFps),
              sampled.decoded(),
              sampled.seeks(),
              every.fps()));
      rows.add(
          BenchRow.of(
              String.format(
                  Locale.ROOT,
                  "2. sampled decode at %s frame/s, keyframe every %.0f s",
                  BenchRow.number(sampleFps),
                  gop),
              sampled.fps(),
              every.fps(),
              ">= 5",
              "footage frames/s",
              String.format(
                  Locale.ROOT,
                  "%s: %d of %d frames through the codec, %d seeks, %d converted, vs decoding and"
                      + " converting every frame",
                  v.getFileName(),
                  sampled.decoded(),
                  sampled.frames(),
                  sampled.seeks(),
                  sampled.kept())));
      if (sampled.seeks() > 0 && gop <= 1.05 / sampleFps) {
        // no decoder that shows one frame per interval can beat decoding the keyframes alone
        double keyOnly = ffmpegSeconds(v, "-skip_frame", "nokey");
        rows.add(
            BenchRow.of(
                String.format(
                    Locale.ROOT,
                    "2. sampled decode vs keyframes alone, keyframe every %.0f s",
                    gop),
                sampled.fps(),
                every.frames() / keyOnly,
                "",
                "footage frames/s",
                "the sampled decode above vs `ffmpeg -threads 1 -skip_frame nokey -f null`"
                    + " (decodes the keyframes only: the floor when a keyframe starts each"
                    + " interval)"));
      }
    }
    return rows;
  }

  private static String size(Path video) throws IOException {
    try (SegmentDecoder d = SegmentDecoder.open(video)) {
      return d.info().width() + "x" + d.info().height();
    }
  }

  /** Mean seconds between keyframes. */
  static double keyframeInterval(Path video) throws IOException {
    try (SegmentDecoder d = SegmentDecoder.open(video)) {
      long[] k = d.keyframeMicros();
      double duration = d.info().durationMicros() / 1e6;
      return k.length <= 1 ? duration : duration / k.length;
    }
  }
}
