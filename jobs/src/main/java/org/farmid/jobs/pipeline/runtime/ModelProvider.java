package org.farmid.jobs.pipeline.runtime;

import java.io.Serializable;
import org.farmid.common.detect.Detector;
import org.farmid.common.embed.Embedder;

/**
 * Opens the models a task uses. Shipped to executors inside partition functions, so it holds only
 * serialisable settings; what it opens is closed by the task (when {@link AutoCloseable}) on
 * completion. Implementations load each model once per JVM and hand each task its own predictor.
 */
public interface ModelProvider extends Serializable {
  Detector detector();

  Embedder embedder();

  /** Model ids without loading anything heavy, for provenance on the driver. */
  String detectorId();

  String embedderId();

  /** Closes what a task opened, if it holds resources. */
  static void closeQuietly(Object model) {
    if (model instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        // closing a predictor cannot lose data; nothing to do
      }
    }
  }
}
