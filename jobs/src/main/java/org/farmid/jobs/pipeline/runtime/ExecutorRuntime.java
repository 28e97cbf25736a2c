package org.farmid.jobs.pipeline.runtime;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.farmid.models.tf.ModelRuntime;
import scala.Option;

/**
 * The TensorFlow runtime a task's models should use: the GPU Spark assigned to the task (when
 * {@code spark.executor.resource.gpu.amount} is set, from the task's resources), and on CPU a
 * thread pool capped to the executor's cores, so executors sharing a machine do not each start one
 * thread per core of the machine.
 */
public final class ExecutorRuntime {
  private ExecutorRuntime() {}

  public static ModelRuntime current() {
    TaskContext task = TaskContext.get();
    String gpu = null;
    if (task != null) {
      Option<ResourceInformation> info = task.resources().get("gpu");
      if (info.isDefined() && info.get().addresses().length > 0) {
        gpu = info.get().addresses()[0];
      }
    }
    SparkEnv env = SparkEnv.get();
    int cores = env == null ? 0 : executorCores(env.conf());
    return new ModelRuntime(cores, gpu);
  }

  /** Cores of one executor: {@code spark.executor.cores}, or N of {@code local[N]}; 0 unknown. */
  static int executorCores(SparkConf conf) {
    if (conf.contains("spark.executor.cores")) {
      return conf.getInt("spark.executor.cores", 0);
    }
    String master = conf.get("spark.master", "");
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("local\\[(\\d+)(?:,\\d+)?\\]").matcher(master);
    return m.matches() ? Integer.parseInt(m.group(1)) : 0;
  }
}
