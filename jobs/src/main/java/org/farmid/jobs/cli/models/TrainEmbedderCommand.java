package org.farmid.jobs.cli.models;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.farmid.common.embed.CropEvaluation;
import org.farmid.common.embed.LabelPropagation;
import org.farmid.common.image.CropPreprocessor;
import org.farmid.common.train.LabelledCrops;
import org.farmid.common.train.PseudoLabels;
import org.farmid.jobs.cli.ConfigOptions;
import org.farmid.jobs.cli.FarmId;
import org.farmid.jobs.cli.JsonReport;
import org.farmid.jobs.cli.Overrides;
import org.farmid.jobs.cli.Report;
import org.farmid.jobs.cli.UsageException;
import org.farmid.models.embed.DjlEmbedder;
import org.farmid.models.embed.EmbedderSettings;
import org.farmid.models.embed.EmbedderTrainer;
import org.farmid.models.embed.ModelCard;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code farmid train-embedder}: trains the Siamese embedder and exports a SavedModel. */
@Command(
    name = "train-embedder",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Trains the embedding network with a triplet loss on labelled crops (folders per animal, or",
      "the train rows of a path,identity,split CSV) and exports MODEL_DIR: a TensorFlow SavedModel",
      "(serving_default: uint8 RGB images -> embedding) and its model.json card.",
      "Options left out come from the farmid.embedder settings."
    })
public final class TrainEmbedderCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  static final class Source {
    @Option(
        names = "--crops",
        paramLabel = "DIR",
        description = "Folders of crops, one per animal.")
    Path crops;

