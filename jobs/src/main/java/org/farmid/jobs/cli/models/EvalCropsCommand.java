package org.farmid.jobs.cli.models;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.embed.CropEvaluation;
import org.farmid.common.embed.Embedder;
import org.farmid.common.embed.EmbedderEnsemble;
import org.farmid.common.embed.InfraredLook;
import org.farmid.common.embed.LabelPropagation;
import org.farmid.common.embed.TransformAverage;
import org.farmid.common.metrics.ClassificationReport;
import org.farmid.common.train.LabelledCrops;
import org.farmid.jobs.cli.ConfigOptions;
import org.farmid.jobs.cli.FarmId;
import org.farmid.jobs.cli.JsonReport;
import org.farmid.jobs.cli.Report;
import org.farmid.jobs.cli.UsageException;
import org.farmid.models.embed.DjlEmbedder;
import org.farmid.models.embed.EmbedderSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code farmid eval-crops}: nearest-mean classification of labelled crops. */
@Command(
    name = "eval-crops",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Embeds the train rows of a path,identity,split CSV, takes one re-normalised mean per",
      "identity (or several: --means-per-animal), names every val row after the nearest mean,",
      "and reports accuracy, macro and",
      "weighted precision/recall/F1, per-identity F1 and the confusion matrix."
    })
