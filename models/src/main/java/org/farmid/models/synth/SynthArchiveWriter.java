package org.farmid.models.synth;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.farmid.common.synth.ArchivePlan;
import org.farmid.common.synth.ClipPlan;
import org.farmid.common.synth.GroundTruthRow;
import org.farmid.common.synth.HerdMember;
import org.farmid.common.synth.Lighting;
import org.farmid.common.synth.PenSimulation;
import org.farmid.common.synth.Pose;
import org.farmid.common.synth.SceneRenderer;
import org.farmid.common.synth.Seeds;
import org.farmid.common.synth.SynthSettings;
import org.farmid.models.video.VideoEncoder;

/**
 * Writes a synthetic pen archive: H.264 clips in {@code archive/<camera>/<date>/<HH-mm-ss>.mp4},
 * MOTChallenge ground truth beside them in {@code ground-truth/} (rows plus a {@code .ini} with the
 * sequence's length and rate), the herd register {@code animals.csv}, the list of unregistered
 * {@code visitors.csv}, and enrolment crops in {@code enrol/<animal id>/}.
 *
 * <p>Every file is written under a temporary name and moved into place when complete, so an
 * interrupted run never leaves a half-written video that looks whole.
 */
public final class SynthArchiveWriter {
  /** Folders and files the generator owns inside its output folder. */
  public static final List<String> OUTPUTS =
      List.of("archive", "ground-truth", "enrol", "animals.csv", "visitors.csv");

  private final ArchivePlan plan;
  private final Consumer<String> progress;

  public SynthArchiveWriter(ArchivePlan plan, Consumer<String> progress) {
    this.plan = plan;
    this.progress = progress;
  }

