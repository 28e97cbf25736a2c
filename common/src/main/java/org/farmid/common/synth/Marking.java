package org.farmid.common.synth;

/** Paint marks farms put on pigs' backs so people can tell them apart. */
public enum Marking {
  STRIPES,
  SPINE_LINE,
  SPOTS,
  NUMBER,
  HIP_PATCH,
  SHOULDER_BAND,
  CROSS;

  /** Spray-paint colours, RGB. */
  static final int[][] COLOURS = {
    {35, 75, 205}, // blue
    {205, 35, 40}, // red
    {30, 150, 60}, // green
    {25, 25, 30}, // black
    {245, 135, 15}, // orange
    {135, 45, 170}, // purple
  };
}
