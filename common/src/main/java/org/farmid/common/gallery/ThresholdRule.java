package org.farmid.common.gallery;

/**
 * Derives an animal's open-set threshold from how spread its enrolment embeddings are: {@code
 * clamp(factor * p95 + offset, min, max)}, where {@code p95} is the 95th percentile distance of the
 * animal's embeddings to its mean. A crop farther than the threshold from the nearest mean is
 * called {@code unknown}.
 */
public record ThresholdRule(double factor, double offset, double min, double max)
    implements java.io.Serializable {
  public ThresholdRule {
    if (!(factor >= 0) || !(min >= 0) || !(max >= min)) {
      throw new IllegalArgumentException(
          "threshold rule needs factor >= 0 and 0 <= min <= max, got factor="
              + factor
              + " min="
              + min
              + " max="
              + max);
    }
  }

  public double threshold(double p95Distance) {
    return Math.max(min, Math.min(max, factor * p95Distance + offset));
  }

  /** Written into the gallery beside each threshold, so a reader knows how it was made. */
  public String describe() {
    return "clamp(" + factor + " * p95 + " + offset + ", " + min + ", " + max + ")";
  }
}
