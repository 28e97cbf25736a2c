package org.farmid.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.farmid.common.config.FarmIdConfig;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.evaluate.OpenSetFigures;
import org.farmid.common.synth.ArchivePlan;
import org.farmid.common.synth.SynthSettings;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Warehouse;
import org.farmid.jobs.testing.SparkTestBase;
import org.farmid.models.synth.SynthArchiveWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline with the committed default models on a generated archive the models never saw
 * (seed 8, half of it at night), against its ground truth. Slow (about two minutes): run with
 * {@code mvn verify -Dtest.excluded=}. The floors guard today's figures against regressions; the
 * goals of the method (recall 0.95, macro F1 0.95, 90% of visitors unknown) are not reached yet and
 * are tracked in the README's figures.
 */
@Tag("slow")
class DefaultModelsPipelineTest extends SparkTestBase {
  @TempDir Path dir;

  @Test
  void defaultModelsOnAnUnseenArchive() throws Exception {
    SynthSettings synth =
        SynthSettings.from(
            FarmIdConfig.load(
                List.of(),
                List.of(
                    "synth.seed=8",
                    "synth.minutes=1.0",
                    "synth.night-fraction=0.5",
                    "synth.threads=2")));
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
    EnrolStage.fromCrops(wh, out.resolve("enrol"), models, run);
    GalleryStage.run(wh, models.embedderId(), null, out.resolve("animals.csv"), s, run);
    ClassifyStage.run(wh, null, run);
    OpenSetFigures f = EvaluateStage.run(wh, out, null, s, run).figures();
    System.out.println("default models, seed 8: " + f.summary());
    // recall 0.944 and precision 0.968 with the stride-4 detector
    assertThat(f.detectionRecall()).isGreaterThan(0.92);
    assertThat(f.detectionPrecision()).isGreaterThan(0.94);
    // 0.887 and 4.9% (0.900 and 3.5% with the stride-8 detector, which found fewer hidden animals)
    assertThat(f.macroF1()).isGreaterThan(0.85);
    assertThat(f.falseUnknownRate()).isLessThan(0.06);
  }
}
