package org.farmid.common.image;

/**
 * A geometric change applied while sampling a crop: rotation about the centre, zoom, shift (as a
 * share of the crop) and flips. {@link #NONE} is what inference uses.
 */
public record Jitter(
    double angleRadians, double scale, double shiftX, double shiftY, boolean flipX, boolean flipY) {
  public static final Jitter NONE = new Jitter(0, 1, 0, 0, false, false);
}