  /** Writes everything into {@code out}, replacing the generator's own earlier outputs. */
  public SynthSummary write(Path out) throws IOException {
    long t0 = System.nanoTime();
    SynthSettings s = plan.settings();
    Files.createDirectories(out);
    for (String name : OUTPUTS) {
      deleteRecursively(out.resolve(name));
    }
    writeRegister(out);

    List<ClipPlan> clips = plan.clips();
    AtomicInteger done = new AtomicInteger();
    long[] rows = new long[clips.size()];
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(s.threads(), clips.size()));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < clips.size(); i++) {
        int k = i;
        futures.add(
            pool.submit(
                () -> {
                  rows[k] = writeClip(out, clips.get(k));
                  progress.accept(
                      String.format(
                          "video %d/%d %s (%s, %d frames)",
                          done.incrementAndGet(),
                          clips.size(),
                          clips.get(k).relativeStem(),
                          clips.get(k).lighting(),
                          clips.get(k).frames()));
                  return null;
                }));
      }
      await(futures);
    } finally {
      pool.shutdownNow();
    }
    int crops = writeEnrolment(out);
    long frames = clips.stream().mapToLong(ClipPlan::frames).sum();
    long gtRows = 0;
    for (long r : rows) {
      gtRows += r;
    }
    int registered = (int) plan.members().stream().filter(m -> !m.visitor()).count();
    int nights = (int) clips.stream().filter(c -> c.lighting() == Lighting.NIGHT_IR).count();
    return new SynthSummary(
        out,
        clips.size(),
        frames,
        gtRows,
        registered,
        plan.members().size() - registered,
        nights,
        crops,
        (System.nanoTime() - t0) / 1e9);
  }

  private long writeClip(Path out, ClipPlan clip) throws IOException {
    SynthSettings s = plan.settings();
    SceneRenderer renderer = new SceneRenderer(plan.rig(clip.camera()));
    List<List<Pose>> frames = PenSimulation.simulate(clip, renderer.rig(), s.fps());
    Path video = out.resolve("archive").resolve(clip.relativeStem() + ".mp4");
    Path truth = out.resolve("ground-truth").resolve(clip.relativeStem() + ".txt");
    Files.createDirectories(video.getParent());
    Files.createDirectories(truth.getParent());
    Path videoTmp = temporary(video);
    Path truthTmp = temporary(truth);
    long rows = 0;
    BufferedImage image = renderer.newFrame();
    byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    try (VideoEncoder encoder =
            new VideoEncoder(videoTmp, s.width(), s.height(), s.fps(), s.bitrateKbps());
        BufferedWriter gt = Files.newBufferedWriter(truthTmp, StandardCharsets.UTF_8)) {
      for (int f = 0; f < frames.size(); f++) {
        List<Pose> poses = frames.get(f);
        renderer.render(poses, clip.lighting(), frameSeed(clip, f), image);
        encoder.write(pixels);
        for (GroundTruthRow row : renderer.groundTruth(f + 1, poses)) {
          gt.write(row.toMotLine());
          gt.newLine();
          rows++;
        }
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(videoTmp);
      Files.deleteIfExists(truthTmp);
      throw e;
    }
    Files.writeString(
        out.resolve("ground-truth").resolve(clip.relativeStem() + ".ini"),
        seqInfo(clip),
        StandardCharsets.UTF_8);
    Files.move(truthTmp, truth, StandardCopyOption.REPLACE_EXISTING);
    Files.move(videoTmp, video, StandardCopyOption.REPLACE_EXISTING);
    return rows;
  }

  /** The seed of the sensor noise of frame {@code index} (0-based) of a clip. */
  public static long frameSeed(ClipPlan clip, int index) {
    return Seeds.mix(clip.seed(), 100, index);
  }

  private String seqInfo(ClipPlan clip) {
    SynthSettings s = plan.settings();
    String stem = clip.relativeStem();
    return "[Sequence]\n"
        + "name="
        + stem.substring(stem.lastIndexOf('/') + 1)
        + "\ncamera="
        + ClipPlan.cameraName(clip.camera())
        + "\ndate="
        + clip.date()
        + "\nstart="
        + clip.start()
        + "\nlighting="
        + clip.lighting()
        + "\nframeRate="
        + s.fps()
        + "\nseqLength="
        + clip.frames()
        + "\nimWidth="
        + s.width()
        + "\nimHeight="
        + s.height()
        + "\nimExt=.mp4\n";
  }

  private void writeRegister(Path out) throws IOException {
    SynthSettings s = plan.settings();
    StringBuilder animals = new StringBuilder("id,name,camera,pen,first_day,last_day\n");
    StringBuilder visitors = new StringBuilder("id,camera\n");
    for (HerdMember m : plan.members()) {
      String camera = ClipPlan.cameraName(m.camera());
      if (m.visitor()) {
        visitors.append(m.id()).append(',').append(camera).append('\n');
      } else {
        animals
            .append(m.id())
            .append(',')
            .append(m.name())
            .append(',')
            .append(camera)
            .append(',')
            .append(String.format("pen%02d", m.camera() + 1))
            .append(',')
            .append(s.startDate().plusDays(m.firstDay()))
            .append(',')
            .append(s.startDate().plusDays(m.lastDay()))
            .append('\n');
      }
    }
    writeAtomically(out.resolve("animals.csv"), animals.toString());
    writeAtomically(out.resolve("visitors.csv"), visitors.toString());
  }

  private int writeEnrolment(Path out) throws IOException {
    SynthSettings s = plan.settings();
    int written = 0;
    List<SceneRenderer> renderers = new ArrayList<>();
    for (int cam = 0; cam < s.cameras(); cam++) {
      renderers.add(new SceneRenderer(plan.rig(cam)));
    }
    for (HerdMember m : plan.members()) {
      if (m.visitor() || s.enrolCrops() == 0) {
        continue;
      }
      List<HerdMember> mates =
          plan.members().stream()
              .filter(o -> o.camera() == m.camera() && !o.visitor() && o.id() != m.id())
              .toList();
      Path dir = out.resolve("enrol").resolve(Integer.toString(m.id()));
      Files.createDirectories(dir);
      SplittableRandom rnd = new SplittableRandom(Seeds.mix(s.seed(), 8, m.id()));
      for (int k = 0; k < s.enrolCrops(); k++) {
        BufferedImage crop = renderers.get(m.camera()).enrolmentCrop(m, mates, rnd);
        Path file = dir.resolve(String.format("%03d.png", k));
        Path tmp = temporary(file);
        if (!ImageIO.write(crop, "png", tmp.toFile())) {
          throw new IOException("no PNG writer for " + file);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        written++;
      }
    }
    progress.accept("enrolment crops: " + written);
    return written;
  }

  private static Path temporary(Path file) {
    return file.resolveSibling("." + file.getFileName() + ".tmp");
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = temporary(file);
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static void await(List<Future<?>> futures) throws IOException {
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while writing the archive", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
          throw io;
        }
        if (cause instanceof UncheckedIOException u) {
          throw u.getCause();
        }
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        throw new IOException(cause);
      }
    }
  }
}
