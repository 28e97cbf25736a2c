package org.farmid.common.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.farmid.common.geom.Box;
import org.junit.jupiter.api.Test;

/**
 * The tracking recipe on one video, as domain records: two animals far apart, the crops of the
 * first named animal 1 for four frames and then animal 2, who is also seen elsewhere.
 */
class VideoTrackingTest {
  static final Tracker.Options TRACKER = new Tracker.Options(1.5, 0.85, 0.9, 3);

  static VideoTracking.Detection detection(
      String id, int frame, double left, String label, double margin, float... embedding) {
    return new VideoTracking.Detection(
        id, frame, new Box(left, 100, 80, 40), embedding, label, margin);
  }

  static List<VideoTracking.Detection> video() {
    List<VideoTracking.Detection> ds = new ArrayList<>();
    // given out of frame order, as a Spark group gives them
    for (int f = 7; f >= 0; f--) {
      ds.add(detection("b" + f, f, 600, "2", 0.9, 0, 1));
      ds.add(detection("a" + f, f, 100 + 10 * f, f < 4 ? "1" : "2", 0.5, 1, 0));
    }
    return ds;
  }

  static List<String> summary(double switchPenalty, boolean join) {
    List<String> out = new ArrayList<>();
    for (VideoTracking.Path p :
        VideoTracking.track(
            video(), new VideoTracking.Settings(TRACKER, 0.4, switchPenalty, join))) {
      StringBuilder ids = new StringBuilder();
      p.detections().forEach(d -> ids.append(d.detectionId()).append(' '));
      out.add(
          String.format(
              Locale.ROOT,
              "%d %s %.3f: %s",
              p.id(),
              p.animalId(),
              p.strength(),
              ids.toString().strip()));
    }
    return out;
  }

  @Test
  void aTrackWhoseCropsChangeAnimalIsCutAndItsSecondPieceIsUnknown() {
    // Animal a is tracked first (its id a0 sorts before b0), so it is track 1; the cut gives its
    // second half the next free id, 3, listed right after the track it was cut from; it would be
    // animal 2, whom track 2 holds in those frames, so it is unknown.
    assertThat(summary(0.75, false))
        .containsExactly(
            "1 1 1.000: a0 a1 a2 a3",
            "3 unknown 0.000: a4 a5 a6 a7",
            "2 2 1.000: b0 b1 b2 b3 b4 b5 b6 b7");
  }

  @Test
  void withoutCutsTheWholePathIsTheMajorityAnimal() {
    assertThat(summary(0, false))
        .containsExactly(
            "1 1 0.500: a0 a1 a2 a3 a4 a5 a6 a7", "2 2 1.000: b0 b1 b2 b3 b4 b5 b6 b7");
  }

  @Test
  void joiningByIdentityLeavesPiecesOfDifferentAnimalsApartInIdOrder() {
    // Only pieces named after the same animal are joined: nothing here qualifies, and the joined
    // tracks come in the order of their ids.
    assertThat(summary(0.75, true))
        .containsExactly(
            "1 1 1.000: a0 a1 a2 a3",
            "2 2 1.000: b0 b1 b2 b3 b4 b5 b6 b7",
            "3 unknown 0.000: a4 a5 a6 a7");
  }

  @Test
  void twoTracksOfOneAnimalNeverAliveAtOnceBecomeOne() {
    // Animal 5 is seen in frames 0-2, lost for longer than the tracker waits, and seen again far
    // away in frames 10-12: two tracks, both named 5, joined into the first one's id.
    List<VideoTracking.Detection> ds = new ArrayList<>();
    for (int f : new int[] {0, 1, 2, 10, 11, 12}) {
      ds.add(detection("c" + (f < 10 ? "0" : "") + f, f, f < 10 ? 100 : 900, "5", 0.8, 1, 0));
    }
    VideoTracking.Settings apart = new VideoTracking.Settings(TRACKER, 0.4, 0.75, false);
    assertThat(VideoTracking.track(ds, apart))
        .extracting(VideoTracking.Path::id)
        .containsExactly(1L, 2L);
    List<VideoTracking.Path> joined =
        VideoTracking.track(ds, new VideoTracking.Settings(TRACKER, 0.4, 0.75, true));
    assertThat(joined).hasSize(1);
    assertThat(joined.get(0).id()).isEqualTo(1);
    assertThat(joined.get(0).animalId()).isEqualTo("5");
    assertThat(joined.get(0).detections())
        .extracting(VideoTracking.Detection::frameIndex)
        .containsExactly(0, 1, 2, 10, 11, 12);
  }

