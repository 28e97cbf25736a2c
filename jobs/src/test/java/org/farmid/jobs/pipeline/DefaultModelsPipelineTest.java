package org.farmid.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.farmid.common.config.FarmIdConfig;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.evaluate.OpenSetFigures;
import org.farmid.common.synth.ArchivePlan;
import org.farmid.common.synth.SynthSettings;
import org.farmid.jobs.pipeline.classify.ClassifyStage;
import org.farmid.jobs.pipeline.detect.DetectStage;
import org.farmid.jobs.pipeline.enrol.EnrolStage;
import org.farmid.jobs.pipeline.evaluate.EvaluateStage;
import org.farmid.jobs.pipeline.gallery.AdaptStage;
import org.farmid.jobs.pipeline.gallery.GalleryStage;
import org.farmid.jobs.pipeline.ingest.IngestStage;
import org.farmid.jobs.pipeline.runtime.DjlModels;
import org.farmid.jobs.pipeline.track.TrackStage;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Warehouse;
import org.farmid.jobs.testing.SparkTestBase;
import org.farmid.models.synth.SynthArchiveWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline with the committed default models on a generated archive the models never saw
 * (seed 8, half of it at night), and on a crowded night archive, against their ground truth. Slow
 * (about three and five minutes): run with {@code mvn verify -Dtest.excluded=}. The identities
 * voted along tracks meet the method's goals (detection recall 0.95, macro F1 0.95 over registered
 * animals, at least 90% of visitors unknown with at most 5% of registered animals unknown) and the
 * tracking goals (their macro F1 0.99, IDF1 0.90); the per-crop identities, before the vote, stay
 * below them and have floors that guard today's figures. That holds on seed 8; on the crowded night
 * archive the goals of the operating envelope are not met yet, and its test fails naming each one
 * missed.
 */
@Tag("slow")
class DefaultModelsPipelineTest extends SparkTestBase {
  @TempDir Path dir;

  @Test
  void defaultModelsOnAnUnseenArchive() throws Exception {
    EvaluateStage.Outcome ev =
        pipeline("synth.seed=8", "synth.night-fraction=0.5", "synth.threads=2");
    OpenSetFigures f = ev.figures();
    OpenSetFigures tracked = ev.trackFigures();
    System.out.println("default models, seed 8, per crop: " + f.summary());
    System.out.println("default models, seed 8, along tracks: " + tracked.summary());
    System.out.println("default models, seed 8, MOT: " + ev.mot());
    // The method's goals, on the identities voted along tracks, and the tracking goal of macro F1
    // 0.99 for them (measured: recall 0.983, macro F1 0.998, visitors unknown 100%, registered
    // unknown 0.2%, IDF1 0.987, MOTA 0.976). On one minute of this footage instead of two the
    // track figures swing by a few hundredths with a single swapped track (README, Figures), so
    // the test runs the whole archive.
    assertThat(f.detectionRecall()).isGreaterThanOrEqualTo(0.95);
    assertThat(tracked.macroF1()).isGreaterThanOrEqualTo(0.99);
    assertThat(tracked.unknownRejectionRate()).isGreaterThanOrEqualTo(0.9);
    assertThat(tracked.falseUnknownRate()).isLessThanOrEqualTo(0.05);
    assertThat(ev.mot().idf1()).isGreaterThanOrEqualTo(0.9);
    // Per crop, named after the means moved toward the archive's own crops (gallery.adapt-weight;
    // measured: precision 0.994, macro F1 0.963, registered unknown 5.9%; 0.944 and 8.5% after the
    // enrolment means alone): the method's 0.95 per crop (a crop that loses its animal to a nearer
    // crop of its frame is unknown, gallery.frame-exclusive).
    assertThat(f.detectionPrecision()).isGreaterThan(0.96);
    assertThat(f.macroF1()).isGreaterThanOrEqualTo(0.95);
    assertThat(f.falseUnknownRate()).isLessThan(0.10);
  }

