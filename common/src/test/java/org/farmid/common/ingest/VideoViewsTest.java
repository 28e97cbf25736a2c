package org.farmid.common.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.List;
import java.util.regex.Pattern;
import org.farmid.common.video.VideoInfo;
import org.junit.jupiter.api.Test;

class VideoViewsTest {
  static final Pattern PATTERN = VideoOrigin.compile(VideoOrigin.DEFAULT_PATTERN);
  // 25 s at 25 fps, cut into 10 s segments: [0, 10), [10, 20), [20, end)
  static final VideoInfo INFO = new VideoInfo("x", 1280, 720, 25, 625, 25_000_000L, "h264");

  @Test
  void aPlainFileIsOneViewOfTheWholeFrameNamedByItsPathAndCamera() {
    List<VideoViews.View> views =
        VideoViews.of("cam01/2026-01-05/10-00-00.mp4", INFO, PATTERN, List.of(), 10_000_000L);
    assertThat(views).hasSize(1);
    VideoViews.View v = views.get(0);
    assertThat(v.videoId()).isEqualTo("cam01/2026-01-05/10-00-00.mp4");
    assertThat(v.camera()).isEqualTo("cam01");
    assertThat(v.start()).contains(LocalDateTime.of(2026, 1, 5, 10, 0, 0));
    assertThat(List.of(v.width(), v.height())).containsExactly(1280, 720);
    assertThat(v.segments())
        .containsExactly(
            new SegmentPlan.Segment(0, 0, 10_000_000L, false),
            new SegmentPlan.Segment(1, 10_000_000L, 20_000_000L, false),
            new SegmentPlan.Segment(2, 20_000_000L, 25_000_000L, true));
  }

  @Test
  void aMosaicFileIsOneViewPerTileEachItsOwnCamera() {
    MosaicLayout layout = MosaicLayout.of("pen/.*", "2x2", List.of("nw", "ne", "sw", "se"));
    List<VideoViews.View> views =
        VideoViews.of("pen/2026-01-05/10-00-00.mp4", INFO, PATTERN, List.of(layout), 10_000_000L);
    assertThat(views)
        .extracting(VideoViews.View::videoId)
        .containsExactly(
            "pen/2026-01-05/10-00-00.mp4@nw",
            "pen/2026-01-05/10-00-00.mp4@ne",
            "pen/2026-01-05/10-00-00.mp4@sw",
            "pen/2026-01-05/10-00-00.mp4@se");
    assertThat(views).extracting(VideoViews.View::camera).containsExactly("nw", "ne", "sw", "se");
    assertThat(views).allSatisfy(v -> assertThat(v.width()).isEqualTo(640));
    assertThat(views).allSatisfy(v -> assertThat(v.height()).isEqualTo(360));
    assertThat(views).allSatisfy(v -> assertThat(v.segments()).hasSize(3));
  }
}
