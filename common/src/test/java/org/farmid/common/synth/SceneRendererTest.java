package org.farmid.common.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.farmid.common.geom.Box;
import org.junit.jupiter.api.Test;

class SceneRendererTest {

  private static final ArchivePlan PLAN = ArchivePlan.create(TestWorlds.smallPen(21));
  private static final ClipPlan CLIP = PLAN.clips().get(0);
  private static final List<List<Pose>> FRAMES =
      PenSimulation.simulate(CLIP, PLAN.rig(0), PLAN.settings().fps());

  @Test
  void everyGroundTruthBoxHoldsItsAnimalsPixelsAndTightlyWhenFullyVisible() {
    SceneRenderer renderer = new SceneRenderer(PLAN.rig(0));
    int width = PLAN.settings().width();
    int fullyVisible = 0;
    int partlyVisible = 0;
    for (int f = 0; f < FRAMES.size(); f += 7) {
      List<Pose> poses = FRAMES.get(f);
      int[] mask = renderer.renderMask(poses, 1.0);
      List<GroundTruthRow> rows = renderer.groundTruth(f + 1, poses);
      List<Integer> idsWithRows = new ArrayList<>();
      for (GroundTruthRow row : rows) {
        assertThat(row.frame()).isEqualTo(f + 1);
        int index = indexOf(poses, row.id());
        idsWithRows.add(row.id());
        Box box = row.box();
        int pixels = 0;
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int p = 0; p < mask.length; p++) {
          if ((mask[p] & 0xffffff) != index + 1) {
            continue;
          }
          int x = p % width;
          int y = p / width;
          pixels++;
          assertThat(x + 0.5)
              .as("animal %d pixel x in frame %d", row.id(), f + 1)
              .isBetween(box.left(), box.right());
          assertThat(y + 0.5)
              .as("animal %d pixel y in frame %d", row.id(), f + 1)
              .isBetween(box.top(), box.bottom());
          minX = Math.min(minX, x);
          minY = Math.min(minY, y);
          maxX = Math.max(maxX, x);
          maxY = Math.max(maxY, y);
        }
        assertThat(pixels).as("animal %d visible in frame %d", row.id(), f + 1).isPositive();
        if (row.visibility() == 1.0) {
          fullyVisible++;
          Box maskBox = new Box(minX, minY, maxX - minX + 1, maxY - minY + 1);
          assertThat(maskBox.iou(box))
              .as("tightness of animal %d in frame %d", row.id(), f + 1)
              .isGreaterThanOrEqualTo(0.9);
        } else {
          partlyVisible++;
          double fullArea = fullPixels(renderer, poses.get(index));
          assertThat(row.visibility())
              .as("visibility of animal %d in frame %d", row.id(), f + 1)
              .isCloseTo(pixels / fullArea, within(0.08));
        }
      }
      // Every animal that shows a real part of itself has a row.
      for (int i = 0; i < poses.size(); i++) {
        int index = i;
        long seen = Arrays.stream(mask).filter(v -> (v & 0xffffff) == index + 1).count();
        if (seen >= 100) {
          assertThat(idsWithRows).contains(poses.get(i).member().id());
        }
      }
    }
    assertThat(fullyVisible).as("rows with visibility 1").isGreaterThan(20);
    assertThat(partlyVisible).as("rows of covered or cut animals").isGreaterThan(0);
  }

  @Test
  void sameSeedGivesSamePicturesAndGroundTruthAndAnotherSeedDoesNot() {
    ArchivePlan again = ArchivePlan.create(TestWorlds.smallPen(21));
    ArchivePlan other = ArchivePlan.create(TestWorlds.smallPen(22));
    assertThat(render(again, 40)).isEqualTo(render(PLAN, 40));
    assertThat(truth(again)).isEqualTo(truth(PLAN));
    assertThat(render(other, 40)).isNotEqualTo(render(PLAN, 40));
    assertThat(truth(other)).isNotEqualTo(truth(PLAN));
  }

  @Test
  void nightInfraredIsGreyAndDayIsColour() {
    SceneRenderer renderer = new SceneRenderer(PLAN.rig(0));
    BufferedImage img = renderer.newFrame();
    renderer.render(FRAMES.get(0), Lighting.NIGHT_IR, 1, img);
    byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < px.length; i += 3) {
      assertThat(px[i]).isEqualTo(px[i + 1]).isEqualTo(px[i + 2]);
    }
    renderer.render(FRAMES.get(0), Lighting.DAY, 1, img);
    int coloured = 0;
    for (int i = 0; i < px.length; i += 3) {
      if (Math.abs((px[i] & 0xff) - (px[i + 2] & 0xff)) > 40) {
        coloured++;
      }
    }
    assertThat(coloured).as("strongly coloured pixels (paint marks, skin)").isGreaterThan(500);
  }

  @Test
  void enrolmentCropsShowTheWholeAnimal() {
    SceneRenderer renderer = new SceneRenderer(PLAN.rig(0));
    HerdMember member = PLAN.members().get(0);
    BufferedImage crop =
        renderer.enrolmentCrop(member, PLAN.members(), new java.util.SplittableRandom(5));
    double lengthPx = member.look().length() * 0.88 * 360 / PLAN.rig(0).penHeight();
    // At least the animal's width, at most its length plus margins, on each side.
    assertThat(Math.max(crop.getWidth(), crop.getHeight()))
        .isBetween((int) (0.5 * lengthPx), (int) (1.4 * lengthPx));
  }

  private static double fullPixels(SceneRenderer renderer, Pose pose) {
    int[] alone = renderer.renderMask(List.of(pose), 1.0);
    // Outside the picture the shape is cut; its area comes from the outline instead.
    AnimalShape shape = renderer.shapeOf(pose.member());
    double area =
        shape.area() * Math.abs(pose.toImage(renderer.rig().worldToImage()).getDeterminant());
    long inside = Arrays.stream(alone).filter(v -> (v & 0xffffff) == 1).count();
    return Math.max(area, inside);
  }

  private static int indexOf(List<Pose> poses, int id) {
    for (int i = 0; i < poses.size(); i++) {
      if (poses.get(i).member().id() == id) {
        return i;
      }
    }
    throw new AssertionError("no pose for id " + id);
  }

  private static byte[] render(ArchivePlan plan, int frame) {
    ClipPlan clip = plan.clips().get(0);
    List<List<Pose>> frames = PenSimulation.simulate(clip, plan.rig(0), plan.settings().fps());
    SceneRenderer renderer = new SceneRenderer(plan.rig(0));
    BufferedImage img = renderer.newFrame();
    renderer.render(frames.get(frame), clip.lighting(), Seeds.mix(clip.seed(), frame), img);
    return ((DataBufferByte) img.getRaster().getDataBuffer()).getData().clone();
  }

  private static List<String> truth(ArchivePlan plan) {
    ClipPlan clip = plan.clips().get(0);
    List<List<Pose>> frames = PenSimulation.simulate(clip, plan.rig(0), plan.settings().fps());
    SceneRenderer renderer = new SceneRenderer(plan.rig(0));
    List<String> lines = new ArrayList<>();
    for (int f = 0; f < frames.size(); f++) {
      renderer.groundTruth(f + 1, frames.get(f)).forEach(r -> lines.add(r.toMotLine()));
    }
    return lines;
  }
}
