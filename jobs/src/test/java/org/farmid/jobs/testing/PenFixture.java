package org.farmid.jobs.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.farmid.models.video.VideoEncoder;

/**
 * A tiny pen whose every figure can be worked out by hand: 160x120 videos at 5 fps, 20 frames each,
 * with coloured squares for animals on grey. Written to a folder in the layout of {@code farmid
 * synth} (archive, ground-truth, animals.csv, visitors.csv, enrol).
 *
 * <pre>
 * square    box (l,t,w,h)    ground truth        A (2026-01-05)     B (2026-01-06)
 * red       10,10,40,40      animal 1            every frame        every frame
 * green     100,60,40,40     animal 2 (left      every frame        every frame
 *                            the herd 01-05)
 * blue      60,70,30,30      visitor 901         frames 10-19       every frame
 * magenta   110,10,30,30     animal 3            every frame        -
 * yellow    10,70,30,30      not an animal       -                  every frame
 * </pre>
 *
 * The palette detector finds red, green, blue and yellow but never magenta; enrolment crops exist
 * for animals 1 and 2 only. A third file, {@code cam01/2026-01-06/11-00-00.mp4}, is random bytes.
 */
public final class PenFixture {
  public static final int WIDTH = 160;
  public static final int HEIGHT = 120;
  public static final int FPS = 5;
  public static final int FRAMES = 20;

  /** A square of the pen: its colour, its box, and which frames of which video show it. */
  public record Square(
      Color color,
      int left,
      int top,
      int size,
      String gtId,
      boolean inA,
      int fromFrameA,
      boolean inB) {}

  public static final List<Square> SQUARES =
      List.of(
          new Square(Color.RED, 10, 10, 40, "1", true, 0, true),
          new Square(Color.GREEN, 100, 60, 40, "2", true, 0, true),
          new Square(Color.BLUE, 60, 70, 30, "901", true, 10, true),
          new Square(Color.MAGENTA, 110, 10, 30, "3", true, 0, false),
          new Square(Color.YELLOW, 10, 70, 30, null, false, 0, true));

  private PenFixture() {}

  /** Writes the pen into {@code root}; returns it. */
  public static Path write(Path root) throws IOException {
    writeVideo(root, "cam01/2026-01-05/10-00-00", true);
    writeVideo(root, "cam01/2026-01-06/10-00-00", false);
    Path corrupt = root.resolve("archive/cam01/2026-01-06/11-00-00.mp4");
    byte[] noise = new byte[4096];
    new java.util.Random(5).nextBytes(noise);
    Files.write(corrupt, noise);
    Files.writeString(
        root.resolve("animals.csv"),
        "id,name,camera,pen,first_day,last_day\n"
            + "1,Red,cam01,pen01,2026-01-05,2026-01-06\n"
            + "2,Green,cam01,pen01,2026-01-05,2026-01-05\n"
            + "3,Magenta,cam01,pen01,2026-01-05,2026-01-06\n");
    Files.writeString(root.resolve("visitors.csv"), "id,camera\n901,cam01\n");
    enrolCrops(root.resolve("enrol"), "1", Color.RED, 2);
    enrolCrops(root.resolve("enrol"), "2", Color.GREEN, 2);
    return root;
  }

  /** Writes {@code count} solid crops of one colour into {@code dir/<animal>/}. */
  public static void enrolCrops(Path dir, String animal, Color color, int count)
      throws IOException {
    Path d = dir.resolve(animal);
    Files.createDirectories(d);
    for (int k = 0; k < count; k++) {
      BufferedImage img = new BufferedImage(32 + 8 * k, 32, BufferedImage.TYPE_3BYTE_BGR);
      Graphics2D g = img.createGraphics();
      g.setColor(color);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      g.dispose();
      ImageIO.write(img, "png", d.resolve("crop" + k + ".png").toFile());
    }
  }

  private static void writeVideo(Path root, String name, boolean a) throws IOException {
    Path video = root.resolve("archive/" + name + ".mp4");
    Path gt = root.resolve("ground-truth/" + name + ".txt");
    Files.createDirectories(video.getParent());
    Files.createDirectories(gt.getParent());
    StringBuilder rows = new StringBuilder();
    try (VideoEncoder enc = new VideoEncoder(video, WIDTH, HEIGHT, FPS, 800)) {
      for (int f = 0; f < FRAMES; f++) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        for (Square s : SQUARES) {
          boolean shown = a ? s.inA() && f >= s.fromFrameA() : s.inB();
          if (!shown) {
            continue;
          }
          g.setColor(s.color());
          g.fillRect(s.left(), s.top(), s.size(), s.size());
          if (s.gtId() != null) {
            rows.append(
                String.format(
                    "%d,%s,%d,%d,%d,%d,1,1,1.00%n",
                    f + 1, s.gtId(), s.left(), s.top(), s.size(), s.size()));
          }
        }
        g.dispose();
        enc.write(
            Arrays.copyOf(
                ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData(),
                WIDTH * HEIGHT * 3));
      }
    }
    Files.writeString(gt, rows.toString());
  }

  /** Names of the colours the palette models know, in embedding order. */
  public static final List<Color> PALETTE =
      new ArrayList<>(List.of(Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW, Color.MAGENTA));
}
