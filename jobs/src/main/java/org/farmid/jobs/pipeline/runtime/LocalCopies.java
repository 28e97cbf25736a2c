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
 * -Dfarmid.cache.max-gb} (default 20). Folders given as URIs (models, enrolment crops) are copied
 * the same way, once per JVM and version of their files, into {@code folders/} below the cache
 * folder (never evicted: they are small and in use). Local paths are used as they are.
 */
public final class LocalCopies {
  private static final ConcurrentHashMap<String, Object> LOCKS = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, Folder> FOLDERS = new ConcurrentHashMap<>();

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

  private static Path cacheDir() {
    return Path.of(
        System.getProperty(
            "farmid.cache.dir",
            Path.of(System.getProperty("java.io.tmpdir"), "farmid-cache").toString()));
  }

  /**
   * A local folder holding a folder's files (a model on HDFS or in an object store): the folder
   * itself when local, else a copy made once per JVM and version of its files (relative names,
   * sizes, modification times), named {@code flag} in errors.
   */
  public static Folder folder(String flag, String location) throws IOException {
    if (Storage.isLocal(location)) {
      return new Folder(Path.of(location), null);
    }
    Folder known = FOLDERS.get(location);
    if (known != null && Files.isDirectory(known.local())) {
      return known;
    }
    FileSystem fs = Storage.fileSystem(flag, location, hadoopConf());
    org.apache.hadoop.fs.Path root = fs.makeQualified(new org.apache.hadoop.fs.Path(location));
    if (!fs.exists(root) || !fs.getFileStatus(root).isDirectory()) {
      throw new IOException(flag + " " + location + " is not a folder");
    }
    List<FileStatus> files = new ArrayList<>();
    var it = fs.listFiles(root, true);
    while (it.hasNext()) {
      files.add(it.next());
    }
    files.sort(Comparator.comparing(f -> f.getPath().toString()));
    String rootText = root.toString();
    List<String> parts = new ArrayList<>(List.of(location));
    for (FileStatus f : files) {
      parts.add(relative(rootText, f) + "|" + f.getLen() + "|" + f.getModificationTime());
    }
    String trimmed = location.replaceAll("/+$", "");
    String name = trimmed.substring(trimmed.lastIndexOf('/') + 1);
    String fingerprint = Fingerprint.of(parts.toArray(String[]::new));
    // the copy keeps the folder's own name (a model's id is its folder's name)
    Path copy = cacheDir().resolve("folders").resolve(fingerprint).resolve(name);
    synchronized (LOCKS.computeIfAbsent(copy.toString(), k -> new Object())) {
      if (!Files.isDirectory(copy)) {
        Files.createDirectories(copy.getParent());
        Path part = Files.createTempDirectory(copy.getParent(), ".part-");
        try {
          for (FileStatus f : files) {
            Path to = part.resolve(relative(rootText, f));
            Files.createDirectories(to.getParent());
            try (InputStream in = fs.open(f.getPath())) {
              Files.copy(in, to);
            }
          }
          Files.move(part, copy, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          if (Files.isDirectory(copy)) {
            // another JVM on the same disk finished the same copy first
          } else {
            throw e;
          }
        } finally {
          deleteTree(part);
        }
      }
    }
    Folder made = new Folder(copy, fingerprint);
    FOLDERS.put(location, made);
    return made;
  }

  /**
   * A local folder with a folder's files, and for a copy the fingerprint of the files it was made
   * from (location, relative names, sizes, modification times; null for a local folder).
   */
  public record Folder(Path local, String fingerprint) {}

  /** Opens a file at a location, local or on a Hadoop filesystem. */
  public static InputStream open(String location) throws IOException {
    if (Storage.isLocal(location)) {
      return Files.newInputStream(Path.of(location));
    }
    return Storage.fileSystem("file", location, hadoopConf())
        .open(new org.apache.hadoop.fs.Path(location));
  }

  private static String relative(String root, FileStatus f) {
    String p = f.getPath().toString();
    return p.substring(root.length()).replaceAll("^/+", "");
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }

  /** A local path holding the file: the file itself when local, else its cached copy. */
  public static Path of(String location) throws IOException {
    if (Storage.isLocal(location)) {
      return Path.of(location);
    }
    Path dir = cacheDir();
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
      l.filter(p -> Files.isRegularFile(p) && !p.toString().endsWith(".part")).forEach(files::add);
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
