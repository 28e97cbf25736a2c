package org.farmid.models.detect;

import java.util.Set;

/**
 * How detections of an Object Detection API model are filtered.
 *
 * @param keepClasses class ids to keep; empty keeps all
 * @param extraNmsIou when positive, greedy non-maximum suppression at this IoU after the model's
 *     own
 */
public record DetectorOptions(
    float scoreThreshold, Set<Integer> keepClasses, int maxDetections, double extraNmsIou) {}
