package io.pinpipe.pipelines.output;

import io.pinpipe.pipelines.UserError;
import io.pinpipe.pipelines.io.layout.Paths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.io.FileSystems;

/**
 * The outputs no job may take, whatever they hold: {@code /}, the home directory (or a folder that
 * holds it), a folder equal to, inside or holding an input, and a folder inside another output that
 * a job owns (a table location, an archive's topics).
 */
final class OutputGuards {
  private OutputGuards() {}

  static void check(OutputRoot output, List<String> inputs) throws IOException {
    String where = canonical(output.root());
    if (output.isLocal()) {
      if (where.equals("/")) {
        throw new UserError("--output=/ is the whole disk; give a folder of its own");
      }
      String home = canonical(System.getProperty("user.home"));
      if (isSameOrInside(home, where)) {
        throw new UserError(
            "--output=" + output.root() + (where.equals(home) ? " is" : " holds") + " your home directory "
                + home + "; give a folder of its own");
      }
    }
    for (String input : inputs) {
      String in = canonical(input);
      if (in.equals(where)) {
        throw new UserError("--output and --input are the same folder " + input + "; give the output a folder of its own");
      }
      if (isSameOrInside(where, in)) {
        throw new UserError("--output=" + output.root() + " is inside --input=" + input + "; give the output a folder outside it");
      }
      if (isSameOrInside(in, where)) {
        throw new UserError("--output=" + output.root() + " holds --input=" + input + "; give the output a folder of its own");
      }
    }
    for (String parent = parentOf(where); parent != null; parent = parentOf(parent)) {
      String manifest = Paths.join(parent, OutputManifest.FILE);
      Optional<String> text = manifestIn(parent);
      if (text.isPresent()) {
        String job = OutputManifest.parse(parent, text.get()).job();
        throw new UserError(
            "--output=" + output.root() + " is inside the output of the " + job + " job at " + parent
                + " (see " + manifest + "); give a folder outside it");
      }
    }
  }

  /** {@code inner} is {@code outer} or under it. */
  static boolean isSameOrInside(String inner, String outer) {
    if (inner.equals(outer)) {
      return true;
    }
    String prefix = outer.endsWith("/") ? outer : outer + "/";
    return inner.startsWith(prefix);
  }

  /**
   * A comparable form of a path: locally absolute, normalised, and with links resolved as far as the
   * path exists (so /tmp/x and its real path compare equal); elsewhere the URL without a trailing slash.
   */
  static String canonical(String path) {
    String p = Paths.withoutTrailingSlash(path);
    String scheme = FileSystems.matchNewResource(p, true).getScheme();
    if (!"file".equals(scheme)) {
      return p;
    }
    Path local = Path.of(p.startsWith("file:") ? java.net.URI.create(p).getPath() : p).toAbsolutePath().normalize();
    Path existing = local;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return local.toString();
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(local)).normalize().toString();
    } catch (IOException e) {
      return local.toString();
    }
  }

  /** The folder above, or null above a disk's root or a bucket. */
  static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    int scheme = path.indexOf("://");
    if (scheme >= 0) {
      int bucketEnd = path.indexOf('/', scheme + 3);
      if (bucketEnd < 0) {
        return null;
      }
      return path.substring(0, slash > bucketEnd ? slash : bucketEnd);
    }
    if (path.equals("/") || slash < 0) {
      return null;
    }
    return slash == 0 ? "/" : path.substring(0, slash);
  }

  /** An ancestor's manifest; an ancestor this user may not read holds none for this purpose. */
  private static Optional<String> manifestIn(String folder) {
    try {
      return OutputRoot.of(folder).read(OutputManifest.FILE);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
