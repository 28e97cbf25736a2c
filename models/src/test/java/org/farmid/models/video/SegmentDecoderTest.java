package org.farmid.models.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.farmid.common.testing.SharedData;
import org.farmid.common.video.VideoFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentDecoderTest {

  @Test
  void realPenFootageDecodesThroughTheSameDecoder() throws IOException {
    Path clip = SharedData.require("securepig-clips/Displacement_Involved_ID2_ID10.mp4");
    int frames = 0;
    long lastTimestamp = -1;
    try (SegmentDecoder d = SegmentDecoder.open(clip)) {
      assertThat(d.info().width()).isEqualTo(1280);
      assertThat(d.info().height()).isEqualTo(720);
      assertThat(d.info().fps()).isEqualTo(25.0);
      assertThat(d.info().codec()).isEqualTo("h264");
      for (VideoFrame f = d.next(); f != null; f = d.next()) {
        assertThat(f.width()).isEqualTo(1280);
        assertThat(f.height()).isEqualTo(720);
        assertThat(f.timestampMicros()).isGreaterThan(lastTimestamp);
        lastTimestamp = f.timestampMicros();
        frames++;
      }
    }
    assertThat(frames).isEqualTo(252);
  }

  @Test
  void aSegmentOfRealFootageStartsAndStopsWhereAsked() throws IOException {
    Path clip = SharedData.require("securepig-clips/Fleeing_Involved_ID7_ID12.mp4");
    int frames = 0;
    try (SegmentDecoder d = SegmentDecoder.open(clip, 4_000_000, 6_000_000)) {
      for (VideoFrame f = d.next(); f != null; f = d.next()) {
        assertThat(f.timestampMicros()).isBetween(4_000_000L, 5_999_999L);
        frames++;
      }
    }
    assertThat(frames).isEqualTo(50); // 2 s at 25 fps
  }

  @Test
  void randomBytesNamedMp4AreRefusedNamingTheFile(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("camera 3 (broken).mp4");
    byte[] junk = new byte[64 * 1024];
    new Random(1).nextBytes(junk);
    Files.write(bad, junk);
    assertThatThrownBy(() -> SegmentDecoder.open(bad))
        .isInstanceOf(VideoDecodeException.class)
        .hasMessageContaining("camera 3 (broken).mp4");
  }

  @Test
  void emptyAndMissingFilesAreRefusedNamingTheFile(@TempDir Path dir) throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.mp4"));
    assertThatThrownBy(() -> SegmentDecoder.open(empty))
        .isInstanceOf(VideoDecodeException.class)
        .hasMessageContaining("empty.mp4");
    assertThatThrownBy(() -> SegmentDecoder.open(dir.resolve("gone.mp4")))
        .isInstanceOf(VideoDecodeException.class)
        .hasMessageContaining("gone.mp4")
        .hasMessageContaining("does not exist");
  }
}
