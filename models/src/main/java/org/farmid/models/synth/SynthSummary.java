package org.farmid.models.synth;

import java.nio.file.Path;

/** What one run of the generator made. */
public record SynthSummary(
    Path out,
    int videos,
    long frames,
    long groundTruthRows,
    int registeredAnimals,
    int visitors,
    int nightVideos,
    int enrolCrops,
    double seconds) {

  public double framesPerSecond() {
    return seconds > 0 ? frames / seconds : 0;
  }
}
