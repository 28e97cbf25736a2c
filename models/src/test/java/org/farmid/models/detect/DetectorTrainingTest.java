package org.farmid.models.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.farmid.common.detect.Detection;
import org.farmid.common.synth.ArchivePlan;
import org.farmid.common.synth.SynthSettings;
import org.farmid.models.pretrained.TfjsGraphModel;
import org.farmid.models.synth.SynthArchiveWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A few epochs on a tiny archive: the loss falls and the export answers as an OD API model. */
class DetectorTrainingTest {

  @Test
  void trainsExportsAndServesThroughTheObjectDetectionApiLoader(@TempDir Path dir)
      throws Exception {
    writeSynth(dir);
    Path model = dir.resolve("detector");
    DetectorTrainer.Outcome o =
        new DetectorTrainer(
                new DetectorTrainer.Options(
                    160, 96, 8, 4, 2f, 6, 4, 0.003f, "cosine", 1, 2, "none", 0f, null),
                l -> {})
            .train(dir.resolve("synth"), model);
    assertThat(o.frames()).isEqualTo(30);
    assertThat(o.epochLoss()).hasSize(6);
    assertThat(o.epochLoss().get(5)).isLessThan(o.epochLoss().get(0));
    try (DjlDetector d = DjlDetector.open(model, new DetectorOptions(0f, Set.of(), 100, 0))) {
      int[] frames = {0};
      SynthFrames.forEach(
          dir.resolve("synth"),
          30,
          f -> {
            List<Detection> dets = d.detect(List.of(f.frame())).get(0);
            assertThat(dets).hasSize(DetectorGraph.MAX_DETECTIONS);
            for (Detection det : dets) {
              assertThat(det.score()).isBetween(0f, 1f);
              assertThat(det.box().right()).isLessThanOrEqualTo(320.0);
              assertThat(det.box().bottom()).isLessThanOrEqualTo(180.0);
            }
            frames[0]++;
          });
      assertThat(frames[0]).isEqualTo(2);
    }

    // Re-exported without training steps and without an archive: the very same detections.
    Path same = dir.resolve("same");
    new DetectorTrainer(reExport("none", 0f, model), l -> {}).train(List.of(), same);
    Path flipped = dir.resolve("flipped");
    new DetectorTrainer(reExport("xy", 0.25f, model), l -> {}).train(List.of(), flipped);
    try (DjlDetector a = DjlDetector.open(model, new DetectorOptions(0f, Set.of(), 100, 0));
        DjlDetector b = DjlDetector.open(same, new DetectorOptions(0f, Set.of(), 100, 0));
        DjlDetector c = DjlDetector.open(flipped, new DetectorOptions(0f, Set.of(), 100, 0))) {
      SynthFrames.forEach(
          dir.resolve("synth"),
          30,
          f -> {
            List<Detection> original = a.detect(List.of(f.frame())).get(0);
            assertThat(b.detect(List.of(f.frame())).get(0)).isEqualTo(original);
            assertThat(c.detect(List.of(f.frame())).get(0)).isNotEqualTo(original);
          });
    }
    JsonNode card = new ObjectMapper().readTree(flipped.resolve("model.json").toFile());
    assertThat(card.path("architecture").path("test_flips").asText()).isEqualTo("xy");
    assertThat(card.path("architecture").path("soft_nms_sigma").asDouble()).isEqualTo(0.25);
    // The weights' history is the source model's.
    assertThat(card.path("training").path("epochs").asInt()).isEqualTo(6);
    assertThat(card.path("training").path("frames").asInt()).isEqualTo(30);
    assertThat(card.path("training").path("re_exported_from").asText())
        .isEqualTo(model.toAbsolutePath().normalize().toString());
  }

