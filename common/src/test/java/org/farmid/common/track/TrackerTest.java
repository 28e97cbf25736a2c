package org.farmid.common.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.farmid.common.geom.Box;
import org.junit.jupiter.api.Test;

class TrackerTest {
  static final Tracker.Options OPTIONS = new Tracker.Options(1.5, 0.5, 0.8, 2);

  @Test
  void twoAnimalsCrossingKeepTheirTracksThanksToVelocityAndLooks() {
    Tracker t = new Tracker(OPTIONS);
    float[] a = {1, 0};
    float[] b = {0, 1};
    List<long[]> ids = new ArrayList<>();
    for (int f = 0; f <= 10; f++) {
      // a walks right, b walks left along the same row; they pass each other at f = 5.
      Box boxA = new Box(10 + 18 * f, 50, 40, 20);
      Box boxB = new Box(190 - 18 * f, 50, 40, 20);
      ids.add(
          t.step(
              List.of(
                  new Tracker.Observation("a" + f, boxA, a),
                  new Tracker.Observation("b" + f, boxB, b))));
    }
    for (long[] frame : ids) {
      assertThat(frame).containsExactly(1, 2);
    }
  }

  @Test
  void aTrackEndsAfterItsMissesAndANewcomerGetsANewId() {
    Tracker t = new Tracker(OPTIONS);
    Box box = new Box(0, 0, 10, 10);
    assertThat(t.step(List.of(new Tracker.Observation("x", box, null)))).containsExactly(1);
    for (int k = 0; k < 3; k++) {
      assertThat(t.step(List.of())).isEmpty();
    }
    assertThat(t.liveTracks()).isZero();
    assertThat(t.step(List.of(new Tracker.Observation("y", box, null)))).containsExactly(2);
    // far away: a second track, not a jump of the first
    assertThat(t.step(List.of(new Tracker.Observation("z", new Box(500, 500, 10, 10), null))))
        .containsExactly(3);
  }

  @Test
  void twoTracksAliveAtOnceNeverShareAnAnimal() {
    List<TrackVote.Ballot> strongA =
        List.of(new TrackVote.Ballot("a", 0.9), new TrackVote.Ballot("a", 0.9));
    List<TrackVote.Ballot> weakAthenB =
        List.of(
            new TrackVote.Ballot("a", 0.3),
            new TrackVote.Ballot("b", 0.2),
            new TrackVote.Ballot("a", 0.3));
    Map<Long, TrackVote.Named> named =
        TrackVote.name(
            List.of(
                new TrackVote.Candidate(1, 0, 10, strongA),
                new TrackVote.Candidate(2, 5, 15, weakAthenB),
                new TrackVote.Candidate(3, 20, 30, weakAthenB)),
            0.2);
    assertThat(named.get(1L).animalId()).isEqualTo("a");
    assertThat(named.get(1L).strength()).isEqualTo(1.0);
    // track 2 overlaps track 1 in time: a is taken, so its runner-up b (share 0.25 / 0.95)
    assertThat(named.get(2L).animalId()).isEqualTo("b");
    // track 3 comes after track 1 ends: a is free again
    assertThat(named.get(3L).animalId()).isEqualTo("a");
    // with a higher bar, the runner-up is not enough: unknown
    assertThat(
            TrackVote.name(
                    List.of(
                        new TrackVote.Candidate(1, 0, 10, strongA),
                        new TrackVote.Candidate(2, 5, 15, weakAthenB)),
                    0.4)
                .get(2L)
                .animalId())
        .isEqualTo("unknown");
  }

  private static List<TrackVote.Ballot> ballots(String labels, double margin) {
    List<TrackVote.Ballot> out = new ArrayList<>();
    for (String l : labels.split(" ")) {
      out.add(new TrackVote.Ballot(l.equals("?") ? "unknown" : l, margin));
    }
    return out;
  }

