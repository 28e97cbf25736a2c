package org.farmid.common.synth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Moves the animals of one clip around their pen: they walk with smooth turns, stand, and go to lie
 * side by side in a resting corner, where they touch and overlap. Walking animals keep some
 * distance from each other; resting ones do not. Deterministic for a given clip seed.
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

    State(HerdMember member, int restSlot) {
      this.member = member;
      this.restSlot = restSlot;
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
    List<State> states = new ArrayList<>();
    for (int i = 0; i < clip.members().size(); i++) {
      State s = new State(clip.members().get(i), i);
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
        step(s, states, rig, rnd, dt, fps, restX, restY, restHeading);
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
      double restX,
      double restY,
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
        double slotSpacing = 0.46;
        double tx = restX + (s.restSlot % 2) * 1.3;
        double ty = Math.min(rig.penHeight - 0.4, restY + (s.restSlot / 2) * slotSpacing);
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

  private static double turnTowards(double from, double to, double maxStep) {
    double diff = Math.atan2(Math.sin(to - from), Math.cos(to - from));
    return from + Math.max(-maxStep, Math.min(maxStep, diff));
  }
}
