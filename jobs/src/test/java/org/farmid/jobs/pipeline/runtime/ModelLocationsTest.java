package org.farmid.jobs.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.farmid.common.config.FarmIdConfig;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.embed.TransformAverage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models given as Hadoop filesystem URIs (here {@code file://}, which goes through Hadoop's
 * filesystem API as {@code hdfs://} does) are copied once per JVM into the local cache, byte for
 * byte, and give the same models as the local folder.
 */
class ModelLocationsTest {
  static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  @TempDir Path cache;

  @Test
  void aModelFolderUriIsCopiedOnceByteForByteAndNamesTheSameModel() throws Exception {
    System.setProperty("farmid.cache.dir", cache.toString());
    try {
      Path embedder = REPO.resolve("models/embedder-default");
      Path detector = REPO.resolve("models/detector-default");
      String uri = embedder.toUri().toString();
      assertThat(uri).startsWith("file:/");
      Path copy = LocalCopies.folder("farmid.pipeline.embedder-model", uri).local();
      assertThat(copy).startsWith(cache.resolve("folders")).isNotEqualTo(embedder);
      assertThat(copy.getFileName().toString()).isEqualTo("embedder-default");
      assertThat(relativeFiles(copy)).isEqualTo(relativeFiles(embedder)).isNotEmpty();
      for (String f : relativeFiles(embedder)) {
        assertThat(Files.mismatch(embedder.resolve(f), copy.resolve(f))).as(f).isEqualTo(-1L);
      }
      // the second ask is answered from the JVM's memo: the same folder, nothing copied again
      long modified = Files.getLastModifiedTime(copy).toMillis();
      assertThat(LocalCopies.folder("farmid.pipeline.embedder-model", uri).local()).isEqualTo(copy);
      assertThat(Files.getLastModifiedTime(copy).toMillis()).isEqualTo(modified);

      DjlModels local =
          DjlModels.fromSettings(settings(detector.toString(), embedder.toString()), true);
      DjlModels remote = DjlModels.fromSettings(settings(detector.toUri().toString(), uri), true);
      assertThat(remote.embedderId()).isEqualTo(local.embedderId());
      assertThat(remote.detectorId()).isEqualTo(local.detectorId()).isEqualTo("detector-default");
      // the models as executors open them name themselves as the local folders do (rows carry it)
      var d = remote.detector();
      var e = remote.embedder();
      try {
        assertThat(d.modelId()).isEqualTo("detector-default");
        assertThat(e.modelId()).isEqualTo(local.embedderId());
      } finally {
        ModelProvider.closeQuietly(d);
        ModelProvider.closeQuietly(e);
      }
    } finally {
      System.clearProperty("farmid.cache.dir");
    }
  }

  @Test
  void theEmbeddingAverageNamesItselfAndGivesEveryTurnOfACropOneEmbedding() throws Exception {
    String embedder = REPO.resolve("models/embedder-default").toString();
    String detector = REPO.resolve("models/detector-default").toString();
    DjlModels plain = DjlModels.fromSettings(settings(detector, embedder), false);
    DjlModels averaged =
        DjlModels.fromSettings(
            PipelineSettings.from(
                FarmIdConfig.load(
                    List.of(),
                    List.of(
                        "farmid.pipeline.detector-model=\"" + detector + "\"",
                        "farmid.pipeline.embedder-model=\"" + embedder + "\"",
                        "farmid.pipeline.embed-average=dihedral"))),
            false);
    // another id, so incremental runs embed again and tables tell the two apart
    assertThat(averaged.embedderId()).isEqualTo(plain.embedderId() + "+dihedral");
    byte[] crop = new byte[96 * 96 * 3];
    new java.util.Random(5).nextBytes(crop);
    List<byte[]> turns =
        List.of(
            crop,
            TransformAverage.transform(crop, 96, 96, 5),
            TransformAverage.transform(crop, 96, 96, 3));
    var e = averaged.embedder();
    var p = plain.embedder();
    try {
      assertThat(e.modelId()).isEqualTo(averaged.embedderId());
      float[][] a = e.embed(turns);
      assertThat(a[1]).containsExactly(a[0], within(1e-5f));
      assertThat(a[2]).containsExactly(a[0], within(1e-5f));
      // the model alone tells them apart
      float[][] b = p.embed(turns);
      double most = 0;
      for (int d = 0; d < b[0].length; d++) {
        most = Math.max(most, Math.abs(b[1][d] - b[0][d]));
      }
      assertThat(most).isGreaterThan(1e-2);
    } finally {
      ModelProvider.closeQuietly(e);
      ModelProvider.closeQuietly(p);
    }
  }

  @Test
  void aUriThatIsNoFolderIsNamedWithItsSetting() {
    String missing = cache.resolve("no-such-model").toUri().toString();
    assertThatThrownBy(() -> LocalCopies.folder("farmid.pipeline.embedder-model", missing))
        .isInstanceOf(IOException.class)
        .hasMessage("farmid.pipeline.embedder-model " + missing + " is not a folder");
  }

  static PipelineSettings settings(String detector, String embedder) {
    return PipelineSettings.from(
        FarmIdConfig.load(
            List.of(),
            List.of(
                "farmid.pipeline.detector-model=\"" + detector + "\"",
                "farmid.pipeline.embedder-model=\"" + embedder + "\"")));
  }

  static List<String> relativeFiles(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    }
  }
}
