package org.farmid.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.farmid.common.geom.Box;
import org.junit.jupiter.api.Test;

class BodyAxisTest {

  /** A grey picture with a filled ellipse (semi-axes a along the angle, b across it). */
  static byte[] ellipse(
      int w, int h, double cx, double cy, double a, double b, double degrees, int floor, int body) {
    byte[] bgr = new byte[w * h * 3];
    double t = Math.toRadians(degrees);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double dx = x + 0.5 - cx;
        double dy = y + 0.5 - cy;
        double u = dx * Math.cos(t) + dy * Math.sin(t);
        double v = -dx * Math.sin(t) + dy * Math.cos(t);
        int g = (u * u) / (a * a) + (v * v) / (b * b) <= 1 ? body : floor;
        bgr[3 * (y * w + x)] = bgr[3 * (y * w + x) + 1] = bgr[3 * (y * w + x) + 2] = (byte) g;
      }
    }
    return bgr;
  }

  @Test
  void aDiagonalAnimalGivesItsAngleLengthBreadthAndCentre() {
    byte[] bgr = ellipse(120, 100, 60, 50, 40, 12, 30, 40, 220);
    BodyAxis.Oriented o = BodyAxis.of(bgr, 120, 100, new Box(0, 0, 120, 100));
    assertThat(Math.toDegrees(o.angle())).isCloseTo(30, within(2.0));
    assertThat(o.centerX()).isCloseTo(60, within(2.0));
    assertThat(o.centerY()).isCloseTo(50, within(2.0));
    // 80 x 24 pixels, plus one grid step and the margin (8%) each way
    assertThat(o.length()).isBetween(80.0, 95.0);
    assertThat(o.breadth()).isBetween(24.0, 33.0);
  }

  @Test
  void aDarkAnimalOnABrightFloorIsFoundByTheCentreItHolds() {
    byte[] bgr = ellipse(120, 100, 60, 50, 40, 12, -50, 230, 30);
    BodyAxis.Oriented o = BodyAxis.of(bgr, 120, 100, new Box(0, 0, 120, 100));
    assertThat(Math.toDegrees(o.angle())).isCloseTo(-50, within(2.0));
    assertThat(o.length()).isGreaterThan(2.5 * o.breadth());
  }

  @Test
  void anAnimalAcrossThePictureLiesAtAQuarterTurn() {
    byte[] bgr = ellipse(60, 120, 30, 60, 45, 15, 90, 40, 220);
    BodyAxis.Oriented o = BodyAxis.of(bgr, 60, 120, new Box(0, 0, 60, 120));
    assertThat(Math.toDegrees(o.angle())).isCloseTo(90, within(2.0));
  }

  @Test
  void onlyTheRegionIsRead() {
    // The animal lies at 30 degrees inside the region; outside it, a bright bar at -60 degrees.
    byte[] bgr = ellipse(200, 100, 60, 50, 40, 12, 30, 40, 220);
    byte[] bar = ellipse(200, 100, 160, 50, 45, 10, -60, 40, 220);
    for (int y = 0; y < 100; y++) {
      for (int x = 120; x < 200; x++) {
        int i = 3 * (y * 200 + x);
        System.arraycopy(bar, i, bgr, i, 3);
      }
    }
    BodyAxis.Oriented inFrame = BodyAxis.of(bgr, 200, 100, new Box(0, 0, 120, 100));
    BodyAxis.Oriented alone =
        BodyAxis.of(
            ellipse(120, 100, 60, 50, 40, 12, 30, 40, 220), 120, 100, new Box(0, 0, 120, 100));
    assertThat(inFrame).isEqualTo(alone);
  }

  @Test
  void aUniformRegionIsTheRegionItselfLongSideAlongX() {
    byte[] bgr = new byte[30 * 80 * 3];
    java.util.Arrays.fill(bgr, (byte) 128);
    BodyAxis.Oriented o = BodyAxis.of(bgr, 30, 80, new Box(0, 0, 30, 80));
    assertThat(o).isEqualTo(new BodyAxis.Oriented(15, 40, Math.PI / 2, 80, 30));
  }

  @Test
  void otsuSplitsTwoPeaks() {
    int[] histogram = new int[256];
    histogram[40] = 70;
    histogram[200] = 30;
    int t = BodyAxis.otsu(histogram, 100);
    assertThat(t).isBetween(40, 199);
    int[] flat = new int[256];
    flat[128] = 100;
    assertThat(BodyAxis.otsu(flat, 100)).isEqualTo(-1);
  }
}
