package org.farmid.common.synth;

import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Everything the generator will make, decided up front from the settings and the seed: the herd of
 * every pen with its comings and goings, the visitors, and the clips with their times and lighting.
 */
public final class ArchivePlan {
  /** Visitors get ids from here on, far from registered ids. */
  public static final int FIRST_VISITOR_ID = 901;

  private static final String[] NAMES = {
    "Bella", "Rosie", "Daisy", "Pepper", "Truffle", "Hazel", "Maple", "Clover", "Olive", "Poppy",
    "Willow", "Ginger", "Mabel", "Luna", "Nutmeg", "Peggy", "Hilda", "Wilma", "Dolly", "Minnie",
    "Juno", "Greta", "Frida", "Ida", "Lotte", "Tilly", "Elsie", "Nora", "Fern", "Ruby"
  };

  private final SynthSettings settings;
  private final List<HerdMember> members;
  private final List<ClipPlan> clips;
  private final List<CameraRig> rigs;

  private ArchivePlan(
      SynthSettings settings,
      List<HerdMember> members,
      List<ClipPlan> clips,
      List<CameraRig> rigs) {
    this.settings = settings;
    this.members = List.copyOf(members);
    this.clips = List.copyOf(clips);
    this.rigs = List.copyOf(rigs);
  }

  public static ArchivePlan create(SynthSettings s) {
    List<int[]> combos = new ArrayList<>();
    for (int m = 0; m < Marking.values().length; m++) {
      for (int c = 0; c < Marking.COLOURS.length; c++) {
        combos.add(new int[] {m, c});
      }
    }
    Collections.shuffle(combos, new Random(Seeds.mix(s.seed(), 1)));
    SplittableRandom herdRnd = new SplittableRandom(Seeds.mix(s.seed(), 2));

    List<HerdMember> members = new ArrayList<>();
    int[] nextId = {1};
    int[] lookIndex = {0};
    for (int cam = 0; cam < s.cameras(); cam++) {
      for (int a = 0; a < s.animals(); a++) {
        members.add(newMember(nextId[0]++, cam, 0, s.days() - 1, false, combos, lookIndex, s));
      }
    }
    for (int k = 0; k < s.herdChanges(); k++) {
      int cam = herdRnd.nextInt(s.cameras());
      int day = 1 + herdRnd.nextInt(s.days() - 1);
      List<Integer> leavers = new ArrayList<>();
      for (int i = 0; i < members.size(); i++) {
        HerdMember m = members.get(i);
        if (m.camera() == cam && !m.visitor() && m.presentOn(day - 1) && m.presentOn(day)) {
          leavers.add(i);
        }
      }
      if (leavers.isEmpty()) {
        continue;
      }
      int i = leavers.get(herdRnd.nextInt(leavers.size()));
      HerdMember old = members.get(i);
      members.set(
          i,
          new HerdMember(
              old.id(), old.name(), old.camera(), old.firstDay(), day - 1, false, old.look()));
      members.add(newMember(nextId[0]++, cam, day, s.days() - 1, false, combos, lookIndex, s));
    }
    int visitorId = FIRST_VISITOR_ID;
    for (int cam = 0; cam < s.cameras(); cam++) {
      for (int v = 0; v < s.visitors(); v++) {
        members.add(newMember(visitorId++, cam, 0, s.days() - 1, true, combos, lookIndex, s));
      }
    }

    List<CameraRig> rigs = new ArrayList<>();
    for (int cam = 0; cam < s.cameras(); cam++) {
      rigs.add(new CameraRig(cam, s.width(), s.height(), Seeds.mix(s.seed(), 3, cam)));
    }
    return new ArchivePlan(s, members, planClips(s, members), rigs);
  }

