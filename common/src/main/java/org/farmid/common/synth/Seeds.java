package org.farmid.common.synth;

/** Derives independent, reproducible seeds from a base seed and a path of indices (SplitMix64). */
public final class Seeds {
  private Seeds() {}

  public static long mix(long seed, long... path) {
    long h = scramble(seed);
    for (long p : path) {
      h = scramble(h ^ scramble(p + 0x9E3779B97F4A7C15L));
    }
    return h;
  }

  private static long scramble(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
