package io.pinpipe.contract.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** The repository's own source, doc and script files, read from the working tree. */
final class RepositoryFiles implements CitationCheck.Files {
  /** Build output, installed packages, Git's store, and what .gitignore keeps out at the root. */
  private static final Set<String> NOT_THE_PROJECTS = Set.of("target", "node_modules", ".git", ".idea");

  private static final Set<String> ROOT_OUTPUTS = Set.of("demo", "out");

  private static final Set<String> CHECKED_ENDINGS =
      Set.of(".java", ".md", ".sh", ".py", ".sql", ".xml", ".properties", ".js");

  /**
   * The checker's own tests cite missing files and headings on purpose; they are the inputs that
   * show the check fails.
   */
  private static final String CHECKERS_TESTS = "contract/src/test/java/io/pinpipe/contract/docs/";

  private final Path root;

  RepositoryFiles(Path root) {
    this.root = root;
  }

  /** The repository's root: the nearest folder above the module's that holds docs/design.md. */
  static RepositoryFiles fromModule() {
    Path start = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    for (Path folder = start; folder != null; folder = folder.getParent()) {
      if (Files.isRegularFile(folder.resolve("docs/design.md")) && Files.isRegularFile(folder.resolve("pom.xml"))) {
        return new RepositoryFiles(folder);
      }
    }
    throw new IllegalStateException("no folder above " + start + " holds docs/design.md");
  }

  /** Every checked file, as a path from the root with {@code /}, sorted. */
  List<String> checkedFiles() {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .map(file -> root.relativize(file).toString().replace('\\', '/'))
          .filter(RepositoryFiles::isTheProjects)
          .filter(path -> isChecked(path))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isTheProjects(String path) {
    List<String> folders = List.of(path.split("/"));
    folders = folders.subList(0, folders.size() - 1);
    return folders.stream().noneMatch(NOT_THE_PROJECTS::contains)
        && (folders.isEmpty() || !ROOT_OUTPUTS.contains(folders.get(0)))
        && !path.startsWith(CHECKERS_TESTS);
  }

  /** A source, doc or script file: by its ending, or a script without one that starts with #!. */
  private boolean isChecked(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (name.lastIndexOf('.') > 0) {
      return CHECKED_ENDINGS.contains(name.substring(name.lastIndexOf('.')));
    }
    return linesOf(path).map(lines -> !lines.isEmpty() && lines.get(0).startsWith("#!")).orElse(false);
  }

  @Override
  public Optional<List<String>> linesOf(String path) {
    Path file = root.resolve(path);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      // Decoded leniently: a file that is not UTF-8 still has its citations read.
      return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean exists(String path) {
    return Files.exists(root.resolve(path));
  }
}
