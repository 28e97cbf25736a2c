package org.farmid.jobs.pipeline.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkEnv;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.farmid.common.config.Fingerprint;
import org.farmid.jobs.spark.Storage;

/**
 * Files of a Hadoop filesystem (an archive on HDFS or in an object store) made readable by FFmpeg,
 * which seeks in local files: each is copied once into a cache folder on the executor's local disk
 * ({@code -Dfarmid.cache.dir}, default {@code java.io.tmpdir/farmid-cache}) and reused by every
 * task of that JVM, the least recently used files deleted once the cache passes {@code
 * -Dfarmid.cache.max-gb} (default 20). Local paths are used as they are.
 */
public final class LocalCopies {
  private static final ConcurrentHashMap<String, Object> LOCKS = new ConcurrentHashMap<>();

  private LocalCopies() {}

  /** The executor's Hadoop settings: the defaults plus the application's {@code spark.hadoop.*}. */
  public static Configuration hadoopConf() {
    SparkEnv env = SparkEnv.get();
    return env == null ? new Configuration() : SparkHadoopUtil.get().newConfiguration(env.conf());
  }

  /** Size of a file at a location, local or not. */
  public static long size(String location) throws IOException {
    if (Storage.isLocal(location)) {
      return Files.size(Path.of(location));
    }
    return status(location).getLen();
  }

  private static FileStatus status(String location) throws IOException {
    FileSystem fs = Storage.fileSystem("archive file", location, hadoopConf());
    return fs.getFileStatus(new org.apache.hadoop.fs.Path(location));
  }

  /** A local path holding the file: the file itself when local, else its cached copy. */
  public static Path of(String location) throws IOException {
    if (Storage.isLocal(location)) {
      return Path.of(location);
    }
    Path dir =
        Path.of(
            System.getProperty(
                "farmid.cache.dir",
                Path.of(System.getProperty("java.io.tmpdir"), "farmid-cache").toString()));
    Files.createDirectories(dir);
    FileStatus st = status(location);
    String name = location.substring(location.lastIndexOf('/') + 1);
    Path copy =
        dir.resolve(
            Fingerprint.of(
                    location, Long.toString(st.getLen()), Long.toString(st.getModificationTime()))
                + "-"
                + name);
    synchronized (LOCKS.computeIfAbsent(copy.toString(), k -> new Object())) {
      if (Files.isRegularFile(copy) && Files.size(copy) == st.getLen()) {
        Files.setLastModifiedTime(copy, FileTime.fromMillis(System.currentTimeMillis()));
        return copy;
      }
      Path part = Files.createTempFile(dir, name, ".part");
      FileSystem fs = Storage.fileSystem("archive file", location, hadoopConf());
      try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(location))) {
        Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
        Files.move(part, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(part);
      }
    }
    evict(
        dir,
        copy,
        (long) (Double.parseDouble(System.getProperty("farmid.cache.max-gb", "20")) * 1e9));
    return copy;
  }

  /** Deletes the least recently used copies, never {@code keep}, until the cache fits. */
  private static synchronized void evict(Path dir, Path keep, long maxBytes) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> l = Files.list(dir)) {
      l.filter(p -> !p.toString().endsWith(".part")).forEach(files::add);
    }
    long total = 0;
    for (Path p : files) {
      total += Files.size(p);
    }
    files.sort(
        Comparator.comparingLong(
            p -> {
              try {
                return Files.getLastModifiedTime(p).toMillis();
              } catch (IOException e) {
                return 0L;
              }
            }));
    for (Path p : files) {
      if (total <= maxBytes) {
        break;
      }
      if (!p.equals(keep)) {
        long size = Files.size(p);
        Files.deleteIfExists(p);
        total -= size;
      }
    }
  }
}
