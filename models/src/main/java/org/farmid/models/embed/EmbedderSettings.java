package org.farmid.models.embed;

import com.typesafe.config.Config;
import org.farmid.common.config.SettingsReader;
import org.farmid.common.train.Augmentation;
import org.farmid.models.tf.AdamFeed;

/** The {@code farmid.embedder} section, checked. */
public record EmbedderSettings(EmbedderTrainer.Options training, int batchSize) {
  public static final String SECTION = "farmid.embedder";

  public static EmbedderSettings from(Config config) {
    SettingsReader r = new SettingsReader(config, SECTION);
    int[] input = r.sizeAtLeast("input-size", 32);
    double width = r.positiveDouble("width");
    int blocks = r.intAtLeast("blocks", 1);
    int embeddingSize = r.intAtLeast("embedding-size", 2);
    int denseSize = r.intAtLeast("dense-size", 2);
    double dropout = r.doubleBetween("dropout", 0, 0.95);
    String loss = r.string("loss");
    if (!loss.equals("semi-hard") && !loss.equals("batch-hard")) {
      r.problem(
          "key '" + r.pathOf("loss") + "' must be semi-hard or batch-hard, got '" + loss + "'");
    }
    double margin = r.positiveDouble("margin");
    boolean flipAverage = r.bool("flip-average");
    String pooling = r.string("pooling");
    if (!EmbedderArchitecture.POOLINGS.contains(pooling)) {
      r.problem(
          "key '"
              + r.pathOf("pooling")
              + "' must be flatten, average or max, got '"
              + pooling
              + "'");
    }
    int epochs = r.intAtLeast("epochs", 0);
    int p = r.intAtLeast("animals-per-batch", 2);
    int k = r.intAtLeast("crops-per-animal", 2);
    double lr = r.positiveDouble("learning-rate");
    double share = r.doubleBetween("validation-share", 0, 0.5);
    int patience = r.intAtLeast("patience", 1);
    double classification = r.doubleBetween("classification-weight", 0, 100);
    double classificationMargin = r.doubleBetween("classification-margin", 0, 1);
    double backboneRate = r.doubleBetween("backbone-learning-rate-factor", 0, 1);
    boolean augment = r.bool("augment");
    String schedule = r.string("learning-rate-schedule");
    String badSchedule = AdamFeed.unknownSchedule(schedule);
    if (badSchedule != null) {
      r.problem("key '" + r.pathOf("learning-rate-schedule") + "' " + badSchedule);
    }
    double partial = r.doubleBetween("partial-view-share", 0, 1);
    double occlusion = r.doubleBetween("occlusion-share", 0, 1);
    double infraredShare = r.doubleBetween("infrared-share", 0, 1);
    double infraredContrast = r.doubleBetween("infrared-contrast", 0.05, 1);
    Augmentation.Flips flips =
        r.choice(
            "flips",
            Augmentation.Flips::byKey,
            SettingsReader.alternatives(Augmentation.Flips.values(), Augmentation.Flips::key));
    if (flips == Augmentation.Flips.DIHEDRAL && input[0] != input[1]) {
      r.problem(
          "key '"
              + r.pathOf("flips")
              + "' = dihedral turns crops a quarter, which needs a square input-size, got "
              + input[0]
              + "x"
              + input[1]);
    }
    String align = r.string("align");
    if (!align.equals("none") && !align.equals("body-axis")) {
      r.problem("key '" + r.pathOf("align") + "' must be none or body-axis, got '" + align + "'");
    }
    long seed = r.longValue("seed");
    int batchSize = r.intAtLeast("batch-size", 1);
    if (blocks > 17) {
      r.problem("key '" + r.pathOf("blocks") + "' must be at most 17, got " + blocks);
    }
    r.throwIfInvalid();
    EmbedderArchitecture arch =
        new EmbedderArchitecture(
            input[0],
            input[1],
            width,
            blocks,
            embeddingSize,
            denseSize,
            dropout,
            margin,
            loss,
            flipAverage,
            pooling);
    return new EmbedderSettings(
        new EmbedderTrainer.Options(
            arch,
            epochs,
            p,
            k,
            (float) lr,
            seed,
            share,
            patience,
            classification,
            classificationMargin,
            augment,
            schedule,
            partial,
            occlusion,
            flips,
            null,
            new Augmentation.Infrared(infraredShare, infraredContrast),
            backboneRate,
            align.equals("body-axis")),
        batchSize);
  }
}
