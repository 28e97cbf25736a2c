package org.farmid.jobs.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

/**
 * Where the job's data lives: a plain path is a local file (made absolute), anything with a scheme
 * ({@code file://}, {@code hdfs://namenode:8020/...}, {@code s3a://bucket/...}, or any filesystem
 * on the class path) is a Hadoop filesystem URI. Failures to reach one are turned into one message
 * naming the flag, the location and what to check.
 */
public final class Storage {
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]+:.*");

  private Storage() {}

  /** The location as the tables and rows store it: a URI, or an absolute normalised local path. */
  public static String location(String given) {
    if (isUri(given)) {
      String s = given;
      while (s.endsWith("/") && !s.endsWith("://")) {
        s = s.substring(0, s.length() - 1);
      }
      return s.startsWith("file:") ? Path.of(URI.create(s)).toString() : s;
    }
    return Path.of(given).toAbsolutePath().normalize().toString();
  }

  /** Whether the text names a URI with a scheme (two letters or more: not a Windows drive). */
  public static boolean isUri(String given) {
    return SCHEME.matcher(given).matches();
  }

  /** Whether a stored location is on the local filesystem (a plain path). */
  public static boolean isLocal(String location) {
    return !isUri(location);
  }

  /** {@code child} below {@code parent}, '/'-separated for URIs. */
  public static String resolve(String parent, String child) {
    return isLocal(parent) ? Path.of(parent).resolve(child).toString() : parent + "/" + child;
  }

  /**
   * The filesystem of a location.
   *
   * @throws IOException naming the flag and location when no filesystem serves its scheme
   */
  public static FileSystem fileSystem(String flag, String location, Configuration conf)
      throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
    try {
      return p.getFileSystem(conf);
    } catch (UnsupportedFileSystemException e) {
      throw new IOException(
          flag
              + " "
              + location
              + ": no filesystem for scheme '"
              + p.toUri().getScheme()
              + "' on the class path (file, hdfs, and with hadoop-aws s3a, are known); check the"
              + " URI or add the filesystem's Hadoop connector jar",
          e);
    }
  }

  /**
   * One message for a location that cannot be used: unreachable, refused, or read-only; {@code
   * null} when the failure is of another kind.
   */
  public static String explain(String flag, String location, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException) {
        URI u = URI.create(location);
        return flag
            + " "
            + location
            + ": cannot reach "
            + (u.getAuthority() == null ? "the filesystem" : u.getAuthority())
            + " ("
            + t.getClass().getSimpleName()
            + "): is the NameNode (or object store) running and is the host and port right?";
      }
      if (t instanceof AccessDeniedException
          || t instanceof org.apache.hadoop.security.AccessControlException
          || (t.getMessage() != null && t.getMessage().contains("Permission denied"))) {
        return flag + " " + location + " cannot be written: permission denied";
      }
      if (t.getMessage() != null
          && (t.getMessage().contains("SafeModeException")
              || t.getMessage().contains("in safe mode"))) {
        return flag
            + " "
            + location
            + " cannot be written: the NameNode is in safe mode (read-only); leave it with"
            + " `hdfs dfsadmin -safemode leave` or give a writable location";
      }
      if (t.getMessage() != null && t.getMessage().contains("Read-only file system")) {
        return flag + " " + location + " cannot be written: read-only file system";
      }
      if (t instanceof FileNotFoundException) {
        return flag + " " + location + " does not exist";
      }
    }
    return null;
  }
}
