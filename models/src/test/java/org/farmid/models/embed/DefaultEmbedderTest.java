package org.farmid.models.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.farmid.common.embed.NearestMean;
import org.farmid.common.image.CropPreprocessor;
import org.farmid.common.metrics.ClassificationReport;
import org.farmid.common.synth.ArchivePlan;
import org.farmid.common.synth.HerdMember;
import org.farmid.common.synth.SceneRenderer;
import org.farmid.common.synth.SynthSettings;
import org.junit.jupiter.api.Test;

/** The committed default embedder tells apart animals it never saw, enrolled by their means. */
class DefaultEmbedderTest {
  static final Path MODEL = Path.of(System.getProperty("basedir", "."), "embedder-default");

  @Test
  void unseenAnimalsAreNamedByTheirMeans() throws Exception {
    // Seed 303 is used neither by the training animals (101) nor by the unseen set (202).
    SynthSettings s =
        new SynthSettings(
            303, 1, 1, 0.1, 0.1, 8, 0, 5, 1280, 720, 0, 0, 0, 400, LocalDate.of(2026, 2, 1), 1);
    ArchivePlan plan = ArchivePlan.create(s);
    SceneRenderer renderer = new SceneRenderer(plan.rig(0));
    SplittableRandom rnd = new SplittableRandom(11);
    List<String> galleryLabels = new ArrayList<>();
    List<byte[]> galleryInputs = new ArrayList<>();
    List<String> queryLabels = new ArrayList<>();
    List<byte[]> queryInputs = new ArrayList<>();
    try (DjlEmbedder e = DjlEmbedder.open(MODEL, 64, 16)) {
      CropPreprocessor pre = e.preprocessor();
      for (HerdMember m : plan.members()) {
        for (int k = 0; k < 12; k++) {
          byte[] input = pre.apply(renderer.enrolmentCrop(m, plan.members(), rnd));
          (k < 6 ? galleryLabels : queryLabels).add(m.name());
          (k < 6 ? galleryInputs : queryInputs).add(input);
        }
      }
      NearestMean means = NearestMean.fit(galleryLabels, List.of(e.embed(galleryInputs)));
      float[][] q = e.embed(queryInputs);
      List<String> predicted = new ArrayList<>();
      for (float[] v : q) {
        predicted.add(means.classify(v).label());
      }
      ClassificationReport r = ClassificationReport.of(queryLabels, predicted);
      assertThat(r.macroF1()).as("macro F1 on 8 unseen animals").isGreaterThanOrEqualTo(0.85);
      assertThat(e.card().inputWidth()).isEqualTo(96);
      assertThat(e.card().inputHeight()).isEqualTo(96);
    }
  }
}
