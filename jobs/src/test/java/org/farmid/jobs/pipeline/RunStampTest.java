package org.farmid.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.farmid.common.ingest.ArchiveChanges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStampTest {
  @TempDir Path dir;

  @Test
  void tableVersionsAreTheLastCommitFileOfEachDeltaLog() throws IOException {
    Path log = Files.createDirectories(dir.resolve("detections/_delta_log"));
    for (String f :
        List.of(
            "00000000000000000000.json",
            "00000000000000000011.json",
            "00000000000000000012.json",
            "00000000000000000012.crc",
            "00000000000000000020.checkpoint.parquet",
            "_last_checkpoint",
            ".00000000000000000013.json.tmp")) {
      Files.writeString(log.resolve(f), "x");
    }
    Files.createDirectories(dir.resolve("identities/_delta_log"));
    Files.createDirectories(dir.resolve("not-a-table/_delta_log"));
    Files.writeString(dir.resolve("not-a-table/_delta_log/00000000000000000003.json"), "x");
    assertThat(RunStamp.versions(dir.toString(), new Configuration()))
        .isEqualTo(Map.of("detections", 12L));
  }

  @Test
  void aStampReadBackCoversOnlyTheSameInputsListingAndVersions() throws IOException {
    Map<String, Long> versions = Map.of("detections", 12L, "job_runs", 3L);
    new RunStamp("inputs-a", "listing-a", 22, versions, "run-1")
        .write(dir.toString(), new Configuration());
    RunStamp read = RunStamp.read(dir.toString(), new Configuration());
    assertThat(read).isEqualTo(new RunStamp("inputs-a", "listing-a", 22, versions, "run-1"));
    assertThat(read.covers("inputs-a", "listing-a", versions)).isTrue();
    assertThat(read.covers("inputs-b", "listing-a", versions)).isFalse();
    assertThat(read.covers("inputs-a", "listing-b", versions)).isFalse();
    assertThat(read.covers("inputs-a", "listing-a", Map.of("detections", 13L, "job_runs", 3L)))
        .isFalse();
    assertThat(read.covers("inputs-a", "listing-a", Map.of())).isFalse();
    RunStamp.clear(dir.toString(), new Configuration());
    assertThat(RunStamp.read(dir.toString(), new Configuration())).isNull();
  }

  @Test
  void theListingAndFileFingerprintsChangeWithSizeOrTimeOnly() throws IOException {
    var a = new ArchiveChanges.Listed("/a/cam01/x.mp4", 100, 5);
    var b = new ArchiveChanges.Listed("/a/cam01/y.mp4", 200, 6);
    String listing = RunStamp.listing(List.of(a, b));
    assertThat(RunStamp.listing(List.of(a, b))).isEqualTo(listing);
    assertThat(RunStamp.listing(List.of(a))).isNotEqualTo(listing);
    assertThat(RunStamp.listing(List.of(a, new ArchiveChanges.Listed("/a/cam01/y.mp4", 200, 7))))
        .isNotEqualTo(listing);

    Path crops = Files.createDirectories(dir.resolve("enrol/pig-1"));
    Path crop = Files.writeString(crops.resolve("1.png"), "pixels");
    Files.setLastModifiedTime(crop, FileTime.fromMillis(1_000_000));
    String before = RunStamp.files(dir.resolve("enrol"), null);
    assertThat(RunStamp.files(dir.resolve("enrol"), null)).isEqualTo(before);
    Files.setLastModifiedTime(crop, FileTime.fromMillis(2_000_000));
    assertThat(RunStamp.files(dir.resolve("enrol"), null)).isNotEqualTo(before);
    // a warehouse inside the folder is left out: its commits do not change the crops' fingerprint
    String now = RunStamp.files(dir.resolve("enrol"), dir.resolve("enrol/wh"));
    Files.createDirectories(dir.resolve("enrol/wh"));
    Files.writeString(dir.resolve("enrol/wh/part-0.parquet"), "rows");
    assertThat(RunStamp.files(dir.resolve("enrol"), dir.resolve("enrol/wh"))).isEqualTo(now);
    assertThat(RunStamp.files((Path) null, null)).isEqualTo("none");
    assertThat(RunStamp.files(null, null, new Configuration())).isEqualTo("none");
    assertThat(RunStamp.files(dir.resolve("missing"), null)).isEqualTo("missing");
  }
}
