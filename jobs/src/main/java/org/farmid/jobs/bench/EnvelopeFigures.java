package org.farmid.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The identity figures over the operating envelope: for every cell of a grid (animals per pen,
 * share of night footage, visitors per pen) a {@code synth} archive of its own seed, the whole
 * pipeline on it ({@code run} with the enrolment crops, register and ground truth), and the
 * detector's mAP on its frames ({@code eval-detector}), each a {@code farmid} process of its own.
 * One row per cell, each figure beside its goal and, where short, by how much; written as Markdown
 * and JSON.
 */
public final class EnvelopeFigures {
  /** A figure of the table: where it is read, its goal, and whether higher is better. */
  public record Goal(String name, String key, double goal, boolean higherIsBetter) {
    /** How far the value is from the goal (0 when met, NaN when there is no value). */
    public double shortBy(double value) {
      if (Double.isNaN(value)) {
        return Double.NaN;
      }
      return higherIsBetter ? Math.max(0, goal - value) : Math.max(0, value - goal);
    }

    String header() {
      return String.format(
          Locale.ROOT, "%s (%s %s)", name, higherIsBetter ? ">=" : "<=", trim(goal));
    }
  }

  /** The goals of the envelope, in the order of the table's columns. */
  public static final List<Goal> GOALS =
      List.of(
          new Goal("mAP50", "map50", 0.95, true),
          new Goal("mAP", "map", 0.75, true),
          new Goal("detection recall", "detection_recall", 0.95, true),
          new Goal("per-crop macro F1", "macro_f1", 0.90, true),
          new Goal("track-voted macro F1", "track_macro_f1", 0.97, true),
          new Goal("visitors unknown (track)", "track_unknown_rejection_rate", 0.90, true),
          new Goal("registered unknown (track)", "track_false_unknown_rate", 0.05, false),
          new Goal("IDF1", "idf1", 0.90, true));

  /** Figures reported beside the goals, without one. */
  static final List<String> ALSO =
      List.of("unknown_rejection_rate", "false_unknown_rate", "mota", "id_switches");

  /**
   * What limits detection recall, from {@code eval-detector}: the share of animals less than half
   * visible, the confident recall of the others, and the recall if all of those were found.
   */
  static final List<String> HIDDEN =
      List.of("hidden_share", "recall50_half_visible", "recall50_if_half_visible_found");

  /** One cell of the grid. */
  public record Cell(int animals, double night, int visitors, long seed) {
    String name() {
      return String.format(
          Locale.ROOT, "a%02d-n%03d-v%d", animals, Math.round(night * 100), visitors);
    }
  }

  /** The archive each cell generates, besides its grid values. */
  public record Archive(int cameras, int days, double minutes, int width, int height) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path work;
  private final String heap;
  private final List<String> settings;
  private final Consumer<String> progress;

  public EnvelopeFigures(Path work, String heap, List<String> settings, Consumer<String> progress) {
    this.work = work;
    this.heap = heap;
    this.settings = settings;
    this.progress = progress;
  }

  /** The grid, seeds counted up from {@code firstSeed} in the order the cells are listed. */
  public static List<Cell> grid(
      List<Integer> animals, List<Double> night, List<Integer> visitors, long firstSeed) {
    List<Cell> cells = new ArrayList<>();
    long seed = firstSeed;
    for (int a : animals) {
      for (double n : night) {
        for (int v : visitors) {
          cells.add(new Cell(a, n, v, seed++));
        }
      }
    }
    return cells;
  }

  /**
   * Runs every cell and writes {@code envelope.md} and {@code envelope.json} to the work folder
   * after each one (a long grid stopped half way keeps the cells done); returns the rows.
   */
  public List<Map<String, Object>> run(List<Cell> cells, Archive archive, String detectorModel)
      throws IOException, InterruptedException {
    List<Map<String, Object>> rows = new ArrayList<>();
    int i = 0;
    for (Cell c : cells) {
      i++;
      long t0 = System.nanoTime();
      Path dir = work.resolve(c.name());
      Path synth = dir.resolve("synth");
      child(
          dir,
          "synth",
          "synth",
          "--out",
          synth.toString(),
          "--seed",
          Long.toString(c.seed()),
          "--animals",
          Integer.toString(c.animals()),
          "--visitors",
          Integer.toString(c.visitors()),
          "--night-fraction",
          Double.toString(c.night()),
          "--cameras",
          Integer.toString(archive.cameras()),
          "--days",
          Integer.toString(archive.days()),
          "--minutes",
          Double.toString(archive.minutes()),
          "--clip-minutes",
          Double.toString(archive.minutes()),
          "--width",
          Integer.toString(archive.width()),
          "--height",
          Integer.toString(archive.height()),
          "--herd-changes",
          "0");
      JsonNode run =
          child(
                  dir,
                  "run",
                  "run",
                  "--archive",
                  synth.resolve("archive").toString(),
                  "--enrol-crops",
                  synth.resolve("enrol").toString(),
                  "--ground-truth",
                  synth.toString(),
                  "--warehouse",
                  dir.resolve("warehouse").toString())
              .figures();
      List<String> det = new ArrayList<>(List.of("eval-detector", "--archive", synth.toString()));
      if (detectorModel != null) {
        det.addAll(List.of("--model", detectorModel));
      }
      JsonNode detector = child(dir, "eval-detector", det.toArray(String[]::new)).figures();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("cell", c.name());
      row.put("animals_per_pen", c.animals());
      row.put("night_fraction", c.night());
      row.put("visitors_per_pen", c.visitors());
      row.put("seed", c.seed());
      for (Goal g : GOALS) {
        JsonNode from = g.key().startsWith("map") ? detector : run;
        row.put(g.key(), number(from, g.key()));
      }
      for (String k : ALSO) {
        row.put(k, number(run, k));
      }
      for (String k : HIDDEN) {
        row.put(k, number(detector, k));
      }
      row.put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
      rows.add(row);
      progress.accept(
          String.format(
              Locale.ROOT,
              "cell %d/%d %s (seed %d): %s",
              i,
              cells.size(),
              c.name(),
              c.seed(),
              summary(row)));
      write(rows, archive);
    }
    return rows;
  }

