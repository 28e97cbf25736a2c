package org.farmid.common.synth;

import java.util.SplittableRandom;

/**
 * The stable appearance of one animal: size, skin tone, natural spots and its paint marking.
 *
 * @param length nose to tail, metres
 * @param width across the body, metres
 * @param tone skin colour, RGB
 * @param spots natural dark spots as (u, v, radius) triples in body units (u along, v across)
 * @param markingColour index into the paint colours
 * @param markingParam position or count or digit, depending on the marking
 */
public record AnimalLook(
    double length,
    double width,
    int[] tone,
    double[] spots,
    Marking marking,
    int markingColour,
    int markingParam,
    double markingOffset) {

  private static final int[][] TONES = {
    {238, 198, 186},
    {244, 214, 204},
    {224, 196, 162},
    {208, 164, 126},
    {204, 182, 176},
    {176, 138, 120}
  };

  /** A look with the given marking and colour; everything else drawn from {@code rnd}. */
  public static AnimalLook random(SplittableRandom rnd, Marking marking, int colour, int param) {
    double length = 1.0 + rnd.nextDouble() * 0.35;
    double width = length * (0.36 + rnd.nextDouble() * 0.06);
    int[] base = TONES[rnd.nextInt(TONES.length)];
    int[] tone = new int[3];
    for (int c = 0; c < 3; c++) {
      tone[c] = Math.max(0, Math.min(255, base[c] + rnd.nextInt(-10, 11)));
    }
    int spotCount = rnd.nextInt(4) == 0 ? rnd.nextInt(1, 4) : 0;
    double[] spots = new double[spotCount * 3];
    for (int i = 0; i < spotCount; i++) {
      spots[3 * i] = -0.35 + rnd.nextDouble() * 0.6;
      spots[3 * i + 1] = -0.3 + rnd.nextDouble() * 0.6;
      spots[3 * i + 2] = 0.06 + rnd.nextDouble() * 0.08;
    }
    double offset = -0.15 + rnd.nextDouble() * 0.3;
    return new AnimalLook(length, width, tone, spots, marking, colour, param, offset);
  }

  public int[] markingRgb() {
    return Marking.COLOURS[markingColour];
  }
}
