package org.farmid.common.gallery;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The gallery's rules, from each animal's mean and spread to its entry: the open-set threshold of
 * the rule, the stay the herd register gives, retirement of an animal that left the herd before the
 * day the gallery is built for, and the notes a farmer should read (too few crops, an animal
 * enrolled but not registered or registered but not enrolled).
 */
public final class GalleryBuild {
  private GalleryBuild() {}

  /** The words of the gallery's {@code status} column. */
  public static final String ACTIVE = "active";

  public static final String RETIRED = "retired";

  /**
   * One animal's aggregated enrolment: its re-normalised mean and the spread around it, and the
   * same of its infrared embeddings ({@code infrared*}: null, 0 and NaN when it has none).
   */
  public record AnimalMean(
      String animalId,
      float[] mean,
      long crops,
      double spreadMean,
      double spreadP95,
      float[] infraredMean,
      long infraredCrops,
      double infraredSpreadP95) {
    /** An animal with no infrared embeddings. */
    public AnimalMean(
        String animalId, float[] mean, long crops, double spreadMean, double spreadP95) {
      this(animalId, mean, crops, spreadMean, spreadP95, null, 0, Double.NaN);
    }
  }

  /** The entries in the order of the means given, the notes, and the counts by status. */
  public record Result(List<GalleryEntry> entries, List<String> notes, int active, int retired) {}

  /**
   * @param asOf the day the gallery is built for; null: all enrolment, nobody retired
   * @param minCrops fewer enrolment crops than this earn a note
   */
  public static Result build(
      List<AnimalMean> means,
      HerdRegister register,
      LocalDate asOf,
      ThresholdRule rule,
      int minCrops) {
    return build(means, register, asOf, rule, rule, minCrops);
  }

  /**
   * As {@link #build(List, HerdRegister, LocalDate, ThresholdRule, int)}, the infrared means'
   * thresholds by {@code infraredRule}.
   */
  public static Result build(
      List<AnimalMean> means,
      HerdRegister register,
      LocalDate asOf,
      ThresholdRule rule,
      ThresholdRule infraredRule,
      int minCrops) {
    List<GalleryEntry> entries = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Set<String> enrolled = new HashSet<>();
    int active = 0;
    for (AnimalMean m : means) {
      String id = m.animalId();
      enrolled.add(id);
      HerdRegister.Stay stay = register.stays().get(id);
      boolean retired = stay != null && asOf != null && stay.leftBefore(asOf);
      if (!retired) {
        active++;
      }
      if (m.crops() < minCrops) {
        notes.add("animal " + id + " has only " + m.crops() + " enrolment crop(s)");
      }
      if (!register.isEmpty() && stay == null) {
        notes.add("animal " + id + " is enrolled but not in the register");
      }
      entries.add(
          new GalleryEntry(
              id,
              m.mean(),
              m.crops(),
              m.spreadMean(),
              m.spreadP95(),
              rule.threshold(m.spreadP95()),
              stay == null ? null : stay.firstDay(),
              stay == null ? null : stay.lastDay(),
              stay == null ? null : stay.camera(),
              !retired,
              m.infraredMean() == null
                  ? null
                  : new GalleryEntry.Infrared(
                      m.infraredMean(),
                      m.infraredCrops(),
                      m.infraredSpreadP95(),
                      infraredRule.threshold(m.infraredSpreadP95()))));
    }
    for (String id : register.stays().keySet()) {
      if (!enrolled.contains(id)) {
        notes.add("animal " + id + " is in the register but has no enrolment crops");
      }
    }
    return new Result(entries, notes, active, entries.size() - active);
  }
}
