package org.farmid.jobs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Embedder inputs of random bytes, for timing inference (its cost does not depend on pixels). */
public final class RandomCrops {
  private RandomCrops() {}

  /** {@code count} crops of {@code width x height} RGB bytes, the same for the same seed. */
  public static List<byte[]> of(int count, int width, int height, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<byte[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] b = new byte[width * height * 3];
      for (int j = 0; j < b.length; j++) {
        b[j] = (byte) rnd.nextInt(256);
      }
      out.add(b);
    }
    return out;
  }
}
