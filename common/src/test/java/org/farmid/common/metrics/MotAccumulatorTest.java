package org.farmid.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.farmid.common.geom.Box;
import org.farmid.common.testing.SharedData;
import org.junit.jupiter.api.Test;

class MotAccumulatorTest {

  /** Feeds one MOTChallenge sequence; ids and frames are offset to keep sequences apart. */
  static void feed(MotAccumulator acc, Path dir, long offset) throws IOException {
    Map<Long, List<MotAccumulator.Labelled>> gt = read(dir.resolve("gt.txt"), offset);
    Map<Long, List<MotAccumulator.Labelled>> hyp = read(dir.resolve("test.txt"), offset);
    TreeMap<Long, Boolean> frames = new TreeMap<>();
    gt.keySet().forEach(f -> frames.put(f, true));
    hyp.keySet().forEach(f -> frames.put(f, true));
    for (long f : frames.keySet()) {
      acc.update(f + offset, gt.getOrDefault(f, List.of()), hyp.getOrDefault(f, List.of()));
    }
  }

  static Map<Long, List<MotAccumulator.Labelled>> read(Path file, long offset) throws IOException {
    Map<Long, List<MotAccumulator.Labelled>> byFrame = new TreeMap<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      long frame = (long) Double.parseDouble(f[0]);
      long id = (long) Double.parseDouble(f[1]) + offset;
      Box box =
          new Box(
              Double.parseDouble(f[2]),
              Double.parseDouble(f[3]),
              Double.parseDouble(f[4]),
              Double.parseDouble(f[5]));
      byFrame
          .computeIfAbsent(frame, k -> new ArrayList<>())
          .add(new MotAccumulator.Labelled(id, box));
    }
    return byFrame;
  }

  static void assertSummary(
      MotSummary s,
      double idf1,
      double idp,
      double idr,
      double recall,
      double precision,
      int gt,
      int mt,
      int pt,
      int ml,
      long fp,
      long fn,
      long idsw,
      long fm,
      double mota,
      double motp) {
    assertThat(s.idf1()).isCloseTo(idf1, within(1e-3));
    assertThat(s.idp()).isCloseTo(idp, within(1e-3));
    assertThat(s.idr()).isCloseTo(idr, within(1e-3));
    assertThat(s.recall()).isCloseTo(recall, within(1e-3));
    assertThat(s.precision()).isCloseTo(precision, within(1e-3));
    assertThat(s.objects()).isEqualTo(gt);
    assertThat(s.mostlyTracked()).isEqualTo(mt);
    assertThat(s.partlyTracked()).isEqualTo(pt);
    assertThat(s.mostlyLost()).isEqualTo(ml);
    assertThat(s.falsePositives()).isEqualTo(fp);
    assertThat(s.misses()).isEqualTo(fn);
    assertThat(s.idSwitches()).isEqualTo(idsw);
    assertThat(s.fragmentations()).isEqualTo(fm);
    assertThat(s.mota()).isCloseTo(mota, within(1e-3));
    assertThat(s.motp()).isCloseTo(motp, within(1e-3));
  }

  @Test
  void tudCampusMatchesThePublishedReference() throws IOException {
    MotAccumulator acc = new MotAccumulator();
    feed(acc, SharedData.require("motmetrics/TUD-Campus"), 0);
    assertSummary(
        acc.summary(),
        0.557659,
        0.729730,
        0.451253,
        0.582173,
        0.941441,
        8,
        1,
        6,
        1,
        13,
        150,
        7,
        7,
        0.526462,
        0.277201);
  }

  @Test
  void tudStadtmitteMatchesThePublishedReference() throws IOException {
    MotAccumulator acc = new MotAccumulator();
    feed(acc, SharedData.require("motmetrics/TUD-Stadtmitte"), 0);
    assertSummary(
        acc.summary(),
        0.644619,
        0.819760,
        0.531142,
        0.608997,
        0.939920,
        10,
        5,
        4,
        1,
        45,
        452,
        7,
        6,
        0.564014,
        0.345904);
  }

  @Test
  void bothSequencesTogetherMatchTheOverallReference() throws IOException {
    MotAccumulator acc = new MotAccumulator();
    feed(acc, SharedData.require("motmetrics/TUD-Campus"), 0);
    feed(acc, SharedData.require("motmetrics/TUD-Stadtmitte"), 1_000_000);
    assertSummary(
        acc.summary(),
        0.624296,
        0.799176,
        0.512211,
        0.602640,
        0.940268,
        18,
        6,
        10,
        2,
        58,
        602,
        14,
        13,
        0.555116,
        0.330177);
  }

  @Test
  void handMadeSwitchMissAndFalsePositive() {
    MotAccumulator acc = new MotAccumulator();
    Box a = new Box(0, 0, 10, 10);
    Box b = new Box(100, 0, 10, 10);
    // frame 1: object 1 matched by hypothesis 7; frame 2: by hypothesis 8 (switch);
    // frame 3: missed, and a stray hypothesis far away.
    acc.update(
        1, List.of(new MotAccumulator.Labelled(1, a)), List.of(new MotAccumulator.Labelled(7, a)));
    acc.update(
        2, List.of(new MotAccumulator.Labelled(1, a)), List.of(new MotAccumulator.Labelled(8, a)));
    acc.update(
        3, List.of(new MotAccumulator.Labelled(1, a)), List.of(new MotAccumulator.Labelled(9, b)));
    MotSummary s = acc.summary();
    assertThat(s.idSwitches()).isEqualTo(1);
    assertThat(s.misses()).isEqualTo(1);
    assertThat(s.falsePositives()).isEqualTo(1);
    assertThat(s.mota()).isCloseTo(1 - 3.0 / 3, within(1e-12));
    assertThat(s.motp()).isCloseTo(0, within(1e-12));
    // Best identity assignment: object 1 to hypothesis 7 (or 8), 1 of 3 frames.
    assertThat(s.idf1()).isCloseTo(2.0 * 1 / (3 + 3), within(1e-12));
    assertThat(s.mostlyTracked() + s.partlyTracked()).isEqualTo(1);
  }
}