  private ChildRun.Result child(Path dir, String name, String... args)
      throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of(args));
    if (!"synth".equals(args[0])) {
      all.addAll(settings);
    }
    return ChildRun.run(
        "local[2]",
        heap,
        dir.resolve(name + ".log"),
        dir.resolve(name + ".json"),
        all.toArray(String[]::new));
  }

  private static double number(JsonNode figures, String key) {
    JsonNode n = figures.get(key);
    return n == null || !n.isNumber() ? Double.NaN : n.asDouble();
  }

  private static String summary(Map<String, Object> row) {
    StringBuilder b = new StringBuilder();
    for (Goal g : GOALS) {
      b.append(g.name()).append(' ').append(cell(g, (Double) row.get(g.key()))).append("; ");
    }
    return b.append(row.get("seconds")).append(" s").toString();
  }

  /** A value as the table shows it: 3 decimals, and "(-0.012)" where short of the goal. */
  static String cell(Goal g, double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    double s = g.shortBy(v);
    String text = String.format(Locale.ROOT, "%.3f", v);
    return s > 0
        ? text + String.format(Locale.ROOT, " (%s%.3f)", g.higherIsBetter() ? "-" : "+", s)
        : text;
  }

  /** A figure without a goal: 3 decimals, "-" where there is none (older rows lack some). */
  private static String plain(Object value) {
    return value instanceof Double d && !d.isNaN() ? String.format(Locale.ROOT, "%.3f", d) : "-";
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** The Markdown table of the rows: one line per cell, the goals in the header. */
  public static String markdown(List<Map<String, Object>> rows, Archive archive) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "Envelope: each cell its own synth archive (%d cameras, %d day(s), %s min per camera"
                + " and day, %dx%d), the whole pipeline with the default models and settings."
                + " A value short of its goal shows by how much in brackets; '-' where the cell"
                + " has nothing to measure (no visitors). The last three columns say what"
                + " limits detection: the share of animals less than half visible, the recall of"
                + " the others, and the recall if every one of those others were found.%n%n",
            archive.cameras(),
            archive.days(),
            trim(archive.minutes()),
            archive.width(),
            archive.height()));
    b.append("| animals | night | visitors | seed |");
    for (Goal g : GOALS) {
      b.append(' ').append(g.header()).append(" |");
    }
    b.append(" crop visitors unknown | MOTA | ID switches | goals short | s |");
    b.append(" under half visible | recall, half visible or more | recall if those all found |\n|");
    b.append("---:|".repeat(4 + GOALS.size() + 5 + HIDDEN.size())).append('\n');
    for (Map<String, Object> r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %d | %.0f%% | %d | %d |",
              (Integer) r.get("animals_per_pen"),
              (Double) r.get("night_fraction") * 100,
              (Integer) r.get("visitors_per_pen"),
              (Long) r.get("seed")));
      int shortOf = 0;
      for (Goal g : GOALS) {
        double v = (Double) r.get(g.key());
        if (g.shortBy(v) > 0) {
          shortOf++;
        }
        b.append(' ').append(cell(g, v)).append(" |");
      }
      double switches = (Double) r.get("id_switches");
      b.append(
          String.format(
              Locale.ROOT,
              " %s | %s | %s | %d | %s |",
              plain(r.get("unknown_rejection_rate")),
              plain(r.get("mota")),
              Double.isNaN(switches) ? "-" : Long.toString(Math.round(switches)),
              shortOf,
              r.get("seconds")));
      for (String k : HIDDEN) {
        b.append(' ').append(plain(r.get(k))).append(" |");
      }
      b.append('\n');
    }
    return b.toString();
  }

  private void write(List<Map<String, Object>> rows, Archive archive) throws IOException {
    Files.writeString(work.resolve("envelope.md"), markdown(rows, archive));
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("archive", archive);
    List<Map<String, Object>> goals = new ArrayList<>();
    for (Goal g : GOALS) {
      goals.add(
          Map.of("figure", g.key(), "goal", g.goal(), "higher_is_better", g.higherIsBetter()));
    }
    all.put("goals", goals);
    List<Map<String, Object>> clean = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      Map<String, Object> c = new LinkedHashMap<>();
      r.forEach((k, v) -> c.put(k, v instanceof Double d && d.isNaN() ? null : v));
      clean.add(c);
    }
    all.put("cells", clean);
    JSON.writeValue(work.resolve("envelope.json").toFile(), all);
  }
}
