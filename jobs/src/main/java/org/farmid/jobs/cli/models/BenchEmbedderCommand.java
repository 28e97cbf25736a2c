package org.farmid.jobs.cli.models;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.farmid.jobs.bench.RandomCrops;
import org.farmid.jobs.cli.ConfigOptions;
import org.farmid.jobs.cli.FarmId;
import org.farmid.jobs.cli.JsonReport;
import org.farmid.jobs.cli.UsageException;
import org.farmid.models.embed.DjlEmbedder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code farmid bench-embedder}: crops per second of the DJL embedder at several batch sizes. */
@Command(
    name = "bench-embedder",
    mixinStandardHelpOptions = true,
    description = {
      "Measures embedder inference throughput (crops/s) through DJL's TensorFlow engine at each",
      "batch size, on random crops, after a warm-up; all sizes run in the same process so the",
      "figures compare side by side."
    })
public final class BenchEmbedderCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "MODEL_DIR")
  Path model;

  @Option(
      names = "--batches",
      split = ",",
      defaultValue = "1,8,32",
      description = "Batch sizes (default: ${DEFAULT-VALUE}).")
  List<Integer> batches;

  @Option(
      names = "--crops",
      defaultValue = "512",
      description = "Crops timed per batch size (default: ${DEFAULT-VALUE}).")
  int crops;

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    config.load(List.of());
    PrintWriter out = spec.commandLine().getOut();
    List<Map<String, Object>> rows = new ArrayList<>();
    double base = 0;
    for (int batch : batches) {
      if (batch < 1) {
        throw new UsageException("--batches values must be positive, got " + batch);
      }
      try (DjlEmbedder e = DjlEmbedder.open(model, 0, batch)) {
        List<byte[]> inputs = RandomCrops.of(crops, e.inputWidth(), e.inputHeight(), batch);
        e.embed(inputs.subList(0, Math.min(crops, 4 * batch))); // warm-up
        long t0 = System.nanoTime();
        e.embed(inputs);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double perSecond = crops / seconds;
        if (base == 0) {
          base = perSecond;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("batch", batch);
        row.put("crops_per_second", Math.round(perSecond * 10) / 10.0);
        row.put("ms_per_crop", Math.round(1000 * seconds / crops * 1000) / 1000.0);
        row.put("ratio_to_first", Math.round(perSecond / base * 100) / 100.0);
        rows.add(row);
        out.printf(
            java.util.Locale.ROOT,
            "batch %4d  %9.1f crops/s  %7.3f ms/crop  x%.2f%n",
            batch,
            perSecond,
            1000 * seconds / crops,
            perSecond / base);
        out.flush();
      }
    }
    if (config.json() != null) {
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("model", model.toAbsolutePath().toString());
      figures.put("crops", crops);
      figures.put("rows", rows);
      JsonReport.write(config.json(), figures);
    }
    return FarmId.EXIT_OK;
  }
}
