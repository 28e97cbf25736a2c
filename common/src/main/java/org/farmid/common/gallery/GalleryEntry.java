package org.farmid.common.gallery;

import java.time.LocalDate;

/**
 * One animal in one gallery version: its re-normalised mean embedding, how many enrolment
 * embeddings made it, how spread they were, its open-set threshold, and when it belongs to the
 * herd.
 *
 * @param validFrom first day the animal is in the herd; null when unknown (always)
 * @param validTo last day the animal is in the herd; null while it stays
 * @param camera the camera watching the animal's pen; null when any camera may see it
 * @param active false for an animal retired from the herd: kept for history, never matched
 * @param infrared the animal's mean for infrared night crops (its enrolment crops seen in the night
 *     cameras' look); null when it has none and night crops use {@code mean}
 */
public record GalleryEntry(
    String animalId,
    float[] mean,
    long count,
    double spreadMean,
    double spreadP95,
    double threshold,
    LocalDate validFrom,
    LocalDate validTo,
    String camera,
    boolean active,
    Infrared infrared) {

  /** An animal's second mean, for crops of infrared frames, with its own spread and threshold. */
  public record Infrared(float[] mean, long count, double spreadP95, double threshold)
      implements java.io.Serializable {}

  /**
   * The same animal with its thresholds derived again from its spreads by {@code rule} and, for its
   * infrared mean, {@code infraredRule} (as {@link GalleryBuild} derives them).
   */
  public GalleryEntry withThresholds(ThresholdRule rule, ThresholdRule infraredRule) {
    return with(
        mean,
        rule.threshold(spreadP95),
        infrared == null
            ? null
            : new Infrared(
                infrared.mean(),
                infrared.count(),
                infrared.spreadP95(),
                infraredRule.threshold(infrared.spreadP95())));
  }

  /**
   * The same animal with {@code newMean} as its mean and {@code newInfraredMean} as its infrared
   * mean (ignored when it has none); counts, spreads and thresholds unchanged.
   */
  public GalleryEntry withMeans(float[] newMean, float[] newInfraredMean) {
    return with(
        newMean,
        threshold,
        infrared == null
            ? null
            : new Infrared(
                newInfraredMean, infrared.count(), infrared.spreadP95(), infrared.threshold()));
  }

  /**
   * The same animal (id, counts, spreads, stay in the herd) with these mean, threshold, infrared.
   */
  private GalleryEntry with(float[] newMean, double newThreshold, Infrared newInfrared) {
    return new GalleryEntry(
        animalId,
        newMean,
        count,
        spreadMean,
        spreadP95,
        newThreshold,
        validFrom,
        validTo,
        camera,
        active,
        newInfrared);
  }

  /** Whether the animal may be seen on {@code day} (any day when the day is unknown). */
  public boolean inHerdOn(LocalDate day) {
    if (!active) {
      return false;
    }
    if (day == null) {
      return true;
    }
    return (validFrom == null || !day.isBefore(validFrom))
        && (validTo == null || !day.isAfter(validTo));
  }
}
