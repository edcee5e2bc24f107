package io.pinpipe.pipelines.io.layout;

/** Joins paths of any Beam filesystem ({@code /local}, {@code s3://bucket/key}) with {@code /}. */
public final class Paths {
  private Paths() {}

  public static String withoutTrailingSlash(String path) {
    String p = path;
    while (p.length() > 1 && p.endsWith("/") && !p.endsWith("://")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  public static String join(String dir, String... parts) {
    StringBuilder path = new StringBuilder(withoutTrailingSlash(dir));
    for (String part : parts) {
      path.append('/').append(part);
    }
    return path.toString();
  }
}
