package org.farmid.common.track;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.filter.DefaultMeasurementModel;
import org.apache.commons.math3.filter.DefaultProcessModel;
import org.apache.commons.math3.filter.KalmanFilter;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.farmid.common.embed.Embeddings;
import org.farmid.common.geom.Box;

/**
 * Links one video's detections into tracks, frame by frame in time order (SORT-like, with an
 * appearance term): each track predicts its box with a constant-velocity Kalman filter (Apache
 * Commons Math) on centre and size; detections and tracks are paired by optimal assignment ({@link
 * Assignment}) on a cost mixing box overlap and embedding distance, pairs whose centres moved more
 * than {@code maxMotion} box diagonals being forbidden; an unpaired detection starts a track, a
 * track unpaired for more than {@code maxMisses} frames ends.
 */
public final class Tracker {

  /**
   * @param maxMotion largest centre move between two processed frames, in diagonals of the
   *     predicted box
   * @param appearanceWeight share of the cost from embedding distance (0 = boxes only)
   * @param maxCost pairs costing more are never made
   * @param maxMisses frames a track survives without a detection
   */
  public record Options(double maxMotion, double appearanceWeight, double maxCost, int maxMisses)
      implements java.io.Serializable {
    public Options {
      if (!(maxMotion > 0) || appearanceWeight < 0 || appearanceWeight > 1 || maxMisses < 0) {
        throw new IllegalArgumentException(
            "tracker options need maxMotion > 0, appearanceWeight in [0, 1], maxMisses >= 0");
      }
    }
  }

  /** A detection of one frame: its id, box and embedding (may be null). */
  public record Observation(String id, Box box, float[] embedding) {}

  private final Options options;
  private final List<Track> live = new ArrayList<>();
  private long nextId = 1;

  public Tracker(Options options) {
    this.options = options;
  }

  /**
   * Processes the next frame's detections; returns each detection's track id, in input order.
   * Frames must come in time order.
   */
  public long[] step(List<Observation> frame) {
    for (Track t : live) {
      t.predict();
    }
    int nt = live.size();
    int nd = frame.size();
    double[][] cost = new double[nt][nd];
    for (int i = 0; i < nt; i++) {
      Track t = live.get(i);
      Box p = t.predicted();
      double diag = Math.hypot(p.width(), p.height());
      for (int j = 0; j < nd; j++) {
        Observation o = frame.get(j);
        double move = Math.hypot(o.box().centerX() - p.centerX(), o.box().centerY() - p.centerY());
        double c = Double.NaN;
        if (move <= options.maxMotion() * diag) {
          double overlap = 1 - p.iou(o.box());
          double look =
              t.appearance == null || o.embedding() == null
                  ? overlap
                  : Embeddings.distance(t.appearance, o.embedding()) / 2;
          c = (1 - options.appearanceWeight()) * overlap + options.appearanceWeight() * look;
          if (c > options.maxCost()) {
            c = Double.NaN;
          }
        }
        cost[i][j] = c;
      }
    }
    int[] pair = Assignment.minCost(cost);
    long[] ids = new long[nd];
    boolean[] taken = new boolean[nd];
    for (int i = 0; i < nt; i++) {
      Track t = live.get(i);
      if (pair[i] >= 0) {
        Observation o = frame.get(pair[i]);
        t.correct(o);
        ids[pair[i]] = t.id;
        taken[pair[i]] = true;
      } else {
        t.misses++;
      }
    }
    live.removeIf(t -> t.misses > options.maxMisses());
    for (int j = 0; j < nd; j++) {
      if (!taken[j]) {
        Track t = new Track(nextId++, frame.get(j));
        live.add(t);
        ids[j] = t.id;
      }
    }
    return ids;
  }

  /** The id the next new track will get: every id so far is below it. */
  public long nextId() {
    return nextId;
  }

  /** Tracks alive now (for tests and diagnostics). */
  public int liveTracks() {
    return live.size();
  }

  /** One track: a Kalman filter on (cx, cy, w, h, vx, vy) and a running appearance. */
  private static final class Track {
    final long id;
    final KalmanFilter filter;
    float[] appearance;
    int misses;

    Track(long id, Observation o) {
      this.id = id;
      Box b = o.box();
      double s = Math.max(b.width(), b.height());
      RealMatrix a =
          new Array2DRowRealMatrix(
              new double[][] {
                {1, 0, 0, 0, 1, 0},
                {0, 1, 0, 0, 0, 1},
                {0, 0, 1, 0, 0, 0},
                {0, 0, 0, 1, 0, 0},
                {0, 0, 0, 0, 1, 0},
                {0, 0, 0, 0, 0, 1}
              });
      double q = 0.05 * s;
      double qv = 0.1 * s;
      RealMatrix processNoise = diagonal(q * q, q * q, q * q, q * q, qv * qv, qv * qv);
      double v0 = 0.5 * s;
      RealMatrix p0 = diagonal(1, 1, 1, 1, v0 * v0, v0 * v0);
      ArrayRealVector x0 =
          new ArrayRealVector(new double[] {b.centerX(), b.centerY(), b.width(), b.height(), 0, 0});
      RealMatrix h =
          new Array2DRowRealMatrix(
              new double[][] {
                {1, 0, 0, 0, 0, 0},
                {0, 1, 0, 0, 0, 0},
                {0, 0, 1, 0, 0, 0},
                {0, 0, 0, 1, 0, 0}
              });
      double r = 0.05 * s;
      RealMatrix measurementNoise = diagonal(r * r, r * r, r * r, r * r);
      this.filter =
          new KalmanFilter(
              new DefaultProcessModel(a, null, processNoise, x0, p0),
              new DefaultMeasurementModel(h, measurementNoise));
      this.appearance = o.embedding() == null ? null : o.embedding().clone();
    }

    void predict() {
      filter.predict();
    }

    Box predicted() {
      double[] x = filter.getStateEstimation();
      double w = Math.max(1, x[2]);
      double hgt = Math.max(1, x[3]);
      return new Box(x[0] - w / 2, x[1] - hgt / 2, w, hgt);
    }

    void correct(Observation o) {
      Box b = o.box();
      filter.correct(new double[] {b.centerX(), b.centerY(), b.width(), b.height()});
      misses = 0;
      if (o.embedding() != null) {
        if (appearance == null) {
          appearance = o.embedding().clone();
        } else {
          float[] mixed = new float[appearance.length];
          for (int k = 0; k < mixed.length; k++) {
            mixed[k] = 0.7f * appearance[k] + 0.3f * o.embedding()[k];
          }
          appearance = Embeddings.normalize(mixed);
        }
      }
    }

    private static RealMatrix diagonal(double... d) {
      double[][] m = new double[d.length][d.length];
      for (int i = 0; i < d.length; i++) {
        m[i][i] = d[i];
      }
      return new Array2DRowRealMatrix(m);
    }
  }
}