    @Option(names = "--split-csv", paramLabel = "CSV", description = "path,identity,split CSV.")
    Path splitCsv;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description = "Folder the CSV's paths are relative to (default: the CSV's folder).")
  Path root;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "MODEL_DIR",
      description = "Model folder to write.")
  Path out;

  @Option(
      names = "--epochs",
      description = "Most epochs to train (embedder.epochs); 0 exports the untrained network.")
  Integer epochs;

  @Option(
      names = "--input-size",
      description =
          "Input size in pixels: a square's side (96) or WxH (72x128, for crops taller than"
              + " wide); crops are stretched to it (embedder.input-size).")
  String inputSize;

  @Option(names = "--width", description = "MobileNetV2 width multiplier.")
  Double width;

  @Option(names = "--blocks", description = "Inverted-residual blocks kept.")
  Integer blocks;

  @Option(
      names = "--embedding-size",
      description = "Length of the L2-normalised embedding (embedder.embedding-size).")
  Integer embeddingSize;

  @Option(names = "--loss", description = "semi-hard or batch-hard.")
  String loss;

  @Option(names = "--margin", description = "Triplet loss margin (embedder.margin).")
  Double margin;

  @Option(names = "--learning-rate", description = "Adam step size (embedder.learning-rate).")
  Double learningRate;

  @Option(
      names = "--learning-rate-schedule",
      description = "constant, or cosine (from --learning-rate down to 1%% of it over --epochs).")
  String learningRateSchedule;

  @Option(
      names = "--partial-view-share",
      description = "Share of training crops cut to a part (an animal half out of the picture).")
  Double partialViewShare;

  @Option(
      names = "--occlusion-share",
      description = "Share of training crops with a band of another animal pasted over one side.")
  Double occlusionShare;

  @Option(
      names = "--infrared-share",
      description =
          "Share of training crops turned into infrared-like grey with noise"
              + " (embedder.infrared-share).")
  Double infraredShare;

  @Option(
      names = "--infrared-contrast",
      description =
          "Contrast of that grey against the day's, 0.05 to 1 (embedder.infrared-contrast; night"
              + " cameras show paint marks in greys close to the skin's).")
  Double infraredContrast;

  @Option(
      names = "--flips",
      description =
          "Mirror images training may show: both (top view, the default), dihedral (both and"
              + " quarter turns; square inputs), left-right, or none (upright faces or flanks;"
              + " embedder.flips).")
  String flips;

  @Option(
      names = "--align",
      paramLabel = "none|body-axis",
      description =
          "How a crop becomes the model's input: none (the box stretched) or body-axis (the"
              + " rectangle along the animal's long axis, markings in one place whichever way it"
              + " lies; every stage that uses the model does the same; embedder.align).")
  String align;

  @Option(
      names = "--init-from",
      paramLabel = "MODEL_DIR",
      description =
          "Start from the weights of an embedder exported by this command with the same"
              + " architecture settings (fine-tuning, e.g. on a farm's own animals); the"
              + " classification head starts afresh when the number of animals differs.")
  Path initFrom;

  @Option(
      names = "--backbone-weights",
      paramLabel = "TFJS_DIR",
      description =
          "Start the backbone from a pretrained Keras MobileNetV2 in TensorFlow.js format, such as"
              + " models/pretrained/mobilenet_v2 (ImageNet features; needs --width 1.0), instead of"
              + " random weights; the head starts afresh.")
  Path backbone;

  @Option(
      names = "--animals-per-batch",
      description = "P: animals in each batch (embedder.animals-per-batch).")
  Integer animalsPerBatch;

  @Option(
      names = "--crops-per-animal",
      description = "K: crops of each of them per batch, at least 2 (embedder.crops-per-animal).")
  Integer cropsPerAnimal;

  @Option(
      names = "--classification-weight",
      description =
          "Weight of the cosine-softmax term added to the triplet loss (0: triplet only).")
  Double classificationWeight;

  @Option(
      names = "--classification-margin",
      description =
          "Margin subtracted from the true animal's cosine in that term (CosFace; 0: none).")
  Double classificationMargin;

  @Option(
      names = "--backbone-learning-rate-factor",
      description =
          "What the learning rate is multiplied by for the backbone's weights, 0 to 1 (the head"
              + " learns at the full rate; below 1 keeps more of a pretrained backbone's features;"
              + " embedder.backbone-learning-rate-factor).")
  Double backboneRateFactor;

  @Option(
      names = "--pooling",
      description =
          "How the feature map becomes the head's input: flatten (the published method), average"
              + " or max (each channel pooled over the map; embedder.pooling).")
  String pooling;

  @Option(
      names = "--flip-average",
      arity = "0..1",
      paramLabel = "true|false",
      description =
          "Export an embedding that averages each crop's and its mirror image's (twice the"
              + " inference work; embedder.flip-average).")
  Boolean flipAverage;

  @Option(
      names = "--patience",
      description =
          "Stop after this many epochs without a better validation F1 (embedder.patience).")
  Integer patience;

  @Option(
      names = "--validation-share",
      description =
          "Share of each animal's crops held out to pick the best epoch and stop early;"
              + " 0 holds none out, trains on every crop and exports the last epoch"
              + " (embedder.validation-share).")
  Double validationShare;

  @Option(
      names = "--seed",
      description = "Seed of the weights, batches and augmentation (embedder.seed).")
  Long seed;

  @Option(
      names = "--pseudo-label-split",
      paramLabel = "SPLIT",
      description =
          "With --split-csv and --init-from: the CSV's rows of this split (such as crops cut from"
              + " the farm's footage, identity left empty) are named without reading their"
              + " identity column, by label propagation from the train rows in the --init-from"
              + " model's embedding (as eval-crops --propagate), and the surest"
              + " --pseudo-label-share of them train beside the train rows under those names.")
  String pseudoLabelSplit;

  @Option(
      names = "--pseudo-label-share",
      paramLabel = "S",
      defaultValue = "0.5",
      description =
          "Share of the --pseudo-label-split rows kept, surest first; above 0, at most 1"
              + " (default: ${DEFAULT-VALUE}).")
  double pseudoLabelShare;

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    List<String> o = new ArrayList<>();
    Overrides.put(o, EmbedderSettings.SECTION, "epochs", epochs);
    Overrides.put(o, EmbedderSettings.SECTION, "input-size", inputSize);
    Overrides.put(o, EmbedderSettings.SECTION, "width", width);
    Overrides.put(o, EmbedderSettings.SECTION, "blocks", blocks);
    Overrides.put(o, EmbedderSettings.SECTION, "embedding-size", embeddingSize);
    Overrides.put(o, EmbedderSettings.SECTION, "loss", loss);
    Overrides.put(o, EmbedderSettings.SECTION, "margin", margin);
    Overrides.put(o, EmbedderSettings.SECTION, "learning-rate", learningRate);
    Overrides.put(o, EmbedderSettings.SECTION, "learning-rate-schedule", learningRateSchedule);
    Overrides.put(o, EmbedderSettings.SECTION, "partial-view-share", partialViewShare);
    Overrides.put(o, EmbedderSettings.SECTION, "occlusion-share", occlusionShare);
    Overrides.put(o, EmbedderSettings.SECTION, "infrared-share", infraredShare);
    Overrides.put(o, EmbedderSettings.SECTION, "infrared-contrast", infraredContrast);
    Overrides.put(o, EmbedderSettings.SECTION, "flips", flips);
    Overrides.put(o, EmbedderSettings.SECTION, "align", align);
    Overrides.put(o, EmbedderSettings.SECTION, "animals-per-batch", animalsPerBatch);
    Overrides.put(o, EmbedderSettings.SECTION, "crops-per-animal", cropsPerAnimal);
    Overrides.put(o, EmbedderSettings.SECTION, "patience", patience);
    Overrides.put(o, EmbedderSettings.SECTION, "validation-share", validationShare);
    Overrides.put(o, EmbedderSettings.SECTION, "classification-weight", classificationWeight);
    Overrides.put(o, EmbedderSettings.SECTION, "classification-margin", classificationMargin);
    Overrides.put(o, EmbedderSettings.SECTION, "backbone-learning-rate-factor", backboneRateFactor);
    Overrides.put(o, EmbedderSettings.SECTION, "flip-average", flipAverage);
    Overrides.put(o, EmbedderSettings.SECTION, "pooling", pooling);
    Overrides.put(o, EmbedderSettings.SECTION, "seed", seed);
    EmbedderSettings settings = EmbedderSettings.from(config.load(o));
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new UsageException("--out " + out + " is a file; give a folder");
    }
    if (initFrom != null && !Files.isRegularFile(initFrom.resolve("saved_model.pb"))) {
      throw new UsageException(
          "--init-from "
              + initFrom
              + " holds no saved_model.pb; give a folder made by train-embedder");
    }
    if (initFrom != null) {
      ModelCard card = ModelCard.readEmbedder(initFrom, 0);
      boolean aligned = CropPreprocessor.ALIGNED_ID.equals(card.preprocessing());
      if (aligned != settings.training().align()) {
        throw new UsageException(
            "--init-from "
                + initFrom
                + " was trained with align = "
                + (aligned ? "body-axis" : "none")
                + "; set --align "
                + (aligned ? "body-axis" : "none")
                + " (embedder.align is "
                + (settings.training().align() ? "body-axis" : "none")
                + ")");
      }
    }
    if (backbone != null && !Files.isRegularFile(backbone.resolve("model.json"))) {
      throw new UsageException(
          "--backbone-weights "
              + backbone
              + " holds no model.json; give a folder made by scripts/import-pretrained.sh");
    }
    if (backbone != null && settings.training().architecture().width() != 1.0) {
      throw new UsageException(
          "--backbone-weights "
              + backbone
              + " is MobileNetV2 width 1.0; set --width 1.0 (embedder.width is "
              + settings.training().architecture().width()
              + ")");
    }
    if (pseudoLabelSplit == null) {
      if (spec.commandLine().getParseResult().hasMatchedOption("--pseudo-label-share")) {
        throw new UsageException(
            "--pseudo-label-share sets how many --pseudo-label-split rows train: give that split");
      }
    } else {
      if (source.splitCsv == null || initFrom == null) {
        throw new UsageException(
            "--pseudo-label-split names crops with the --init-from model's embedding, from the"
                + " train rows of --split-csv: give both");
      }
      if (pseudoLabelSplit.equals("train")) {
        throw new UsageException(
            "--pseudo-label-split train: the train rows are the labelled ones; name another split");
      }
      if (!(pseudoLabelShare > 0 && pseudoLabelShare <= 1)) {
        throw new UsageException(
            "--pseudo-label-share must be above 0 and at most 1, got " + pseudoLabelShare);
      }
    }
    List<LabelledCrops.Crop> crops;
    List<LabelledCrops.Crop> rows = List.of();
    String data;
    if (source.crops != null) {
      crops = LabelledCrops.fromFolders(source.crops);
      data = source.crops.toAbsolutePath().normalize().toString();
    } else {
      Path base = root != null ? root : source.splitCsv.toAbsolutePath().getParent();
      rows = LabelledCrops.fromCsv(source.splitCsv, base);
      crops = LabelledCrops.split(rows, "train");
      data = source.splitCsv.toAbsolutePath().normalize() + " (train rows)";
      if (crops.isEmpty()) {
        throw new UsageException("--split-csv " + source.splitCsv + " has no train rows");
      }
    }
    PrintWriter err = spec.commandLine().getErr();
    int pseudoLabelled = 0;
    if (pseudoLabelSplit != null) {
      List<LabelledCrops.Crop> named =
          pseudoLabels(
              crops, LabelledCrops.split(rows, pseudoLabelSplit), settings.batchSize(), err);
      pseudoLabelled = named.size();
      crops = new ArrayList<>(crops);
      crops.addAll(named);
      data +=
          " and " + pseudoLabelled + " " + pseudoLabelSplit + " rows named by label propagation";
    }
    EmbedderTrainer.Outcome r =
        new EmbedderTrainer(
                settings.training().withInitFrom(initFrom),
                line -> {
                  err.println("train-embedder: " + line);
                  err.flush();
                })
            .backbone(backbone)
            .train(crops, out, data);
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("model", out.toAbsolutePath().toString());
    figures.put("identities", r.identities());
    figures.put("train_crops", r.trainCrops());
    figures.put("validation_crops", r.validationCrops());
    figures.put("pseudo_label_split", pseudoLabelSplit);
    figures.put("pseudo_labelled_crops", pseudoLabelSplit == null ? null : pseudoLabelled);
    figures.put("epochs_run", r.epochs().size());
    figures.put("best_epoch", r.bestEpoch());
    figures.put("validation_macro_f1", orNull(r.bestValidationMacroF1()));
    figures.put("seconds", Math.round(r.seconds() * 10) / 10.0);
    List<Map<String, Object>> perEpoch = new ArrayList<>();
    for (EmbedderTrainer.Epoch e : r.epochs()) {
      Map<String, Object> epoch = new LinkedHashMap<>();
      epoch.put("epoch", e.epoch());
      epoch.put("loss", e.loss());
      epoch.put("validation_macro_f1", orNull(e.validationMacroF1()));
      epoch.put("seconds", e.seconds());
      perEpoch.add(epoch);
    }
    Report.print(spec.commandLine().getOut(), "embedder trained", figures);
    figures.put("epochs", perEpoch);
    if (config.json() != null) {
      JsonReport.write(config.json(), figures);
    }
    return FarmId.EXIT_OK;
  }

  /**
   * The --pseudo-label-split rows ({@code unlabelled}) named after the train rows ({@link
   * PseudoLabels}), embedded by the --init-from model as the pipeline would embed them.
   */
  private List<LabelledCrops.Crop> pseudoLabels(
      List<LabelledCrops.Crop> labelled,
      List<LabelledCrops.Crop> unlabelled,
      int batchSize,
      PrintWriter err)
      throws Exception {
    if (unlabelled.isEmpty()) {
      throw new UsageException(
          "--pseudo-label-split "
              + pseudoLabelSplit
              + ": --split-csv "
              + source.splitCsv
              + " has no rows of that split");
    }
    err.println(
        "train-embedder: naming "
            + unlabelled.size()
            + " "
            + pseudoLabelSplit
            + " crops by label propagation from "
            + labelled.size()
            + " train crops, in the embedding of "
            + initFrom);
    err.flush();
    List<float[]> le;
    List<float[]> ue;
    try (DjlEmbedder embedder = DjlEmbedder.open(initFrom, 0, batchSize)) {
      le = List.of(CropEvaluation.embed(embedder, labelled));
      ue = List.of(CropEvaluation.embed(embedder, unlabelled));
    }
    List<LabelledCrops.Crop> named =
        PseudoLabels.surest(
            labelled, le, unlabelled, ue, pseudoLabelShare, LabelPropagation.DEFAULTS);
    err.println(
        "train-embedder: "
            + named.size()
            + " of them, the surest, train under the names they were given ("
            + named.stream().map(LabelledCrops.Crop::identity).distinct().count()
            + " animals)");
    err.flush();
    return named;
  }

  /** A figure, or null (JSON null) when there was nothing to measure it on. */
  private static Double orNull(double figure) {
    return Double.isNaN(figure) ? null : figure;
  }
}
