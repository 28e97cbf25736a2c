package org.farmid.models.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.farmid.common.synth.ArchivePlan;
import org.farmid.common.synth.ClipPlan;
import org.farmid.common.synth.GroundTruthRow;
import org.farmid.common.synth.Lighting;
import org.farmid.common.synth.PenSimulation;
import org.farmid.common.synth.Pose;
import org.farmid.common.synth.SceneRenderer;
import org.farmid.common.synth.SynthSettings;
import org.farmid.common.video.VideoFrame;
import org.farmid.models.video.SegmentDecoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes two small archives from one seed and checks them frame by frame against their truth. */
class SynthArchiveTest {
  private static final SynthSettings SETTINGS =
      new SynthSettings(
          31, 1, 1, 0.4, 0.2, 6, 1, 5, 640, 360, 0.5, 0, 2, 400, LocalDate.of(2026, 3, 1), 2);

  @TempDir static Path first;
  @TempDir static Path second;
  static ArchivePlan plan;
  static SynthSummary summary;

  @BeforeAll
  static void writeTwice() throws IOException {
    plan = ArchivePlan.create(SETTINGS);
    summary = new SynthArchiveWriter(plan, line -> {}).write(first);
    new SynthArchiveWriter(ArchivePlan.create(SETTINGS), line -> {}).write(second);
  }

