package org.farmid.models.tf;

import java.util.List;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * The values {@link NetworkGraph#adam} reads at each training step: the step size, and beta1^t and
 * beta2^t for Adam's bias correction at step t (1-based). Closing it frees the three tensors.
 */
public final class AdamFeed implements AutoCloseable {
  static final float BETA1 = 0.9f;
  static final float BETA2 = 0.999f;
  static final float EPSILON = 1e-8f;

  /** Schedules {@link #learningRate} knows. */
  public static final List<String> SCHEDULES = List.of("constant", "cosine");

  /** Null for a known schedule, else what is wrong with it ("must be one of ..., got '...'"). */
  public static String unknownSchedule(String schedule) {
    return SCHEDULES.contains(schedule)
        ? null
        : "must be one of " + String.join(", ", SCHEDULES) + ", got '" + schedule + "'";
  }

  private final TFloat32 learningRate;
  private final TFloat32 beta1Power;
  private final TFloat32 beta2Power;

  public AdamFeed(float learningRate, long step) {
    if (step < 1) {
      throw new IllegalArgumentException("Adam steps count from 1, got " + step);
    }
    this.learningRate = TFloat32.scalarOf(learningRate);
    this.beta1Power = TFloat32.scalarOf((float) Math.pow(BETA1, step));
    this.beta2Power = TFloat32.scalarOf((float) Math.pow(BETA2, step));
  }

  /** Adds the three feeds of {@code graph}'s Adam step to {@code runner}. */
  public Session.Runner feed(Session.Runner runner, NetworkGraph graph) {
    return runner
        .feed(graph.learningRate, learningRate)
        .feed(graph.beta1Power, beta1Power)
        .feed(graph.beta2Power, beta2Power);
  }

  /**
   * The step size at {@code progress} (0 at the first step, 1 after the last epoch) of a schedule:
   * {@code constant}, or {@code cosine} from {@code base} down to 1% of it.
   */
  public static float learningRate(String schedule, float base, double progress) {
    switch (schedule) {
      case "constant":
        return base;
      case "cosine":
        double p = Math.max(0, Math.min(1, progress));
        double floor = 0.01 * base;
        return (float) (floor + 0.5 * (base - floor) * (1 + Math.cos(Math.PI * p)));
      default:
        throw new IllegalArgumentException("learning-rate schedule " + unknownSchedule(schedule));
    }
  }

  @Override
  public void close() {
    learningRate.close();
    beta1Power.close();
    beta2Power.close();
  }
}
