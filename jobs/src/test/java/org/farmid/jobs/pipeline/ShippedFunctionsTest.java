package org.farmid.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.farmid.common.config.FarmIdConfig;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.embed.InfraredLook;
import org.farmid.common.gallery.GalleryEntry;
import org.farmid.common.gallery.OpenSetClassifier;
import org.farmid.jobs.pipeline.detect.DetectSegments;
import org.farmid.jobs.pipeline.enrol.EmbedCrops;
import org.farmid.jobs.pipeline.gallery.MeanEmbedding;
import org.farmid.jobs.pipeline.ingest.IngestStage;
import org.farmid.jobs.pipeline.runtime.DjlModels;
import org.farmid.jobs.spark.FaultSwitch;
import org.farmid.jobs.spark.StageTimers;
import org.farmid.jobs.testing.PaletteModels;
import org.junit.jupiter.api.Test;

/**
 * Every function the stages ship to executors survives Java serialisation (what Spark's closure
 * serialiser does), with nothing heavy or native captured.
 */
class ShippedFunctionsTest {
  static final PipelineSettings SETTINGS = PipelineSettings.from(FarmIdConfig.defaults());

  static Object roundTrip(Object o) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    assertThat(bytes.size()).as("serialised size of " + o.getClass()).isLessThan(64 * 1024);
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return in.readObject();
    }
  }

  @Test
  void partitionFunctionsAndWhatTheyCarrySerialise() throws Exception {
    Path models = Path.of(System.getProperty("user.dir")).getParent().resolve("models");
    System.setProperty("farmid.home", models.getParent().toString());
    DjlModels djl = DjlModels.fromSettings(SETTINGS, true);
    DjlModels back = (DjlModels) roundTrip(djl);
    assertThat(back.embedderId()).isEqualTo(djl.embedderId()).startsWith("embedder-default@");
    assertThat(back.detectorId()).isEqualTo("detector-default");

    assertThat(
            roundTrip(
                new DetectSegments(
                    djl, SETTINGS, "run", null, FaultSwitch.off(), StageTimers.off())))
        .isNotNull();
    assertThat(roundTrip(new EmbedCrops(new PaletteModels(), InfraredLook.SYNTH, null)))
        .isNotNull();
    assertThat(roundTrip(new IngestStage.ProbeFiles(null))).isNotNull();
    assertThat(roundTrip(new MeanEmbedding())).isNotNull();
    assertThat(roundTrip(SETTINGS)).isEqualTo(SETTINGS);
  }

  @Test
  void theBroadcastClassifierAnswersTheSameAfterSerialisation() throws Exception {
    OpenSetClassifier c =
        new OpenSetClassifier(
            List.of(
                new GalleryEntry(
                    "a", new float[] {1, 0}, 3, 0.1, 0.2, 0.5, null, null, "cam01", true, null),
                new GalleryEntry(
                    "b",
                    new float[] {0, 1},
                    3,
                    0.1,
                    0.2,
                    0.5,
                    null,
                    LocalDate.of(2026, 1, 5),
                    null,
                    true,
                    null),
                new GalleryEntry(
                    "c", new float[] {-1, 0}, 3, 0.1, 0.2, 0.5, null, null, null, false, null)));
    OpenSetClassifier back = (OpenSetClassifier) roundTrip(c);
    float[] nearB = {0.1f, 0.995f};
    assertThat(back.classify(nearB, LocalDate.of(2026, 1, 5)).label()).isEqualTo("b");
    // b left the herd after 01-05; on 01-06 the nearest is a, 1.34 away: over its threshold.
    OpenSetClassifier.Match m = back.classify(nearB, LocalDate.of(2026, 1, 6));
    assertThat(m.label()).isEqualTo("unknown");
    assertThat(m.nearest()).isEqualTo("a");
    // c is retired: never matched, even by its own mean.
    assertThat(back.classify(new float[] {-1, 0}, null).nearest()).isEqualTo("b");
    assertThat(back.size()).isEqualTo(2);
    // a lives in cam01's pen: cam02 never sees it, cam01 and unknown cameras do.
    float[] nearA = {0.995f, 0.1f};
    assertThat(back.classify(nearA, null, "cam01").label()).isEqualTo("a");
    assertThat(back.classify(nearA, null, null).label()).isEqualTo("a");
    assertThat(back.classify(nearA, null, "cam02").nearest()).isEqualTo("b");
  }
}
