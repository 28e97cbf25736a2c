package org.farmid.common.synth;

import java.awt.geom.AffineTransform;

/**
 * Where one animal is in one frame: pen metres, heading in radians (0 = nose towards +x).
 *
 * @param resting lying down; resting animals are drawn below the others
 */
public record Pose(HerdMember member, double x, double y, double heading, boolean resting) {

  /** The animal's own frame to image pixels. */
  public AffineTransform toImage(AffineTransform worldToImage) {
    AffineTransform t = new AffineTransform(worldToImage);
    t.translate(x, y);
    t.rotate(heading);
    return t;
  }
}
