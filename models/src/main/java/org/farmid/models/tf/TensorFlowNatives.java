package org.farmid.models.tf;

import java.nio.file.Path;
import org.bytedeco.javacpp.Loader;

/**
 * Makes TensorFlow usable offline, once per JVM. DJL ignores the {@code tensorflow-core-native} jar
 * and would download its natives from a CDN; instead JavaCPP unpacks and loads the TF 2.16.1
 * libraries from that jar, and DJL is pointed at their folder through {@code
 * TENSORFLOW_LIBRARY_PATH}. A folder given in the environment variable of that name (executor
 * images) wins.
 */
public final class TensorFlowNatives {
  public static final String LIBRARY_PATH = "TENSORFLOW_LIBRARY_PATH";
  private static volatile String folder;

  private TensorFlowNatives() {}

  /** Loads the natives if needed and returns the folder DJL will use. Safe from any thread. */
  public static String ensureLoaded() {
    String f = folder;
    if (f != null) {
      return f;
    }
    synchronized (TensorFlowNatives.class) {
      if (folder == null) {
        if (System.getProperty("ai.djl.offline") == null) {
          System.setProperty("ai.djl.offline", "true");
        }
        String fromEnv = System.getenv(LIBRARY_PATH);
        String fromProperty = System.getProperty(LIBRARY_PATH);
        if (fromEnv != null && !fromEnv.isBlank()) {
          folder = fromEnv;
        } else if (fromProperty != null && !fromProperty.isBlank()) {
          folder = fromProperty;
        } else {
          String library = Loader.load(org.tensorflow.internal.c_api.global.tensorflow.class);
          if (library == null) {
            throw new IllegalStateException(
                "TensorFlow natives could not be loaded from tensorflow-core-native; set "
                    + LIBRARY_PATH
                    + " to a folder with libtensorflow_cc.so.2 and libtensorflow_framework.so.2");
          }
          folder = Path.of(library).getParent().toString();
          System.setProperty(LIBRARY_PATH, folder);
        }
      }
      return folder;
    }
  }
}
