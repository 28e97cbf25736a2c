package org.farmid.common.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short stable hashes of the inputs a stored result was made from. */
public final class Fingerprint {
  private Fingerprint() {}

  /**
   * The first 16 hex digits of the SHA-256 of the parts, separated by a NUL byte: the config hash
   * of a run, the fingerprint of a gallery's inputs, of a segment plan and of detection settings.
   */
  public static String of(String... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (int i = 0; i < parts.length; i++) {
        if (i > 0) {
          md.update((byte) 0);
        }
        md.update(parts[i].getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
