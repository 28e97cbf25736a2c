package org.farmid.common.detect;

import org.farmid.common.geom.Box;

/** One animal found in a frame: its box in pixels, the detector's score and class id. */
public record Detection(Box box, float score, int classId) {}