  private static HerdMember newMember(
      int id,
      int cam,
      int firstDay,
      int lastDay,
      boolean visitor,
      List<int[]> combos,
      int[] lookIndex,
      SynthSettings s) {
    int k = lookIndex[0]++;
    int[] combo = combos.get(k % combos.size());
    SplittableRandom rnd = new SplittableRandom(Seeds.mix(s.seed(), 4, id));
    // Digits and counts differ between animals sharing a marking once the combinations run out.
    int param = (k / combos.size()) * 3 + rnd.nextInt(3);
    Marking marking = Marking.values()[combo[0]];
    if (marking == Marking.NUMBER) {
      param = (id * 7 + k) % 10;
    }
    AnimalLook look = AnimalLook.random(rnd, marking, combo[1], param);
    String name =
        visitor ? "visitor-" + id : NAMES[(id - 1) % NAMES.length] + (id > NAMES.length ? id : "");
    return new HerdMember(id, name, cam, firstDay, lastDay, visitor, look);
  }

  private static List<ClipPlan> planClips(SynthSettings s, List<HerdMember> members) {
    int perDay = (int) Math.ceil(s.minutes() / s.clipMinutes() - 1e-9);
    int total = s.cameras() * s.days() * perDay;
    int nightClips = (int) Math.round(total * s.nightFraction());
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(Seeds.mix(s.seed(), 5)));
    boolean[] night = new boolean[total];
    for (int i = 0; i < nightClips; i++) {
      night[order.get(i)] = true;
    }

    List<ClipPlan> clips = new ArrayList<>();
    int index = 0;
    for (int cam = 0; cam < s.cameras(); cam++) {
      for (int day = 0; day < s.days(); day++) {
        SplittableRandom rnd = new SplittableRandom(Seeds.mix(s.seed(), 6, cam, day));
        List<Integer> dayHours = shuffled(range(7, 21), rnd);
        List<Integer> nightHours = shuffled(List.of(0, 1, 2, 3, 4, 5, 21, 22, 23), rnd);
        List<HerdMember> present = new ArrayList<>();
        List<HerdMember> visitors = new ArrayList<>();
        for (HerdMember m : members) {
          if (m.camera() == cam && m.presentOn(day)) {
            (m.visitor() ? visitors : present).add(m);
          }
        }
        for (int k = 0; k < perDay; k++, index++) {
          double minutes = Math.min(s.clipMinutes(), s.minutes() - k * s.clipMinutes());
          int hour = night[index] ? nightHours.remove(0) : dayHours.remove(0);
          int maxMinute = Math.max(0, 59 - (int) Math.ceil(s.clipMinutes()));
          LocalTime start = LocalTime.of(hour, rnd.nextInt(maxMinute + 1), rnd.nextInt(60));
          List<HerdMember> inClip = new ArrayList<>(present);
          for (HerdMember v : visitors) {
            // Visitors come by now and then, but always at least in the first clip of the day.
            if (k == 0 || rnd.nextDouble() < 0.5) {
              inClip.add(v);
            }
          }
          clips.add(
              new ClipPlan(
                  cam,
                  day,
                  s.startDate().plusDays(day),
                  start,
                  s.framesIn(minutes * 60),
                  Lighting.atHour(hour),
                  inClip,
                  Seeds.mix(s.seed(), 7, cam, day, k)));
        }
      }
    }
    return clips;
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> r = new ArrayList<>();
    for (int i = from; i < to; i++) {
      r.add(i);
    }
    return r;
  }

  private static List<Integer> shuffled(List<Integer> values, SplittableRandom rnd) {
    List<Integer> copy = new ArrayList<>(values);
    for (int i = copy.size() - 1; i > 0; i--) {
      Collections.swap(copy, i, rnd.nextInt(i + 1));
    }
    return copy;
  }

  public SynthSettings settings() {
    return settings;
  }

  public List<HerdMember> members() {
    return members;
  }

  public List<ClipPlan> clips() {
    return clips;
  }

  public CameraRig rig(int camera) {
    return rigs.get(camera);
  }
}
