package org.farmid.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.farmid.common.synth.SynthSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FarmIdConfigTest {

  @Test
  void defaultsComeFromConfApplicationConf() {
    SynthSettings s = SynthSettings.from(FarmIdConfig.load(List.of(), List.of()));
    assertThat(s.seed()).isEqualTo(7);
    assertThat(s.width()).isEqualTo(1280);
    assertThat(s.height()).isEqualTo(720);
    assertThat(s.fps()).isEqualTo(5);
    assertThat(s.startDate()).hasToString("2026-01-05");
  }

  @Test
  void setOverridesFilesWhichOverrideDefaults(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("site.conf");
    Files.writeString(file, "farmid.synth { seed = 11, days = 3 }");
    Config c = FarmIdConfig.load(List.of(file), List.of("synth.seed=12"));
    assertThat(c.getInt("farmid.synth.seed")).isEqualTo(12);
    assertThat(c.getInt("farmid.synth.days")).isEqualTo(3);
    assertThat(c.getInt("farmid.synth.cameras")).isEqualTo(2);
  }

  @Test
  void unknownKeyIsNamedWithTheKeysExpectedBesideIt() {
    InvalidConfigException e =
        catchThrowableOfType(
            InvalidConfigException.class,
            () -> FarmIdConfig.load(List.of(), List.of("synth.sed=3")));
    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0))
        .contains("unknown key 'farmid.synth.sed'")
        .contains("farmid.synth.{")
        .contains("seed");
  }

  @Test
  void everyProblemIsListedAtOnce(@TempDir Path dir) {
    InvalidConfigException e =
        catchThrowableOfType(
            InvalidConfigException.class,
            () ->
                FarmIdConfig.load(
                    List.of(dir.resolve("missing.conf")),
                    List.of(
                        "synth.fps=fast",
                        "nonsense",
                        "farmid.colour=red",
                        "synth.days=0",
                        "pipeline.detect-batch=0")));
    // unknown keys and types, and with them the ranges of the rest (bad keys read as defaults)
    assertThat(e.problems())
        .hasSize(7)
        .anySatisfy(p -> assertThat(p).contains("'farmid.synth.days' must be at least 1, got 0"))
        .anySatisfy(p -> assertThat(p).contains("'farmid.pipeline.detect-batch'"))
        .anySatisfy(p -> assertThat(p).contains("missing.conf").contains("does not exist"))
        .anySatisfy(p -> assertThat(p).contains("'farmid.synth.fps' must be a number"))
        .anySatisfy(p -> assertThat(p).contains("'nonsense'").contains("key=value"))
        .anySatisfy(p -> assertThat(p).contains("unknown key 'farmid.colour'"));
  }

  @Test
  void rangesAreCheckedWithTheKeyNamed() {
    Config c =
        FarmIdConfig.load(
            List.of(),
            List.of(
                "synth.days=0",
                "synth.cameras=1.5",
                "synth.width=641",
                "synth.night-fraction=1.5",
                "synth.start-date=yesterday"));
    InvalidConfigException e =
        catchThrowableOfType(InvalidConfigException.class, () -> SynthSettings.from(c));
    assertThat(e.problems())
        .containsExactlyInAnyOrder(
            "key 'farmid.synth.days' must be at least 1, got 0",
            "key 'farmid.synth.cameras' must be a whole number, got 1.5",
            "key 'farmid.synth.width' must be even (H.264 4:2:0 video), got 641",
            "key 'farmid.synth.night-fraction' must be between 0.0 and 1.0, got 1.5",
            "key 'farmid.synth.start-date' must be a date like 2026-01-05, got 'yesterday'",
            "key 'farmid.synth.herd-changes' needs at least 2 days (animals join and leave"
                + " between days), but 'farmid.synth.days' is 0");
  }

  @Test
  void theCrowdedTrackingAndEmbeddingSettingsAreCheckedWithTheirKeyNamed() {
    Config c =
        FarmIdConfig.load(
            List.of(),
            List.of(
                "track.crowded.appearance-weight=1.5",
                "track.crowded-from=-1",
                "track.crowded.max-misses=10",
                "pipeline.embed-average=spin",
                "gallery.frame-exclusive-margin=half"));
    InvalidConfigException e =
        catchThrowableOfType(InvalidConfigException.class, () -> PipelineSettings.from(c));
    assertThat(e.problems())
        .containsExactlyInAnyOrder(
            "key 'farmid.pipeline.embed-average' must be none, flips or dihedral, got 'spin'",
            "key 'farmid.gallery.frame-exclusive-margin' must be zero or regret, got 'half'",
            "key 'farmid.track.crowded.appearance-weight' must be between 0.0 and 1.0, got 1.5",
            "key 'farmid.track.crowded-from' must be at least 0, got -1");
    PipelineSettings s =
        PipelineSettings.from(
            FarmIdConfig.load(
                List.of(), List.of("track.crowded-from=15", "track.crowded.max-misses=10")));
    assertThat(s.trackProfiles().crowdedFrom()).isEqualTo(15);
    assertThat(s.embedAverage()).isEqualTo(org.farmid.common.embed.TransformAverage.Mode.NONE);
    assertThat(s.trackProfiles().crowded().tracker().maxMisses()).isEqualTo(10);
    assertThat(s.trackProfiles().sparse().tracker().maxMisses()).isEqualTo(3);
  }

  @Test
  void theTrackFingerprintFollowsEveryTrackingSettingAndNothingElse() {
    PipelineSettings base = PipelineSettings.from(FarmIdConfig.load(List.of(), List.of()));
    PipelineSettings same =
        PipelineSettings.from(
            FarmIdConfig.load(List.of(), List.of("pipeline.score-threshold=0.5")));
    assertThat(same.trackFingerprint()).isEqualTo(base.trackFingerprint());
    for (String changed :
        List.of(
            "track.unknown-weight=0.9",
            "track.crowded.max-cost=0.5",
            "track.crowded-from=12",
            "track.join-by-identity=false")) {
      assertThat(
              PipelineSettings.from(FarmIdConfig.load(List.of(), List.of(changed)))
                  .trackFingerprint())
          .as(changed)
          .isNotEqualTo(base.trackFingerprint());
    }
  }
}