  @Test
  void unknownCropsWeighLessWithAnUnknownWeightUnlessTheNamedOnesDisagree() {
    // Animal a, 11 frames: 5 crops named 1 and 6 unknown; animal b, far off: 2 named 2, 2 named 3,
    // 7 unknown. Every margin 0.5, so every ballot weighs 0.55.
    List<VideoTracking.Detection> ds = new ArrayList<>();
    for (int f = 0; f < 11; f++) {
      ds.add(detection("a" + f, f, 100, f < 5 ? "1" : "unknown", 0.5, 1, 0));
      ds.add(detection("b" + f, f, 600, f < 2 ? "2" : f < 4 ? "3" : "unknown", 0.5, 0, 1));
    }
    // Unknown weighing as much as a name: a's unknown holds 3.3 of 6.05, b's 3.85 of 6.05.
    List<VideoTracking.Path> alike =
        VideoTracking.track(ds, new VideoTracking.Settings(TRACKER, 0.4, 0, false, 0, 1));
    assertThat(alike)
        .extracting(VideoTracking.Path::animalId)
        .containsExactly("unknown", "unknown");
    assertThat(alike.get(0).strength()).isCloseTo(3.3 / 6.05, within(1e-9));
    // At half weight: a's 1 holds 2.75 of 2.75 + 1.65 = 4.4 (0.625); b's unknown still holds 1.925
    // of 1.925 + 1.1 + 1.1 (0.467), its names split between 2 and 3.
    List<VideoTracking.Path> half =
        VideoTracking.track(ds, new VideoTracking.Settings(TRACKER, 0.4, 0, false, 0, 0.5));
    assertThat(half).extracting(VideoTracking.Path::animalId).containsExactly("1", "unknown");
    assertThat(half.get(0).strength()).isCloseTo(2.75 / 4.4, within(1e-9));
    assertThat(half.get(1).strength()).isCloseTo(1.925 / 4.125, within(1e-9));
    assertThat(half.get(0).detections()).hasSize(11);
  }

  @Test
  void cropsThatOtherBoxesCoverVoteLessWithACoverDiscount() {
    // Animal a: frames 0-2 named 1 while a neighbour's box (named 2) covers 60x40 of its 80x40,
    // frames 3-5 named 3 with the neighbour far away; margins 0.5, so every ballot weighs 0.55.
    List<VideoTracking.Detection> ds = new ArrayList<>();
    for (int f = 0; f < 6; f++) {
      ds.add(detection("a" + f, f, 100, f < 3 ? "1" : "3", 0.5, 1, 0));
      ds.add(detection("n" + f, f, f < 3 ? 120 : 900, "2", 0.5, 0, 1));
    }
    // Every crop alike: 1 and 3 tie at 1.65 each, and the tie goes to the first label.
    VideoTracking.Path alike =
        VideoTracking.track(ds, new VideoTracking.Settings(TRACKER, 0.4, 0, false, 0)).get(0);
    assertThat(alike.animalId()).isEqualTo("1");
    assertThat(alike.strength()).isCloseTo(0.5, within(1e-9));
    // Discount 0.8: the covered crops' ballots scale by 1 - 0.8 * 0.75 = 0.4 (0.22 each), so 3
    // holds 1.65 of 2.31.
    VideoTracking.Path discounted =
        VideoTracking.track(ds, new VideoTracking.Settings(TRACKER, 0.4, 0, false, 0.8)).get(0);
    assertThat(discounted.animalId()).isEqualTo("3");
    assertThat(discounted.strength()).isCloseTo(1.65 / 2.31, within(1e-9));
    assertThat(discounted.detections())
        .extracting(VideoTracking.Detection::detectionId)
        .containsExactly("a0", "a1", "a2", "a3", "a4", "a5");
  }

  @Test
  void aVideoIsTrackedWithTheCrowdedSettingsFromTheirMedianDetectionsPerFrameOn() {
    VideoTracking.Settings sparse = new VideoTracking.Settings(TRACKER, 0.4, 0.75, true);
    VideoTracking.Settings crowded =
        new VideoTracking.Settings(new Tracker.Options(0.8, 0.6, 0.65, 10), 0.3, 0.75, true);
    // frames 0-2 hold 1, 3 and 4 detections, frame 5 holds 2: sorted 1 2 3 4, median the third
    List<VideoTracking.Detection> ds = new ArrayList<>();
    int[][] frames = {{0, 1}, {1, 3}, {2, 4}, {5, 2}};
    for (int[] f : frames) {
      for (int k = 0; k < f[1]; k++) {
        ds.add(detection("d" + f[0] + "-" + k, f[0], 100 * k, "1", 0.5, 1, 0));
      }
    }
    assertThat(VideoTracking.medianPerFrame(ds)).isEqualTo(3);
    assertThat(VideoTracking.medianPerFrame(List.of())).isZero();
    assertThat(new VideoTracking.Profiles(sparse, crowded, 3).forVideo(ds)).isSameAs(crowded);
    assertThat(new VideoTracking.Profiles(sparse, crowded, 4).forVideo(ds)).isSameAs(sparse);
    // 0 turns the crowded settings off
    assertThat(new VideoTracking.Profiles(sparse, crowded, 0).forVideo(ds)).isSameAs(sparse);
  }
}
