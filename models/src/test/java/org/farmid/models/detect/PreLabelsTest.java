package org.farmid.models.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.farmid.common.geom.Box;
import org.farmid.common.track.Tracker;
import org.farmid.models.video.FrameExport;
import org.junit.jupiter.api.Test;

class PreLabelsTest {
  private static final Tracker.Options LINK = new Tracker.Options(1.5, 0.85, 0.9, 3);

  private static FrameExport.Listing at(String file, String video, int frame) {
    return new FrameExport.Listing(file, video, "cam", "", false, frame, frame * 40L);
  }

  @Test
  void boxesAreLinkedAlongEachVideoInFrameOrderAndShortTracksGetNoNumber() {
    Map<String, List<Box>> boxes = new LinkedHashMap<>();
    // video a: two animals drifting right, listed out of frame order; a third seen once.
    boxes.put("a10.jpg", List.of(new Box(104, 0, 50, 30), new Box(300, 200, 60, 40)));
    boxes.put("a0.jpg", List.of(new Box(300, 200, 60, 40), new Box(100, 0, 50, 30)));
    boxes.put(
        "a5.jpg",
        List.of(new Box(102, 0, 50, 30), new Box(600, 400, 40, 40), new Box(302, 200, 60, 40)));
    // video b: the same places as video a, but another video: new tracks.
    boxes.put("b0.jpg", List.of(new Box(100, 0, 50, 30)));
    boxes.put("b5.jpg", List.of(new Box(101, 0, 50, 30)));
    // not in frames.csv: no numbers
    boxes.put("loose.jpg", List.of(new Box(0, 0, 10, 10)));
    List<FrameExport.Listing> frames =
        List.of(
            at("a10.jpg", "a.mp4", 10),
            at("a0.jpg", "a.mp4", 0),
            at("a5.jpg", "a.mp4", 5),
            at("b0.jpg", "b.mp4", 0),
            at("b5.jpg", "b.mp4", 5));

    Map<String, int[]> ids = PreLabels.link(boxes, frames, LINK, 2);

    // Tracks numbered as they start: in a.mp4's first frame (a0) the box at 300,200 comes first.
    assertThat(ids.get("a0.jpg")).containsExactly(1, 2);
    assertThat(ids.get("a5.jpg")).containsExactly(2, 0, 1);
    assertThat(ids.get("a10.jpg")).containsExactly(2, 1);
    assertThat(ids.get("b0.jpg")).containsExactly(3);
    assertThat(ids.get("b5.jpg")).containsExactly(3);
    assertThat(ids).doesNotContainKey("loose.jpg");

    // With a minimum of 3 boxes, b.mp4's track (2 boxes) keeps no number.
    Map<String, int[]> strict = PreLabels.link(boxes, frames, LINK, 3);
    assertThat(strict.get("a5.jpg")).containsExactly(2, 0, 1);
    assertThat(strict.get("b0.jpg")).containsExactly(0);
  }
}
