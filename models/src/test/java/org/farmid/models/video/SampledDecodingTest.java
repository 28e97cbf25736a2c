package org.farmid.models.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.farmid.common.ingest.SegmentPlan;
import org.farmid.common.testing.SharedData;
import org.farmid.common.video.VideoFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sampled decoding (conversion skipped for dropped frames, seeks over whole keyframe intervals)
 * returns exactly the frames, timestamps and pixels of a full decode filtered by the same sampler.
 */
class SampledDecodingTest {

  /** 12 s at 10 fps, a keyframe every 2 s (the encoder's interval), every frame different. */
  private static Path shortGopVideo(Path dir) throws IOException {
    Path file = dir.resolve("short gop.mp4");
    int w = 160;
    int h = 96;
    try (VideoEncoder enc = new VideoEncoder(file, w, h, 10, 400)) {
      for (int i = 0; i < 120; i++) {
        byte[] bgr = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int p = (y * w + x) * 3;
            bgr[p] = (byte) (x * 2 + i * 3);
            bgr[p + 1] = (byte) (y * 2 + i * 5);
            // a bar that moves one column per frame: a wrong frame shows up in the bytes
            bgr[p + 2] = (byte) (x == (i % w) ? 255 : 40);
          }
        }
        enc.write(bgr);
      }
    }
    return file;
  }

  private static List<String> decode(
      Path file, long start, long end, double sampleFps, double videoFps, boolean sampledDecoder)
      throws IOException {
    List<String> out = new ArrayList<>();
    SegmentPlan.Sampler filter = new SegmentPlan.Sampler(sampleFps, videoFps, start);
    try (SegmentDecoder d =
        SegmentDecoder.open(file, start, end, 1, sampledDecoder ? filter : null)) {
      for (VideoFrame f = d.next(); f != null; f = d.next()) {
        if (sampledDecoder || filter.keep(f.timestampMicros())) {
          out.add(f.index() + "@" + f.timestampMicros() + ":" + sha(f.bgr()));
        }
      }
    }
    return out;
  }

  @Test
  void seeksOverKeyframeIntervalsAndReturnsTheSameFrames(@TempDir Path dir) throws IOException {
    Path file = shortGopVideo(dir);
    for (double fps : new double[] {1, 0.5, 0.25, 3}) {
      List<String> full = decode(file, 0, Long.MAX_VALUE, fps, 10, false);
      List<String> sampled = decode(file, 0, Long.MAX_VALUE, fps, 10, true);
      assertThat(sampled).as("at %s frames/s", fps).isEqualTo(full);
    }
    assertThat(decode(file, 0, Long.MAX_VALUE, 1, 10, true)).hasSize(12);
    // segments cut anywhere give the frames the whole-file pass gives in their range
    List<String> pieces = new ArrayList<>();
    pieces.addAll(decode(file, 0, 3_000_000, 1, 10, true));
    pieces.addAll(decode(file, 3_000_000, 7_500_000, 1, 10, true));
    pieces.addAll(decode(file, 7_500_000, Long.MAX_VALUE, 1, 10, true));
    assertThat(pieces).isEqualTo(decode(file, 0, Long.MAX_VALUE, 1, 10, false));
  }

  @Test
  void quarterSampledDecodingOfShortGopsDecodesFewerFrames(@TempDir Path dir) throws IOException {
    Path file = shortGopVideo(dir);
    try (SegmentDecoder d =
        SegmentDecoder.open(file, 0, Long.MAX_VALUE, 1, new SegmentPlan.Sampler(0.25, 10, 0))) {
      int kept = 0;
      while (d.next() != null) {
        kept++;
      }
      // instants 0, 4 and 8 s sit on keyframes: seeks to 4 and 8 s, and one past the keyframe at
      // 10 s towards 12 s (after the end), so the frames in between are never decoded
      assertThat(kept).isEqualTo(3);
      assertThat(d.seeks()).isEqualTo(3);
      assertThat(d.framesDecoded()).isLessThan(12);
    }
  }

  @Test
  void skippingDecodesEveryFrameOfTheSegmentWithoutReturningIt(@TempDir Path dir)
      throws IOException {
    Path file = shortGopVideo(dir);
    try (SegmentDecoder d = SegmentDecoder.open(file, 2_000_000, 5_000_000, 1, null)) {
      int skipped = 0;
      while (d.skipFrame()) {
        skipped++;
      }
      assertThat(skipped).isEqualTo(30); // 3 s at 10 fps
      assertThat(d.framesDecoded()).isBetween(30L, 31L); // and the seek's landing frame
      assertThat(d.next()).isNull();
    }
  }

  @Test
  void realFootageWithLongKeyframeIntervalsGivesTheSameFrames() throws IOException {
    Path clip = SharedData.require("securepig-clips/Fleeing_Involved_ID7_ID12.mp4");
    List<String> full = decode(clip, 0, Long.MAX_VALUE, 1, 25, false);
    assertThat(decode(clip, 0, Long.MAX_VALUE, 1, 25, true)).isEqualTo(full).hasSize(11);
  }

  private static String sha(byte[] b) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(b))
          .substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