  @Test
  void summaryCountsWhatWasWritten() throws IOException {
    assertThat(summary.videos()).isEqualTo(2);
    assertThat(summary.nightVideos()).isEqualTo(1);
    assertThat(summary.frames()).isEqualTo(120);
    assertThat(summary.registeredAnimals()).isEqualTo(6);
    assertThat(summary.visitors()).isEqualTo(1);
    assertThat(summary.enrolCrops()).isEqualTo(12);
    long rows = 0;
    for (Path gt : files(first.resolve("ground-truth"), ".txt")) {
      rows += Files.readAllLines(gt).size();
    }
    assertThat(rows).isEqualTo(summary.groundTruthRows());
    assertThat(files(first.resolve("archive"), ".mp4"))
        .extracting(p -> first.resolve("archive").relativize(p).toString())
        .allMatch(s -> s.matches("cam01/2026-03-01/\\d\\d-\\d\\d-\\d\\d\\.mp4"));
    // No temporary file is left behind.
    try (Stream<Path> all = Files.walk(first)) {
      assertThat(all.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
    }
  }

  @Test
  void everyDecodedFrameCountAndTimestampMatchesTheGroundTruth() throws IOException {
    for (ClipPlan clip : plan.clips()) {
      Path video = first.resolve("archive").resolve(clip.relativeStem() + ".mp4");
      Properties ini = seqInfo(clip);
      int length = Integer.parseInt(ini.getProperty("seqLength"));
      int fps = Integer.parseInt(ini.getProperty("frameRate"));
      assertThat(length).isEqualTo(clip.frames());
      List<VideoFrame> frames = decodeAll(video, 0, Long.MAX_VALUE);
      assertThat(frames).hasSize(length);
      for (int i = 0; i < frames.size(); i++) {
        assertThat(frames.get(i).index()).isEqualTo(i);
        assertThat(frames.get(i).timestampMicros()).isEqualTo(i * 1_000_000L / fps);
        assertThat(frames.get(i).width()).isEqualTo(640);
        assertThat(frames.get(i).height()).isEqualTo(360);
      }
      Set<Integer> truthFrames =
          Files.readAllLines(truthFile(clip)).stream()
              .map(l -> GroundTruthRow.parseMotLine(l).frame())
              .collect(Collectors.toCollection(TreeSet::new));
      // Frame numbers are 1-based: ground-truth frame n is decoded frame n-1.
      assertThat(truthFrames).first().isEqualTo(1);
      assertThat(truthFrames).last().isEqualTo(length);
      assertThat(truthFrames).hasSize(length);
    }
  }

  @Test
  void decodedFramesAreTheFramesTheGroundTruthDescribes() throws IOException {
    ClipPlan clip = plan.clips().get(0);
    List<VideoFrame> decoded =
        decodeAll(
            first.resolve("archive").resolve(clip.relativeStem() + ".mp4"), 0, Long.MAX_VALUE);
    List<List<Pose>> poses = PenSimulation.simulate(clip, plan.rig(0), SETTINGS.fps());
    SceneRenderer renderer = new SceneRenderer(plan.rig(0));
    for (int k : new int[] {1, 30, 58}) {
      double same = meanAbsDiff(decoded.get(k), render(renderer, clip, poses, k));
      double before = meanAbsDiff(decoded.get(k), render(renderer, clip, poses, k - 1));
      double after = meanAbsDiff(decoded.get(k), render(renderer, clip, poses, k + 1));
      assertThat(same).as("frame %d against its own rendering", k).isLessThan(6.0);
      assertThat(same)
          .as("frame %d closer to itself than to frame %d", k, k - 1)
          .isLessThan(before);
      assertThat(same).as("frame %d closer to itself than to frame %d", k, k + 1).isLessThan(after);
    }
  }

  @Test
  void consecutiveSegmentsYieldEveryFrameExactlyOnce() throws IOException {
    ClipPlan clip = plan.clips().get(1);
    Path video = first.resolve("archive").resolve(clip.relativeStem() + ".mp4");
    List<Integer> indices = new ArrayList<>();
    long[] bounds = {0, 3_000_000, 7_100_000, 9_000_000, Long.MAX_VALUE};
    for (int s = 0; s + 1 < bounds.length; s++) {
      for (VideoFrame f : decodeAll(video, bounds[s], bounds[s + 1])) {
        assertThat(f.timestampMicros()).isGreaterThanOrEqualTo(bounds[s]).isLessThan(bounds[s + 1]);
        indices.add(f.index());
      }
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < clip.frames(); i++) {
      expected.add(i);
    }
    assertThat(indices).isEqualTo(expected);
  }

  @Test
  void sameSeedGivesIdenticalGroundTruthAndIdenticalDecodedFrames() throws IOException {
    assertThat(Files.readString(second.resolve("animals.csv")))
        .isEqualTo(Files.readString(first.resolve("animals.csv")));
    for (ClipPlan clip : plan.clips()) {
      String stem = clip.relativeStem();
      assertThat(Files.readAllBytes(second.resolve("ground-truth").resolve(stem + ".txt")))
          .isEqualTo(Files.readAllBytes(first.resolve("ground-truth").resolve(stem + ".txt")));
      assertThat(decodedHash(second.resolve("archive").resolve(stem + ".mp4")))
          .isEqualTo(decodedHash(first.resolve("archive").resolve(stem + ".mp4")));
    }
    assertThat(plan.clips()).extracting(ClipPlan::lighting).contains(Lighting.NIGHT_IR);
  }

  @Test
  void visitorsNeverAppearInTheRegisterButDoAppearInTheFootage() throws IOException {
    Set<Integer> registered = ids(first.resolve("animals.csv"));
    Set<Integer> visitors = ids(first.resolve("visitors.csv"));
    assertThat(registered).hasSize(6);
    assertThat(visitors).containsExactly(ArchivePlan.FIRST_VISITOR_ID);
    assertThat(registered).doesNotContainAnyElementsOf(visitors);
    Set<Integer> seen = new TreeSet<>();
    for (Path gt : files(first.resolve("ground-truth"), ".txt")) {
      for (String line : Files.readAllLines(gt)) {
        seen.add(GroundTruthRow.parseMotLine(line).id());
      }
    }
    assertThat(seen).containsAll(visitors);
    Set<Integer> known = new TreeSet<>(registered);
    known.addAll(visitors);
    assertThat(known).containsAll(seen);
  }

  @Test
  void enrolmentHoldsReadableCropsForEveryRegisteredAnimalOnly() throws IOException {
    Set<Integer> registered = ids(first.resolve("animals.csv"));
    try (Stream<Path> dirs = Files.list(first.resolve("enrol"))) {
      assertThat(dirs.map(p -> Integer.parseInt(p.getFileName().toString())))
          .containsExactlyInAnyOrderElementsOf(registered);
    }
    for (int id : registered) {
      List<Path> crops = files(first.resolve("enrol").resolve(Integer.toString(id)), ".png");
      assertThat(crops).hasSize(2);
      for (Path crop : crops) {
        BufferedImage img = ImageIO.read(crop.toFile());
        assertThat(img.getWidth()).isBetween(30, 400);
        assertThat(img.getHeight()).isBetween(30, 400);
      }
    }
  }

  private static BufferedImage render(
      SceneRenderer renderer, ClipPlan clip, List<List<Pose>> poses, int k) {
    BufferedImage img = renderer.newFrame();
    renderer.render(poses.get(k), clip.lighting(), SynthArchiveWriter.frameSeed(clip, k), img);
    return img;
  }

  private static double meanAbsDiff(VideoFrame frame, BufferedImage img) {
    byte[] a = frame.bgr();
    byte[] b = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
    }
    return (double) sum / a.length;
  }

  static List<VideoFrame> decodeAll(Path video, long start, long end) throws IOException {
    List<VideoFrame> frames = new ArrayList<>();
    try (SegmentDecoder d =
        start == 0 && end == Long.MAX_VALUE
            ? SegmentDecoder.open(video)
            : SegmentDecoder.open(video, start, end)) {
      for (VideoFrame f = d.next(); f != null; f = d.next()) {
        frames.add(f);
      }
    }
    return frames;
  }

  private static String decodedHash(Path video) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (VideoFrame f : decodeAll(video, 0, Long.MAX_VALUE)) {
        sha.update(f.bgr());
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Properties seqInfo(ClipPlan clip) throws IOException {
    Properties p = new Properties();
    try (var in =
        Files.newBufferedReader(
            first.resolve("ground-truth").resolve(clip.relativeStem() + ".ini"))) {
      p.load(in);
    }
    return p;
  }

  private static Path truthFile(ClipPlan clip) {
    return first.resolve("ground-truth").resolve(clip.relativeStem() + ".txt");
  }

  private static Set<Integer> ids(Path csv) throws IOException {
    return Files.readAllLines(csv).stream()
        .skip(1)
        .map(l -> Integer.parseInt(l.substring(0, l.indexOf(','))))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }
}
