package io.pinpipe.transforms.parse;

/**
 * Strict UTF-8 validation, as the JDK's decoder with {@code CodingErrorAction.REPORT} does it
 * (Unicode's well-formed byte sequences, table 3-7: no overlong forms, no surrogates, nothing above
 * U+10FFFF, no truncated sequence), without decoding.
 */
final class Utf8 {
  private Utf8() {}

  /**
   * -1 when {@code bytes[start..]} is well-formed UTF-8, else the offset, counted from {@code
   * origin}, of the first byte of the first ill-formed sequence. {@code start} must be at the start
   * of a sequence.
   */
  static int firstInvalid(byte[] bytes, int start, int origin) {
    int n = bytes.length;
    int i = start;
    while (i < n) {
      int b = bytes[i];
      if (b >= 0) {
        i++;
        continue;
      }
      b &= 0xFF;
      if (b < 0xC2) {
        return i - origin; // a continuation byte, or an overlong two-byte form (C0, C1)
      }
      if (b < 0xE0) {
        if (i + 1 >= n || !isContinuation(bytes[i + 1])) {
          return i - origin;
        }
        i += 2;
      } else if (b < 0xF0) {
        if (i + 2 >= n) {
          return i - origin;
        }
        int b1 = bytes[i + 1] & 0xFF;
        boolean second =
            b == 0xE0 ? b1 >= 0xA0 && b1 <= 0xBF // not overlong
                : b == 0xED ? b1 >= 0x80 && b1 <= 0x9F // not a surrogate
                : b1 >= 0x80 && b1 <= 0xBF;
        if (!second || !isContinuation(bytes[i + 2])) {
          return i - origin;
        }
        i += 3;
      } else if (b < 0xF5) {
        if (i + 3 >= n) {
          return i - origin;
        }
        int b1 = bytes[i + 1] & 0xFF;
        boolean second =
            b == 0xF0 ? b1 >= 0x90 && b1 <= 0xBF // not overlong
                : b == 0xF4 ? b1 >= 0x80 && b1 <= 0x8F // not above U+10FFFF
                : b1 >= 0x80 && b1 <= 0xBF;
        if (!second || !isContinuation(bytes[i + 2]) || !isContinuation(bytes[i + 3])) {
          return i - origin;
        }
        i += 4;
      } else {
        return i - origin; // F5..FF never occur in UTF-8
      }
    }
    return -1;
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }
}
