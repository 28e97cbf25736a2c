package org.farmid.common.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.farmid.common.embed.VectorSum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GalleryMathTest {
  static final OpenSetClassifier.FrameRule REASSIGN =
      new OpenSetClassifier.FrameRule(true, OpenSetClassifier.LoserMargin.ZERO);
  static final OpenSetClassifier.FrameRule LOSERS_UNKNOWN =
      new OpenSetClassifier.FrameRule(false, OpenSetClassifier.LoserMargin.ZERO);

  static VectorSum sumOf(float[]... vs) {
    VectorSum s = new VectorSum();
    for (float[] v : vs) {
      s.add(v);
    }
    return s;
  }

  @Test
  void vectorSumMergeIsAssociativeCommutativeWithZero() {
    float[] a = {1, 0, 0};
    float[] b = {0, 1, 0};
    float[] c = {0, 0.6f, 0.8f};
    float[] whole = sumOf(a, b, c).normalizedMean();
    float[] left = sumOf(a).merge(sumOf(b)).merge(sumOf(c)).normalizedMean();
    float[] right = sumOf(c).merge(sumOf(b).merge(sumOf(a))).normalizedMean();
    float[] withZeros =
        new VectorSum().merge(sumOf(a, b)).merge(new VectorSum()).merge(sumOf(c)).normalizedMean();
    assertThat(left).containsExactly(whole, within(1e-7f));
    assertThat(right).containsExactly(whole, within(1e-7f));
    assertThat(withZeros).containsExactly(whole, within(1e-7f));
    // mean (1, 1.6, 0.8)/3 re-normalised: (1, 1.6, 0.8) / sqrt(1 + 2.56 + 0.64)
    double n = Math.sqrt(4.2);
    assertThat(whole)
        .containsExactly(
            new float[] {(float) (1 / n), (float) (1.6 / n), (float) (0.8 / n)}, within(1e-6f));
    assertThat(sumOf(a, b, c).getCount()).isEqualTo(3);
    assertThatThrownBy(() -> sumOf(a).add(new float[2])).hasMessageContaining("length 2");
  }

  @Test
  void thresholdRuleClampsTheScaledSpread() {
    ThresholdRule r = new ThresholdRule(1.5, 0.1, 0.3, 1.0);
    assertThat(r.threshold(0.0)).isEqualTo(0.3);
    assertThat(r.threshold(0.4)).isCloseTo(0.7, within(1e-12));
    assertThat(r.threshold(2.0)).isEqualTo(1.0);
    assertThatThrownBy(() -> new ThresholdRule(1, 0, 0.5, 0.4)).hasMessageContaining("max=0.4");
  }

  @Test
  void registerReadsStaysAndNamesBadLines(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("animals.csv");
    Files.writeString(csv, "id,name,first_day,last_day\n1,A,2026-01-05,\n2,B,,2026-01-06\n");
    HerdRegister r = HerdRegister.read(csv);
    assertThat(r.stays().get("1"))
        .isEqualTo(new HerdRegister.Stay("1", LocalDate.of(2026, 1, 5), null, null));
    assertThat(r.stays().get("2").leftBefore(LocalDate.of(2026, 1, 7))).isTrue();
    assertThat(r.stays().get("2").leftBefore(LocalDate.of(2026, 1, 6))).isFalse();
    Files.writeString(csv, "id,first_day\n1,2026-13-01\n");
    assertThatThrownBy(() -> HerdRegister.read(csv)).hasMessageContaining("line 2");
    Files.writeString(csv, "id\n1\n1\n");
    assertThatThrownBy(() -> HerdRegister.read(csv)).hasMessageContaining("listed twice");
    Files.writeString(csv, "name\nA\n");
    assertThatThrownBy(() -> HerdRegister.read(csv)).hasMessageContaining("no id column");
  }

  @Test
  void infraredCropsAreNamedAgainstTheInfraredMeansWhereAnAnimalHasOne() {
    ThresholdRule rule = new ThresholdRule(2.0, 0.0, 0.3, 1.2);
    GalleryBuild.Result built =
        GalleryBuild.build(
            List.of(
                // a: day mean (1,0), infrared mean (0,1) with p95 0.2 -> threshold 0.4
                new GalleryBuild.AnimalMean(
                    "a", new float[] {1, 0}, 12, 0.1, 0.1, new float[] {0, 1}, 12, 0.2),
                // b: no infrared mean; night crops meet its day mean (-1,0), threshold 0.3
                new GalleryBuild.AnimalMean("b", new float[] {-1, 0}, 12, 0.1, 0.1)),
            HerdRegister.empty(),
            null,
            rule,
            3);
    GalleryEntry a = built.entries().get(0);
    assertThat(a.threshold()).isEqualTo(0.3);
    assertThat(a.infrared().count()).isEqualTo(12);
    assertThat(a.infrared().threshold()).isEqualTo(0.4, within(1e-12));
    assertThat(built.entries().get(1).infrared()).isNull();

    OpenSetClassifier c = new OpenSetClassifier(built.entries());
    float[] grey = {0.6f, 0.8f}; // 0.632 from (0,1), 0.894 from (1,0), 1.789 from (-1,0)
    OpenSetClassifier.Match day = c.classify(grey, null, null, false);
    assertThat(day.nearest()).isEqualTo("a");
    assertThat(day.label()).isEqualTo("unknown"); // 0.894 > 0.3
    assertThat(day.infrared()).isFalse();
    OpenSetClassifier.Match night = c.classify(grey, null, null, true);
    assertThat(night.nearest()).isEqualTo("a");
    assertThat(night.distance()).isEqualTo(Math.sqrt(0.36 + 0.04), within(1e-6));
    assertThat(night.threshold()).isEqualTo(0.4, within(1e-12));
    assertThat(night.label()).isEqualTo("unknown"); // 0.632 > 0.4
    assertThat(night.margin()).isEqualTo(Math.sqrt(2.56 + 0.64) - Math.sqrt(0.4), within(1e-6));
    assertThat(night.infrared()).isTrue();
    float[] nearNightA = {0.1f, 0.995f};
    assertThat(c.classify(nearNightA, null, null, true).label()).isEqualTo("a");
    assertThat(c.classify(nearNightA, null, null, false).label()).isEqualTo("unknown");
    // b has no infrared mean: a night crop at its day mean is named b, not after an infrared mean
    OpenSetClassifier.Match b = c.classify(new float[] {-1, 0}, null, null, true);
    assertThat(b.label()).isEqualTo("b");
    assertThat(b.infrared()).isFalse();
    assertThat(b.threshold()).isEqualTo(0.3);
  }

  /** a at (1,0) threshold 1, b at (0,1) threshold 1.35. */
  private static OpenSetClassifier aAndB() {
    return new OpenSetClassifier(
        List.of(
            new GalleryEntry(
                "a", new float[] {1, 0}, 12, 0.1, 0.5, 1.0, null, null, null, true, null),
            new GalleryEntry(
                "b", new float[] {0, 1}, 12, 0.1, 0.6, 1.35, null, null, null, true, null)));
  }

  @Test
  void aCropNamedOtherwiseThanAloneMayKeepItsRegretAsMargin() {
    OpenSetClassifier c = aAndB();
    float[] x = {1f, 0.1f}; // a 0.1; b 1.345362 (cost 0.996564)
    float[] y = {0.8f, 0.5f}; // a 0.538516; b 0.943398 (cost 0.698813)
    // losers unknown: y loses a to x; kept, y -> a and x unknown cost 1.538516 against 1.1, so
    // its regret is 0.438516 over a's threshold 1, in distance units 0.438516 (= 0.538516 - 0.1)
    List<OpenSetClassifier.Match> lost =
        c.classifyFrame(
            List.of(x, y),
            null,
            null,
            false,
            new OpenSetClassifier.FrameRule(false, OpenSetClassifier.LoserMargin.REGRET));
    assertThat(lost.get(0)).isEqualTo(c.classify(x, null));
    assertThat(lost.get(1).label()).isEqualTo("unknown");
    assertThat(lost.get(1).margin()).isEqualTo(0.438516, within(1e-6));
    assertThat(lost.get(1).distance()).isEqualTo(0.538516, within(1e-6));
    // reassigning: y -> b, least total 0.1 + 0.698813 = 0.798813; kept at a, the best is x -> b
    // (0.996564 + 0.538516 = 1.535080, below x unknown 1.538516): regret 0.736267 times 1
    List<OpenSetClassifier.Match> moved =
        c.classifyFrame(
            List.of(x, y),
            null,
            null,
            false,
            new OpenSetClassifier.FrameRule(true, OpenSetClassifier.LoserMargin.REGRET));
    assertThat(moved.get(1).label()).isEqualTo("b");
    assertThat(moved.get(1).margin()).isEqualTo(0.736267, within(1e-6));
    // with margin zero, the same answers weigh least
    assertThat(c.classifyFrame(List.of(x, y), null, null, false, REASSIGN).get(1).margin())
        .isEqualTo(0.0);
  }

  @Test
  void cropsOfOneFrameAreNeverNamedAfterTheSameAnimal() {
    // a at (1,0) threshold 1, b at (0,1) threshold 1.35; hand-computed distances below
    OpenSetClassifier c = aAndB();
    float[] x = {1f, 0.1f}; // a 0.1; b 1.345
    float[] y = {0.8f, 0.5f}; // a 0.5385; b 0.9434 (cost 0.9434 / 1.35 = 0.699)
    float[] z = {0.9f, -0.2f}; // a 0.2236; b 1.5 (beyond 1.35)
    float[] w = {-0.1f, -0.3f}; // a 1.1402 (beyond 1: unknown alone); b 1.3038 (within 1.35)
    // no animal named twice: each crop's answer alone
    List<OpenSetClassifier.Match> apart =
        c.classifyFrame(List.of(x, new float[] {0, 1}), null, null, false, REASSIGN);
    assertThat(apart).containsExactly(c.classify(x, null), c.classify(new float[] {0, 1}, null));
    // x and y both nearest a: x -> a, y -> b costs 0.1 + 0.699, below y -> a with x unknown
    // (1.5385)
    List<OpenSetClassifier.Match> two = c.classifyFrame(List.of(x, y), null, null, false, REASSIGN);
    assertThat(two.get(0)).isEqualTo(c.classify(x, null));
    OpenSetClassifier.Match yb = two.get(1);
    assertThat(yb.label()).isEqualTo("b");
    assertThat(yb.nearest()).isEqualTo("a");
    assertThat(yb.distance()).isEqualTo(Math.sqrt(0.04 + 0.25), within(1e-6));
    assertThat(yb.threshold()).isEqualTo(1.0);
    assertThat(yb.margin()).isEqualTo(0.0);
    // without reassigning, the crop that loses its nearest animal is unknown: x -> a with y
    // unknown costs 1.1, y -> a with x unknown 1.5385
    assertThat(
            c.classifyFrame(List.of(x, y), null, null, false, LOSERS_UNKNOWN).stream()
                .map(OpenSetClassifier.Match::label))
        .containsExactly("a", "unknown");
    // z also nearest a and within no other threshold: x keeps a (0.1 < 0.2236), z is unknown;
    // w stays unknown, although b's threshold would take it, as it is unknown alone
    List<OpenSetClassifier.Match> four =
        c.classifyFrame(List.of(z, x, y, w), null, null, false, REASSIGN);
    assertThat(four.stream().map(OpenSetClassifier.Match::label))
        .containsExactly("unknown", "a", "b", "unknown");
    assertThat(four.get(0).nearest()).isEqualTo("a");
    assertThat(four.get(0).margin()).isEqualTo(0.0);
    assertThat(four.get(3)).isEqualTo(c.classify(w, null));
  }
}
