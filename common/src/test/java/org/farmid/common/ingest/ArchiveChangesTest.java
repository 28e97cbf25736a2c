package org.farmid.common.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.farmid.common.ingest.ArchiveChanges.Known;
import org.farmid.common.ingest.ArchiveChanges.Listed;
import org.farmid.common.ingest.ArchiveChanges.Refused;
import org.junit.jupiter.api.Test;

class ArchiveChangesTest {
  static final String PLAN = "plan-a";

  static final List<Known> KNOWN =
      List.of(
          new Known("/a/same.mp4", 100, 1_000, PLAN, false),
          new Known("/a/resized.mp4", 100, 1_000, PLAN, false),
          new Known("/a/touched.mp4", 100, 1_000, PLAN, false),
          new Known("/a/replanned.mp4", 100, 1_000, "plan-old", false),
          new Known("/a/gone.mp4", 100, 1_000, PLAN, false),
          new Known("/a/gone-before.mp4", 100, 1_000, PLAN, true),
          new Known("/a/back.mp4", 100, 1_000, PLAN, true));

  static final List<Listed> LISTED =
      List.of(
          new Listed("/a/same.mp4", 100, 1_000),
          new Listed("/a/resized.mp4", 101, 1_000),
          new Listed("/a/touched.mp4", 100, 2_000),
          new Listed("/a/replanned.mp4", 100, 1_000),
          new Listed("/a/back.mp4", 100, 1_000),
          new Listed("/a/new.mp4", 50, 3_000),
          new Listed("/a/refused.mp4", 10, 500),
          new Listed("/a/refused-then-fixed.mp4", 10, 9_000));

  static final List<Refused> REFUSED =
      List.of(new Refused("/a/refused.mp4", 600), new Refused("/a/refused-then-fixed.mp4", 600));

  private static List<String> paths(List<Listed> l) {
    return l.stream().map(Listed::path).toList();
  }

  @Test
  void onlyNewChangedReplannedAndReturningFilesAreProbed() {
    ArchiveChanges c = ArchiveChanges.of(LISTED, KNOWN, REFUSED, PLAN, false);
    assertThat(paths(c.toProbe()))
        .containsExactly(
            "/a/resized.mp4",
            "/a/touched.mp4",
            "/a/replanned.mp4",
            "/a/back.mp4",
            "/a/new.mp4",
            "/a/refused-then-fixed.mp4");
    assertThat(paths(c.unchanged())).containsExactly("/a/same.mp4");
    // gone-before was already marked missing: it is not reported again
    assertThat(c.vanished()).containsExactly("/a/gone.mp4");
    assertThat(c.stillRefused()).isEqualTo(1);
    assertThat(c.listed()).isEqualTo(8);
    assertThat(c.known()).isEqualTo(7);
    assertThat(c.isEmpty()).isFalse();
  }

  @Test
  void anUnchangedArchiveNeedsNothing() {
    List<Listed> listed = List.of(new Listed("/a/same.mp4", 100, 1_000));
    ArchiveChanges c = ArchiveChanges.of(listed, KNOWN.subList(0, 1), List.of(), PLAN, false);
    assertThat(c.isEmpty()).isTrue();
    assertThat(paths(c.unchanged())).containsExactly("/a/same.mp4");
  }

  @Test
  void reprocessProbesEveryListedFile() {
    ArchiveChanges c = ArchiveChanges.of(LISTED, KNOWN, REFUSED, PLAN, true);
    assertThat(paths(c.toProbe())).isEqualTo(paths(LISTED));
    assertThat(c.unchanged()).isEmpty();
    assertThat(c.stillRefused()).isZero();
    assertThat(c.vanished()).containsExactly("/a/gone.mp4");
  }
}