  @Test
  void theMobileNetBackboneStartsFromThePretrainedWeightsAndServesLikeTheCompactOne(
      @TempDir Path dir) throws Exception {
    writeSynth(dir);
    Path weights = Path.of(System.getProperty("basedir", "."), "pretrained", "mobilenet_v2");
    Path model = dir.resolve("detector");
    List<String> lines = new java.util.ArrayList<>();
    DetectorTrainer.Outcome o =
        new DetectorTrainer(
                new DetectorTrainer.Options(
                    160, 96, 8, 4, 2f, 2, 4, 0.001f, "constant", 1, 3, "none", 0f, null),
                lines::add)
            .backbone("mobilenet_v2", weights)
            .train(dir.resolve("synth"), model);
    assertThat(o.frames()).isEqualTo(20);
    // Stem (5) + block 0 (10) + blocks 1-9 (15 each).
    assertThat(lines).contains("backbone: 150 pretrained weights from " + weights);
    JsonNode card = new ObjectMapper().readTree(model.resolve("model.json").toFile());
    assertThat(card.path("architecture").path("backbone").asText()).isEqualTo("mobilenet_v2");
    assertThat(card.path("training").path("backbone_weights").asText())
        .isEqualTo(weights.toAbsolutePath().normalize().toString());
    try (DjlDetector d = DjlDetector.open(model, new DetectorOptions(0f, Set.of(), 100, 0))) {
      int[] frames = {0};
      SynthFrames.forEach(
          dir.resolve("synth"),
          30,
          f -> {
            List<Detection> dets = d.detect(List.of(f.frame())).get(0);
            assertThat(dets).hasSize(DetectorGraph.MAX_DETECTIONS);
            frames[0]++;
          });
      assertThat(frames[0]).isEqualTo(2);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new DetectorTrainer(
                        new DetectorTrainer.Options(
                            160, 96, 8, 8, 2f, 1, 4, 0.001f, "constant", 1, 3, "none", 0f, null),
                        l -> {})
                    .backbone("mobilenet_v2", null)
                    .train(dir.resolve("synth"), dir.resolve("d8")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the mobilenet_v2 detector backbone works at output stride 4, got 8");
  }

  @Test
  void theCenterNetBackboneIsTheImportedCocoNetworkAndServesLikeTheCompactOne(@TempDir Path dir)
      throws Exception {
    Path weights = Path.of(System.getProperty("basedir", "."), "pretrained", "centernet");
    TfjsGraphModel coco = TfjsGraphModel.read(weights);
    // The stride-4 features need 216 of the model's 227 float weights (the class and size heads
    // and the decoder's scales are left out); each variable starts at the imported value.
    try (DetectorGraph g =
        new DetectorGraph(
            160,
            96,
            8,
            4,
            2f,
            1,
            DetectorGraph.TestFlips.NONE,
            0f,
            DetectorGraph.Backbone.CENTERNET,
            coco)) {
      List<String> backbone =
          g.initialValues().keySet().stream().filter(k -> k.startsWith("centernet/")).toList();
      assertThat(backbone).hasSize(216);
      for (String k : backbone) {
        assertThat(g.initialValues().get(k))
            .as(k)
            .containsExactly(coco.weights().get(k.substring("centernet/".length())).values());
      }
      assertThat(g.initialValues()).containsKey("neck/w").doesNotContainKey("l1/w");
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new DetectorGraph(
                    160,
                    80,
                    8,
                    4,
                    2f,
                    1,
                    DetectorGraph.TestFlips.NONE,
                    0f,
                    DetectorGraph.Backbone.CENTERNET,
                    coco))
        .hasMessage(
            "the centernet backbone needs input sides that are multiples of 32"
                + " (detector.input-size), got 160x80");

    writeSynth(dir);
    Path model = dir.resolve("detector");
    DetectorTrainer.Outcome o =
        new DetectorTrainer(
                new DetectorTrainer.Options(
                    160, 96, 8, 4, 2f, 2, 4, 0.001f, "constant", 1, 3, "none", 0f, null),
                l -> {})
            .backbone("centernet", weights)
            .train(dir.resolve("synth"), model);
    assertThat(o.frames()).isEqualTo(20);
    JsonNode card = new ObjectMapper().readTree(model.resolve("model.json").toFile());
    assertThat(card.path("architecture").path("backbone").asText()).isEqualTo("centernet");
    assertThat(card.path("training").path("backbone_weights").asText())
        .isEqualTo(weights.toAbsolutePath().normalize().toString());
    // Re-exported from the trained model (the structure rebuilt from the imported graph, the
    // weights read back): the very same detections.
    Path same = dir.resolve("same");
    new DetectorTrainer(
            new DetectorTrainer.Options(
                160, 96, 8, 4, 2f, 0, 4, 0.001f, "constant", 1, 3, "none", 0f, model),
            l -> {})
        .backbone("centernet", weights)
        .train(List.of(), same);
    try (DjlDetector a = DjlDetector.open(model, new DetectorOptions(0f, Set.of(), 100, 0));
        DjlDetector b = DjlDetector.open(same, new DetectorOptions(0f, Set.of(), 100, 0))) {
      int[] frames = {0};
      SynthFrames.forEach(
          dir.resolve("synth"),
          30,
          f -> {
            List<Detection> dets = a.detect(List.of(f.frame())).get(0);
            assertThat(dets).hasSize(DetectorGraph.MAX_DETECTIONS);
            for (Detection det : dets) {
              assertThat(det.score()).isBetween(0f, 1f);
              assertThat(det.box().right()).isLessThanOrEqualTo(320.0);
            }
            assertThat(b.detect(List.of(f.frame())).get(0)).isEqualTo(dets);
            frames[0]++;
          });
      assertThat(frames[0]).isEqualTo(2);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new DetectorTrainer(reExport("none", 0f, model), l -> {})
                    .backbone("centernet", null))
        .hasMessageContaining("the centernet backbone needs the imported model's folder");
  }

  /** A tiny archive in DIR/synth: one camera, 8 animals, frames of 320x180. */
  private static void writeSynth(Path dir) throws Exception {
    SynthSettings s =
        new SynthSettings(
            8, 1, 1, 0.2, 0.2, 5, 0, 5, 320, 180, 0, 0, 0, 400, LocalDate.of(2026, 1, 5), 1);
    new SynthArchiveWriter(ArchivePlan.create(s), l -> {}).write(dir.resolve("synth"));
  }

  private static DetectorTrainer.Options reExport(String flips, float sigma, Path from) {
    return new DetectorTrainer.Options(
        160, 96, 8, 4, 2f, 0, 4, 0.003f, "cosine", 1, 2, flips, sigma, from);
  }
}
