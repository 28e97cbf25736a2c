package org.farmid.common.metrics;

/**
 * CLEAR MOT and identity figures of one or more sequences. MOTP is the mean matched distance
 * ({@code 1 - IoU}), as py-motmetrics reports it.
 */
public record MotSummary(
    double mota,
    double motp,
    double idf1,
    double idp,
    double idr,
    double recall,
    double precision,
    int objects,
    int mostlyTracked,
    int partlyTracked,
    int mostlyLost,
    long falsePositives,
    long misses,
    long idSwitches,
    long fragmentations,
    long groundTruthBoxes) {}