public final class EvalCropsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "MODEL_DIR",
      description =
          "Embedder model folder. Repeated: the models as one ensemble, each crop's embeddings"
              + " side by side (the cosine of two crops is the mean of the models' cosines); the"
              + " models must take one input size and preprocessing.")
  List<Path> models;

  static final class Source {
    @Option(names = "--split-csv", paramLabel = "CSV", description = "path,identity,split CSV.")
    Path splitCsv;

    @Option(
        names = "--crops",
        paramLabel = "DIR",
        description =
            "Folders of crops per animal; each animal's crops are split in two, in name order:"
                + " odd ones form the gallery, even ones are classified.")
    Path crops;
  }

  @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description = "Folder the CSV's paths are relative to (default: the CSV's folder).")
  Path root;

  @Option(
      names = "--embed-average",
      paramLabel = "none|flips|dihedral",
      description =
          "Average each crop's embeddings over its mirror images (flips: 4) or also its quarter"
              + " turns (dihedral: 8, square inputs) (default: pipeline.embed-average).")
  String embedAverage;

  @Option(
      names = "--night-queries",
      description =
          "With --crops: each animal's colour crops form its gallery and its infrared (grey) crops"
              + " are the queries, to measure how night crops are named against day enrolment.")
  boolean nightQueries;

  @Option(
      names = "--gallery-infrared",
      paramLabel = "CONTRAST,OFFSET",
      description =
          "Embed the gallery crops turned into an infrared camera's grey (offset + contrast x"
              + " luminance, 0-255; synth's night footage: 0.547,55; plain grey: 1,0).")
  String galleryInfrared;

  @Option(
      names = "--means-per-animal",
      paramLabel = "K",
      defaultValue = "1",
      description =
          "Summarise each animal's gallery crops by up to K means, of clusters of its embeddings"
              + " (spherical k-means), and name a query after the nearest of all means; 1: the"
              + " published method's one mean (default: ${DEFAULT-VALUE}).")
  int meansPerAnimal;

  @Option(
      names = "--adapt-weight",
      paramLabel = "W",
      defaultValue = "0",
      description =
          "Move the means toward the queries before naming them, as run adapts its gallery to an"
              + " archive (gallery.adapt-weight): each query named after its nearest mean, each"
              + " mean blended with the mean of the queries it took at W; 0: the gallery's means"
              + " alone, 1: the queries' means wherever a mean took queries (default:"
              + " ${DEFAULT-VALUE}).")
  double adaptWeight;

  @Option(
      names = "--propagate",
      description =
          "Name the queries together, by label propagation over the graph of every crop's nearest"
              + " neighbours (gallery and queries; no query's label is read): queries that look"
              + " alike carry one another toward one animal. In place of the nearest mean; not"
              + " with --means-per-animal or --adapt-weight.")
  boolean propagate;

  @Option(
      names = "--propagate-neighbours",
      paramLabel = "K",
      defaultValue = "" + LabelPropagation.DEFAULT_NEIGHBOURS,
      description = "Neighbours each crop is joined to (default: ${DEFAULT-VALUE}).")
  int propagateNeighbours;

  @Option(
      names = "--propagate-alpha",
      paramLabel = "A",
      defaultValue = "" + LabelPropagation.DEFAULT_ALPHA,
      description =
          "Share of a crop's score taken from its neighbours, the rest from its own label; between"
              + " 0 and 1 (default: ${DEFAULT-VALUE}).")
  double propagateAlpha;

  @Option(
      names = "--propagate-sigma",
      paramLabel = "S",
      defaultValue = "" + LabelPropagation.DEFAULT_SIGMA,
      description =
          "Width of the edge weights exp((cosine - 1) / S): smaller trusts only the nearest"
              + " (default: ${DEFAULT-VALUE}).")
  double propagateSigma;

  @Option(
      names = "--embeddings-out",
      paramLabel = "CSV",
      description =
          "Also write every crop's embedding, as the evaluation computed it, to CSV: path,"
              + "identity,split (train: gallery, val: query),e0,e1,..., for analyses of one's"
              + " own.")
  Path embeddingsOut;

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    com.typesafe.config.Config loaded = config.load(List.of());
    EmbedderSettings settings = EmbedderSettings.from(loaded);
    List<LabelledCrops.Crop> gallery = new ArrayList<>();
    List<LabelledCrops.Crop> queries = new ArrayList<>();
    String what;
    if (meansPerAnimal < 1) {
      throw new UsageException("--means-per-animal must be at least 1, got " + meansPerAnimal);
    }
    if (!(adaptWeight >= 0 && adaptWeight <= 1)) {
      throw new UsageException("--adapt-weight must be between 0 and 1, got " + adaptWeight);
    }
    LabelPropagation.Settings propagation = null;
    if (!propagate) {
      for (String option :
          List.of("--propagate-neighbours", "--propagate-alpha", "--propagate-sigma")) {
        if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
          throw new UsageException(option + " sets label propagation, which needs --propagate");
        }
      }
    } else {
      if (meansPerAnimal != 1 || adaptWeight != 0) {
        throw new UsageException(
            "--propagate names the queries from the gallery crops themselves: leave out"
                + " --means-per-animal and --adapt-weight");
      }
      try {
        propagation =
            new LabelPropagation.Settings(propagateNeighbours, propagateAlpha, propagateSigma);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--propagate: " + e.getMessage());
      }
    }
    if (nightQueries && source.crops == null) {
      throw new UsageException("--night-queries needs --crops (folders of crops per animal)");
    }
    if (source.splitCsv != null) {
      Path base = root != null ? root : source.splitCsv.toAbsolutePath().getParent();
      List<LabelledCrops.Crop> crops = LabelledCrops.fromCsv(source.splitCsv, base);
      gallery = LabelledCrops.split(crops, "train");
      queries = LabelledCrops.split(crops, "val");
      what = source.splitCsv.toString();
      if (gallery.isEmpty() || queries.isEmpty()) {
        throw new UsageException(
            "--split-csv " + source.splitCsv + " needs both train and val rows");
      }
    } else if (nightQueries) {
      CropEvaluation.Split split =
          CropEvaluation.nightQueries(LabelledCrops.fromFolders(source.crops));
      gallery = split.gallery();
      queries = split.queries();
      what = source.crops + " (colour crops as gallery, infrared crops as queries)";
      if (gallery.isEmpty()) {
        throw new UsageException(
            "--night-queries: no animal in "
                + source.crops
                + " has both colour and infrared crops");
      }
    } else {
      Map<String, Integer> seen = new LinkedHashMap<>();
      for (LabelledCrops.Crop c : LabelledCrops.fromFolders(source.crops)) {
        int k = seen.merge(c.identity(), 1, Integer::sum);
        (k % 2 == 1 ? gallery : queries).add(c);
      }
      what = source.crops + " (alternate crops as gallery and queries)";
    }
    InfraredLook look = null;
    if (galleryInfrared != null) {
      try {
        look = InfraredLook.parse(galleryInfrared);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--gallery-infrared: " + e.getMessage());
      }
    }
    PrintWriter err = spec.commandLine().getErr();
    String averageKey =
        embedAverage != null ? embedAverage : loaded.getString(PipelineSettings.EMBED_AVERAGE);
    TransformAverage.Mode average = TransformAverage.Mode.byKey(averageKey);
    if (average == null) {
      throw new UsageException(
          "--embed-average must be "
              + TransformAverage.Mode.choices()
              + ", got '"
              + averageKey
              + "'");
    }
    CropEvaluation.Outcome o;
    List<DjlEmbedder> opened = new ArrayList<>();
    try {
      for (Path m : models) {
        // any embedding length: the model's card says what it exports, and nearest means work on
        // vectors of whatever length (the pipeline's gallery is what fixes one)
        opened.add(DjlEmbedder.open(m, 0, settings.batchSize()));
      }
      Embedder embedder;
      try {
        embedder = EmbedderEnsemble.of(opened);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--model: " + e.getMessage());
      }
      Embedder averaged;
      try {
        averaged = TransformAverage.of(embedder, average);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--embed-average: " + e.getMessage());
      }
      o =
          CropEvaluation.run(
              look == null ? averaged : look.embedder(averaged),
              averaged,
              gallery,
              queries,
              meansPerAnimal,
              adaptWeight,
              propagation,
              line -> {
                err.println("eval-crops: " + line);
                err.flush();
              });
    } finally {
      for (DjlEmbedder e : opened) {
        e.close();
      }
    }
    ClassificationReport r = o.report();
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("model", models.get(0).toAbsolutePath().toString());
    figures.put(
        "ensemble",
        models.size() == 1
            ? null
            : models.stream().map(m -> m.toAbsolutePath().toString()).toList());
    figures.put("embed_average", average.key());
    figures.put("gallery_infrared", look == null ? null : List.of(look.contrast(), look.offset()));
    figures.put("means_per_animal", meansPerAnimal);
    figures.put("adapt_weight", adaptWeight);
    Map<String, Object> propagated = null;
    if (propagation != null) {
      propagated = new LinkedHashMap<>();
      propagated.put("neighbours", propagation.neighbours());
      propagated.put("alpha", propagation.alpha());
      propagated.put("sigma", propagation.sigma());
    }
    figures.put("propagation", propagated);
    figures.put("gallery_crops", o.galleryCrops());
    figures.put("query_crops", o.queryCrops());
    figures.put("identities", r.labels().size());
    figures.put("accuracy", r.accuracy());
    figures.put("macro_precision", r.macroPrecision());
    figures.put("macro_recall", r.macroRecall());
    figures.put("macro_f1", r.macroF1());
    figures.put("weighted_precision", r.weightedPrecision());
    figures.put("weighted_recall", r.weightedRecall());
    figures.put("weighted_f1", r.weightedF1());
    figures.put("crops_per_second", Math.round(o.cropsPerSecond() * 10) / 10.0);
    PrintWriter out = spec.commandLine().getOut();
    Report.print(out, "nearest-mean classification of " + what, figures);
    out.println("  lowest F1:");
    r.perClass().stream()
        .sorted(Comparator.comparingDouble(ClassificationReport.ClassFigures::f1))
        .limit(5)
        .forEach(
            c ->
                out.printf(
                    java.util.Locale.ROOT,
                    "    %-20s F1 %.3f  (P %.3f R %.3f, %d crops)%n",
                    c.label(),
                    c.f1(),
                    c.precision(),
                    c.recall(),
                    c.support()));
    out.flush();
    List<Map<String, Object>> perClass = new ArrayList<>();
    for (ClassificationReport.ClassFigures c : r.perClass()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("label", c.label());
      m.put("precision", c.precision());
      m.put("recall", c.recall());
      m.put("f1", c.f1());
      m.put("support", c.support());
      perClass.add(m);
    }
    figures.put("per_class", perClass);
    figures.put("confusion", Map.of("labels", r.labels(), "matrix", r.confusion()));
    if (config.json() != null) {
      JsonReport.write(config.json(), figures);
    }
    if (embeddingsOut != null) {
      writeEmbeddings(embeddingsOut, gallery, o.galleryEmbeddings(), queries, o.queryEmbeddings());
      err.println("eval-crops: embeddings written to " + embeddingsOut);
    }
    return FarmId.EXIT_OK;
  }

  /** One line per crop: path,identity,split,e0,e1,... (gallery rows as train, queries as val). */
  static void writeEmbeddings(
      Path out,
      List<LabelledCrops.Crop> gallery,
      List<float[]> galleryEmbeddings,
      List<LabelledCrops.Crop> queries,
      List<float[]> queryEmbeddings)
      throws java.io.IOException {
    StringBuilder sb = new StringBuilder("path,identity,split");
    int n = galleryEmbeddings.isEmpty() ? 0 : galleryEmbeddings.get(0).length;
    for (int i = 0; i < n; i++) {
      sb.append(",e").append(i);
    }
    sb.append('\n');
    appendRows(sb, gallery, galleryEmbeddings, "train");
    appendRows(sb, queries, queryEmbeddings, "val");
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      java.nio.file.Files.createDirectories(parent);
    }
    java.nio.file.Files.writeString(out, sb, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void appendRows(
      StringBuilder sb, List<LabelledCrops.Crop> crops, List<float[]> embeddings, String split) {
    for (int i = 0; i < crops.size(); i++) {
      LabelledCrops.Crop c = crops.get(i);
      String path = c.path().toString();
      if (path.contains(",") || c.identity().contains(",")) {
        throw new UsageException(
            "--embeddings-out: a comma in crop " + path + " (identity " + c.identity() + ")");
      }
      sb.append(path).append(',').append(c.identity()).append(',').append(split);
      for (float v : embeddings.get(i)) {
        sb.append(',').append(v);
      }
      sb.append('\n');
    }
  }
}
