package io.pinpipe.pipelines.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;

/** The tests' view of an output folder: every file's bytes, and the committed run the manifest names. */
public final class OutputFiles {
  private OutputFiles() {}

  /**
   * Every file and link under {@code root}, never followed, by relative path: a file's content, or
   * {@code "-> target"} for a link. Comparing two snapshots shows anything written, changed or deleted.
   */
  public static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (!Files.exists(root)) {
      return files;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            String relative = root.relativize(file).toString();
            if (relative.equals("_pinpipe.lock")) {
              // Never opened: closing a descriptor of a locked file would drop this process's lock on it.
              files.put(relative, "(run lock)");
              return FileVisitResult.CONTINUE;
            }
            files.put(
                relative,
                attrs.isSymbolicLink()
                    ? "-> " + Files.readSymbolicLink(file)
                    : new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1));
            return FileVisitResult.CONTINUE;
          }
        });
    return files;
  }

  /** The folder of the run that {@code <output>/_pinpipe.json} names, as readers find it. */
  public static Path committedRun(Path output) throws IOException {
    String run = new ObjectMapper().readTree(output.resolve(OutputManifest.FILE).toFile()).path("committed_run").asText();
    if (run.isEmpty()) {
      throw new IllegalStateException(output + "/" + OutputManifest.FILE + " names no committed run");
    }
    return output.resolve(run);
  }
}