  /**
   * A crowded pen at night, as real pens are: 20 registered animals and 3 visitors per pen, 80% of
   * the clips under infrared light (seed 7100, never used to choose a setting or train a model).
   * Asserts the goals of the operating envelope (README, The operating envelope): detection recall
   * 0.95, per-crop macro F1 0.90, track-voted macro F1 0.97 with 90% of visitors unknown and at
   * most 5% of registered animals unknown, IDF1 0.90.
   */
  @Test
  void defaultModelsOnACrowdedNightArchive() throws Exception {
    EvaluateStage.Outcome ev =
        pipeline(
            "synth.seed=7100",
            "synth.animals=20",
            "synth.visitors=3",
            "synth.night-fraction=0.8",
            "synth.days=1",
            "synth.minutes=2",
            "synth.herd-changes=0",
            "synth.threads=2");
    OpenSetFigures f = ev.figures();
    OpenSetFigures tracked = ev.trackFigures();
    System.out.println("default models, crowded night, per crop: " + f.summary());
    System.out.println("default models, crowded night, along tracks: " + tracked.summary());
    System.out.println("default models, crowded night, MOT: " + ev.mot());
    // Every goal checked, each shortfall named. Measured with today's defaults (the
    // envelope-trained detector, the crowded tracking profile, infrared means, cut penalties 2 /
    // 1.5, the crops of a frame named together with a loser's regret as its vote weight, the means
    // moved toward the archive's crops): recall 0.913, per-crop macro F1 0.747, track-voted 0.811,
    // visitors unknown 81.3%, registered unknown 16.7%, IDF1 0.843; after the enrolment means
    // alone 0.742, 0.800, 81.3%, 19.2%, 0.834 (since synth stopped piling resting animals on one
    // spot; with the piles: 0.843, 0.749, 0.816, 78.3%, 16.0%, 0.788): not met (README, The
    // operating envelope).
    SoftAssertions goals = new SoftAssertions();
    goals.assertThat(f.detectionRecall()).as("detection recall").isGreaterThanOrEqualTo(0.95);
    goals.assertThat(f.macroF1()).as("per-crop macro F1").isGreaterThanOrEqualTo(0.9);
    goals.assertThat(tracked.macroF1()).as("track-voted macro F1").isGreaterThanOrEqualTo(0.97);
    goals
        .assertThat(tracked.unknownRejectionRate())
        .as("visitors unknown")
        .isGreaterThanOrEqualTo(0.9);
    goals.assertThat(tracked.falseUnknownRate()).as("registered unknown").isLessThanOrEqualTo(0.05);
    goals.assertThat(ev.mot().idf1()).as("IDF1").isGreaterThanOrEqualTo(0.9);
    goals.assertAll();
  }

  /** Generates the archive these settings describe and runs every stage with the default models. */
  private EvaluateStage.Outcome pipeline(String... synthSettings) throws Exception {
    SynthSettings synth = SynthSettings.from(FarmIdConfig.load(List.of(), List.of(synthSettings)));
    Path out = dir.resolve("synth");
    new SynthArchiveWriter(ArchivePlan.create(synth), line -> {}).write(out);
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    System.setProperty("farmid.home", root.toString());
    PipelineSettings s = PipelineSettings.from(FarmIdConfig.defaults());
    DjlModels models = DjlModels.fromSettings(s, true);
    Warehouse wh = new Warehouse(spark(), dir.resolve("wh"));
    List<String> log = new ArrayList<>();
    RunContext run = new RunContext("run", "test", "test", log::add);
    IngestStage.run(wh, out.resolve("archive"), s, run);
    DetectStage.run(wh, models, s, run);
    EnrolStage.fromCrops(wh, out.resolve("enrol"), models, s.infraredLook(), run);
    GalleryStage.run(wh, models.embedderId(), null, out.resolve("animals.csv"), s, run);
    ClassifyStage.run(wh, null, s, run);
    TrackStage.run(wh, null, s, run);
    // as `run` does: the means moved toward the archive's own crops, everything named again
    if (s.adapts() && AdaptStage.run(wh, s, false, run).created()) {
      ClassifyStage.run(wh, null, s, run);
      TrackStage.run(wh, null, s, run);
    }
    return EvaluateStage.run(wh, out, null, s, run);
  }
}
