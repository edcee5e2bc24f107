package io.pinpipe.transforms.parse;

import java.util.Arrays;

/**
 * The UTF-8 byte-order mark, {@code EF BB BF}, that some editors and Windows tools write at the start
 * of a text file. It is not part of the data: readers skip it (docs/semantics.md#cleaning-per-kind, "Parse").
 */
public final class Utf8Bom {
  private Utf8Bom() {}

  /** Its length in bytes. */
  public static final int LENGTH = 3;

  public static boolean startsWith(byte[] bytes) {
    return bytes.length >= LENGTH
        && bytes[0] == (byte) 0xEF
        && bytes[1] == (byte) 0xBB
        && bytes[2] == (byte) 0xBF;
  }

  /** The bytes without a leading byte-order mark; the same array when there is none. */
  public static byte[] strip(byte[] bytes) {
    return startsWith(bytes) ? Arrays.copyOfRange(bytes, LENGTH, bytes.length) : bytes;
  }
}
