package org.farmid.common.synth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Moves the animals of one clip around their pen: they walk with smooth turns, stand, and go to lie
 * side by side in a resting corner, where they touch and overlap (a herd too large for the corner
 * lies in more columns across the pen, see {@link #restSpots}). Walking animals keep some distance
 * from each other; resting ones do not. Deterministic for a given clip seed.
 */
public final class PenSimulation {
  private enum Mode {
    WALK,
    STAND,
    REST
  }

  private static final class State {
    final HerdMember member;
    double x;
    double y;
    double heading;
    double speed;
    double turnRate;
    Mode mode;
    int framesLeft;
    final int restSlot;
    final double[] restSpot;

    State(HerdMember member, int restSlot, double[] restSpot) {
      this.member = member;
      this.restSlot = restSlot;
      this.restSpot = restSpot;
    }
  }

  private PenSimulation() {}

  /** Poses of every frame of the clip; each frame's list is in drawing order (bottom first). */
  public static List<List<Pose>> simulate(ClipPlan clip, CameraRig rig, int fps) {
    SplittableRandom rnd = new SplittableRandom(clip.seed());
    double dt = 1.0 / fps;
    double restX = rnd.nextBoolean() ? 0.9 : rig.penWidth * 0.55;
    double restY = 0.7 + rnd.nextDouble() * 0.4;
    double restHeading = rnd.nextBoolean() ? 0 : Math.PI;
    double[][] spots = restSpots(clip.members().size(), rig.penWidth, rig.penHeight, restX, restY);
    List<State> states = new ArrayList<>();
    for (int i = 0; i < clip.members().size(); i++) {
      State s = new State(clip.members().get(i), i, spots[i]);
      double margin = s.member.look().length() * 0.5;
      s.x = margin + rnd.nextDouble() * (rig.penWidth - 2 * margin);
      s.y = margin + rnd.nextDouble() * (rig.penHeight - 2 * margin);
      s.heading = rnd.nextDouble() * 2 * Math.PI;
      newMode(s, rnd, fps);
      states.add(s);
    }
    List<List<Pose>> frames = new ArrayList<>(clip.frames());
    for (int f = 0; f < clip.frames(); f++) {
      List<Pose> poses = new ArrayList<>(states.size());
      for (State s : states) {
        poses.add(new Pose(s.member, s.x, s.y, s.heading, s.mode == Mode.REST && s.speed == 0));
      }
      poses.sort(
          Comparator.comparing((Pose p) -> !p.resting()).thenComparing(p -> p.member().id()));
      frames.add(List.copyOf(poses));
      for (State s : states) {
        step(s, states, rig, rnd, dt, fps, restHeading);
      }
    }
    return frames;
  }

  private static void newMode(State s, SplittableRandom rnd, int fps) {
    double r = rnd.nextDouble();
    s.mode = r < 0.5 ? Mode.WALK : r < 0.72 ? Mode.STAND : Mode.REST;
    s.framesLeft = (int) Math.round((4 + rnd.nextDouble() * 16) * fps);
    s.speed = s.mode == Mode.WALK ? 0.25 + rnd.nextDouble() * 0.45 : 0;
    s.turnRate = 0;
  }

  private static void step(
      State s,
      List<State> all,
      CameraRig rig,
      SplittableRandom rnd,
      double dt,
      int fps,
      double restHeading) {
    if (--s.framesLeft <= 0) {
      newMode(s, rnd, fps);
    }
    double margin = s.member.look().length() * 0.42;
    switch (s.mode) {
      case STAND -> s.heading += rnd.nextGaussian() * 0.03;
      case WALK -> {
        s.turnRate += rnd.nextGaussian() * 0.8 * dt;
        s.turnRate = Math.max(-0.9, Math.min(0.9, s.turnRate));
        s.heading += s.turnRate * dt;
        double nx = s.x + Math.cos(s.heading) * s.speed * dt;
        double ny = s.y + Math.sin(s.heading) * s.speed * dt;
        if (nx < margin
            || nx > rig.penWidth - margin
            || ny < margin
            || ny > rig.penHeight - margin) {
          // Turn back into the pen rather than walk through the wall.
          s.heading =
              Math.atan2(rig.penHeight / 2 - s.y, rig.penWidth / 2 - s.x)
                  + rnd.nextGaussian() * 0.4;
          s.turnRate = 0;
          return;
        }
        for (State o : all) {
          if (o == s) {
            continue;
          }
          double minDistance = 0.5 * (s.member.look().width() + o.member.look().width());
          double now = Math.hypot(o.x - s.x, o.y - s.y);
          double next = Math.hypot(o.x - nx, o.y - ny);
          if (next < minDistance && next < now) {
            s.heading += (rnd.nextBoolean() ? 1 : -1) * 0.35;
            return;
          }
        }
        s.x = nx;
        s.y = ny;
      }
      case REST -> {
        double tx = s.restSpot[0];
        double ty = s.restSpot[1];
        double d = Math.hypot(tx - s.x, ty - s.y);
        if (d > 0.05) {
          double stepLength = Math.min(d, 0.4 * dt);
          s.heading = turnTowards(s.heading, Math.atan2(ty - s.y, tx - s.x), 1.5 * dt);
          s.x += Math.cos(s.heading) * stepLength;
          s.y += Math.sin(s.heading) * stepLength;
          s.speed = 0.4;
        } else {
          double lying = restHeading + (s.restSlot % 3 - 1) * 0.12;
          s.heading = turnTowards(s.heading, lying, 0.8 * dt);
          s.speed = 0;
        }
      }
    }
  }

  /** Across a lying animal: neighbours in a column touch and overlap a little. */
  static final double ROW_SPACING = 0.46;

  /** Along a lying animal: columns of animals lie head to tail. */
  static final double COLUMN_SPACING = 1.3;

  /** How near a wall the middle of a lying animal may be, in x, and its far end in y. */
  private static final double WALL_X = 0.7;

  private static final double WALL_Y = 0.4;

  /**
   * Where each animal of a pen lies when it rests, by its slot (its place in the clip's roster).
   * The first slots lie side by side in two columns from ({@code restX}, {@code restY}), a row
   * every {@link #ROW_SPACING} metres down the pen. A large herd does not fit there: its other
   * animals take more columns across the pen (away from the first two, then on their other side),
   * and when the whole floor is taken, lie half across a neighbour, never on one spot with another.
   */
  static double[][] restSpots(
      int count, double penWidth, double penHeight, double restX, double restY) {
    int rows = Math.max(1, (int) Math.floor((penHeight - WALL_Y - restY) / ROW_SPACING) + 1);
    List<Double> columns = new ArrayList<>(List.of(restX, restX + COLUMN_SPACING));
    for (int i = 2; restX + i * COLUMN_SPACING <= penWidth - WALL_X + 1e-9; i++) {
      columns.add(restX + i * COLUMN_SPACING);
    }
    for (int i = 1; restX - i * COLUMN_SPACING >= WALL_X - 1e-9; i++) {
      columns.add(restX - i * COLUMN_SPACING);
    }
    double[][] spots = new double[count][];
    int floor = rows * columns.size();
    for (int slot = 0; slot < count; slot++) {
      if (slot < 2 * rows) {
        spots[slot] = new double[] {columns.get(slot % 2), restY + (slot / 2) * ROW_SPACING};
      } else if (slot < floor) {
        int k = slot - 2 * rows;
        spots[slot] = new double[] {columns.get(2 + k / rows), restY + (k % rows) * ROW_SPACING};
      } else {
        double[] under = spots[(slot - floor) % floor];
        double half = ROW_SPACING / 2;
        double y = under[1] + half <= penHeight - WALL_Y ? under[1] + half : under[1] - half;
        spots[slot] = new double[] {under[0], y};
      }
    }
    return spots;
  }

  private static double turnTowards(double from, double to, double maxStep) {
    double diff = Math.atan2(Math.sin(to - from), Math.cos(to - from));
    return from + Math.max(-maxStep, Math.min(maxStep, diff));
  }
}
