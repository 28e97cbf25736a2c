package org.farmid.models.tf;

import java.util.Base64;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * Where and how wide a TensorFlow session runs: the cores it may use (0 = TensorFlow's default,
 * every core of the machine) and the GPU it may see (null = TensorFlow's default). A model loaded
 * with one runtime is cached apart from the same model under another.
 *
 * <p>An executor's tasks share one session, one task per core: with {@code cpuThreads = N}, up to N
 * runs proceed at once (inter-op threads N) and each run's ops stay on one thread (intra-op 1), so
 * the tasks' inferences run side by side, each on the core Spark gave its task.
 *
 * @param cpuThreads cores of the executor, one per concurrent task
 * @param gpu the CUDA device id (as Spark's resource address gives it), or null
 */
public record ModelRuntime(int cpuThreads, String gpu) {
  public static final ModelRuntime DEFAULT = new ModelRuntime(0, null);

  public ModelRuntime {
    if (cpuThreads < 0) {
      throw new IllegalArgumentException("cpuThreads must be >= 0, got " + cpuThreads);
    }
  }

  /** DJL's {@code ConfigProto} option (base64 of the proto), or null for TensorFlow's defaults. */
  public String configProto() {
    if (cpuThreads == 0 && gpu == null) {
      return null;
    }
    ConfigProto.Builder b = ConfigProto.newBuilder();
    if (cpuThreads > 0) {
      b.setIntraOpParallelismThreads(1).setInterOpParallelismThreads(cpuThreads);
    }
    if (gpu != null) {
      b.setGpuOptions(GPUOptions.newBuilder().setVisibleDeviceList(gpu).setAllowGrowth(true));
    }
    return Base64.getEncoder().encodeToString(b.build().toByteArray());
  }
}
