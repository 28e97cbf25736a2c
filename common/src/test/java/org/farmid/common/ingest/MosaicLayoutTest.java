package org.farmid.common.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.farmid.common.config.FarmIdConfig;
import org.farmid.common.config.InvalidConfigException;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.geom.Box;
import org.farmid.common.video.VideoFrame;
import org.junit.jupiter.api.Test;

class MosaicLayoutTest {
  private static final MosaicLayout SECUREPIG =
      MosaicLayout.of(
          ".*\\.mp4", "2x2", List.of("D68VOGH24", "D68VOGH23", "D68VOGH22", "D68VOGH21"));

  @Test
  void tilesRunRowByRowFromTheTopLeft() {
    assertThat(SECUREPIG.tile(0, 1280, 720)).isEqualTo(new Box(0, 0, 640, 360));
    assertThat(SECUREPIG.tile(1, 1280, 720)).isEqualTo(new Box(640, 0, 640, 360));
    assertThat(SECUREPIG.tile(3, 1280, 720)).isEqualTo(new Box(640, 360, 640, 360));
    MosaicLayout three = MosaicLayout.of(".*", "3x1", List.of("a", "b", "c"));
    // 100 / 3: tiles of 33, the last pixel column left out.
    assertThat(three.tile(2, 100, 50)).isEqualTo(new Box(66, 0, 33, 50));
  }

  @Test
  void aViewIdNamesItsFileAndCamera() {
    String id = MosaicLayout.viewId("Fleeing.mp4", "D68VOGH22");
    assertThat(id).isEqualTo("Fleeing.mp4@D68VOGH22");
    MosaicLayout.View v = MosaicLayout.viewOf(id, List.of(SECUREPIG)).orElseThrow();
    assertThat(v.index()).isEqualTo(2);
    assertThat(v.camera()).isEqualTo("D68VOGH22");
    assertThat(MosaicLayout.viewOf("Fleeing.mp4@other", List.of(SECUREPIG))).isEmpty();
    assertThat(MosaicLayout.viewOf("cam1/a@b.mkv", List.of(SECUREPIG))).isEmpty();
    assertThat(MosaicLayout.viewOf("Fleeing.mp4", List.of(SECUREPIG))).isEmpty();
  }

  @Test
  void badLayoutsSayWhatWasExpected() {
    assertThatThrownBy(() -> MosaicLayout.of(".*", "2by2", List.of("a", "b", "c", "d")))
        .hasMessage("grid must look like 2x2 (columns x rows), got '2by2'");
    assertThatThrownBy(() -> MosaicLayout.of(".*", "2x2", List.of("a", "b", "c")))
        .hasMessage("a 2x2 mosaic needs 4 camera names, got 3");
    assertThatThrownBy(() -> MosaicLayout.of(".*", "2x1", List.of("a", "a")))
        .hasMessage("camera names must be distinct, not blank and without '@'");
    assertThatThrownBy(() -> MosaicLayout.of("(", "1x1", List.of("a")))
        .hasMessageStartingWith("path is not a regular expression");
  }

  @Test
  void theSettingIsReadAndItsMistakesNamedByKey() {
    PipelineSettings s =
        PipelineSettings.from(
            FarmIdConfig.load(
                List.of(),
                List.of("pipeline.mosaics=[{path = \".*\", grid = 2x2, cameras = [a, b, c, d]}]")));
    assertThat(s.mosaics())
        .containsExactly(MosaicLayout.of(".*", "2x2", List.of("a", "b", "c", "d")));
    assertThat(PipelineSettings.from(FarmIdConfig.load(List.of(), List.of())).mosaics()).isEmpty();
    assertThatThrownBy(
            () ->
                PipelineSettings.from(
                    FarmIdConfig.load(
                        List.of(),
                        List.of(
                            "pipeline.mosaics=[{path = \".*\", grid = 2x2, cameras = [a]},"
                                + " {path = \".*\", grid = 1x1, camera = [a]}]"))))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining(
            "key 'farmid.pipeline.mosaics[0]': a 2x2 mosaic needs 4 camera names, got 1")
        .hasMessageContaining(
            "key 'farmid.pipeline.mosaics[1]': unknown key 'camera' (known: path, grid, cameras)");
  }

  @Test
  void aCropKeepsTheTilesPixelsExactly() {
    byte[] bgr = new byte[4 * 2 * 3];
    for (int i = 0; i < bgr.length; i++) {
      bgr[i] = (byte) i;
    }
    VideoFrame f = new VideoFrame(7, 99, 4, 2, bgr);
    VideoFrame c = f.crop(2, 1, 2, 1);
    assertThat(c.index()).isEqualTo(7);
    assertThat(c.timestampMicros()).isEqualTo(99);
    // Row 1, columns 2 and 3: bytes (1*4+2)*3 .. (1*4+4)*3.
    assertThat(c.bgr()).containsExactly(18, 19, 20, 21, 22, 23);
    assertThatThrownBy(() -> f.crop(3, 0, 2, 1))
        .hasMessage("crop 2x1 at (3, 0) lies outside a 4x2 frame");
  }
}