  @Test
  void aTrackIsCutWhereItsIdentityChangesForLongerThanTheSwitchPenalty() {
    // Each ballot of margin 0.5 weighs 0.55. Five b's cost 2.75 when left in a's piece: one cut
    // (penalty 1) is cheaper.
    assertThat(TrackVote.cuts(ballots("a a a a a b b b b b", 0.5), 1.0)).containsExactly(0, 5);
    // One b costs 0.55 < 1: no cut; nor with a penalty of 0 (cutting off).
    assertThat(TrackVote.cuts(ballots("a a a a a b", 0.5), 1.0)).containsExactly(0);
    assertThat(TrackVote.cuts(ballots("a a a a a b b b b b", 0.5), 0)).containsExactly(0);
    // Three b's inside: two cuts cost 2 at penalty 1, more than 3 x 0.55 = 1.65, so no cut; at
    // penalty 0.8 two cuts cost 1.6 < 1.65, so the b's become a piece of their own.
    assertThat(TrackVote.cuts(ballots("a a a b b b a a a", 0.5), 1.0)).containsExactly(0);
    assertThat(TrackVote.cuts(ballots("a a a b b b a a a", 0.5), 0.8)).containsExactly(0, 3, 6);
    // Unknown ballots cost every animal the same: however many, they never cause a cut.
    assertThat(TrackVote.cuts(ballots("a a ? ? ? ? ? ? a", 0.9), 0.1)).containsExactly(0);
    // A clear answer weighs more: two b's of margin 1 (1.05 each) outweigh penalty 2.
    List<TrackVote.Ballot> strongTail = ballots("a a a a", 0.5);
    strongTail.addAll(ballots("b b", 1.0));
    assertThat(TrackVote.cuts(strongTail, 2.0)).containsExactly(0, 4);
    assertThat(TrackVote.cuts(ballots("a a a a b b", 0.5), 2.0)).containsExactly(0);
  }

  @Test
  void aTrackThatLosesItsAnimalToAStrongerOneIsContestedOverTheFramesTheyShare() {
    List<TrackVote.Candidate> tracks =
        List.of(
            new TrackVote.Candidate(1, 0, 10, ballots("a a a a", 0.9)),
            // all for a, but weaker than track 1, with which it shares frames 5 to 10
            new TrackVote.Candidate(2, 5, 15, ballots("a a", 0.2)),
            // a holds only a third of its vote: unknown by its own vote, not contested
            new TrackVote.Candidate(3, 0, 10, ballots("a b ?", 0.5)),
            // mostly unknown ballots: unknown, not contested
            new TrackVote.Candidate(4, 8, 12, ballots("? ? a", 0.5)));
    Map<Long, TrackVote.Named> named = TrackVote.name(tracks, 0.4);
    assertThat(new java.util.TreeMap<>(named).values().stream().map(TrackVote.Named::animalId))
        .containsExactly("a", "unknown", "unknown", "unknown");
    Map<Long, int[]> contested = TrackVote.contested(tracks, named, 0.4);
    assertThat(contested).containsOnlyKeys(2L);
    assertThat(contested.get(2L)).containsExactly(5, 10);
  }

  @Test
  void tracksNamedAfterOneAnimalAreJoinedUnknownOnesStayApart() {
    Map<Long, TrackVote.Named> named =
        Map.of(
            4L, new TrackVote.Named(4, "a", 0.9),
            2L, new TrackVote.Named(2, "b", 0.8),
            7L, new TrackVote.Named(7, "a", 0.6),
            3L, new TrackVote.Named(3, "unknown", 0.7),
            5L, new TrackVote.Named(5, "unknown", 0.5),
            9L, new TrackVote.Named(9, "a", 0.7));
    assertThat(new java.util.TreeMap<>(TrackVote.joinByIdentity(named)).toString())
        .isEqualTo("{2=2, 3=3, 4=4, 5=5, 7=4, 9=4}");
  }

  @Test
  void tracksThatNeverShareAFrameMayBothHaveTheAnimal() {
    List<TrackVote.Ballot> a =
        List.of(new TrackVote.Ballot("a", 0.9), new TrackVote.Ballot("a", 0.8));
    // 1 and 2 alternate (the tracker lost the animal and started 2 while 1 still waited): both a
    // 3 shares frame 4 with 1: a is taken there
    Map<Long, TrackVote.Named> named =
        TrackVote.name(
            List.of(
                new TrackVote.Candidate(1, new int[] {0, 4}, a),
                new TrackVote.Candidate(2, new int[] {1, 3}, a),
                new TrackVote.Candidate(
                    3,
                    new int[] {4, 6},
                    List.of(new TrackVote.Ballot("a", 0.1), new TrackVote.Ballot("a", 0.1)))),
            0.4);
    assertThat(named.get(1L).animalId()).isEqualTo("a");
    assertThat(named.get(2L).animalId()).isEqualTo("a");
    assertThat(named.get(3L).animalId()).isEqualTo("unknown");
    assertThat(new java.util.TreeMap<>(TrackVote.joinByIdentity(named)).toString())
        .isEqualTo("{1=1, 2=1, 3=3}");
  }
}
