package io.pinpipe.contract.docs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the citations of a file that lead nowhere: a doc that is not in the repository, an anchor
 * that is no heading of the cited file, a Markdown link to a missing file, a section cited by its
 * quoted title instead of its anchor. Paths are the repository's, with {@code /}.
 */
final class CitationCheck {
  /** What the repository's files once cited and readers never had; split so this file does not say it. */
  static final List<String> FORBIDDEN = List.of("DESIGN.md " + "\u00a7", "helper-" + "notes/");

  /** {@code docs/x.md}, {@code README.md} or {@code BENCHMARKS.md}, optionally {@code #anchor}: a path from the root. */
  private static final Pattern FROM_ROOT =
      Pattern.compile("(?<![\\w./-])((?:docs/[\\w-]+|README|BENCHMARKS)\\.md)(?:#([\\w-]+))?");

  /**
   * A section cited by its title in quotes, {@code docs/design.md, "Outputs"}: the form before
   * anchors, which nothing can check. (A message's escaped quotes do not match.)
   */
  private static final Pattern QUOTED_SECTION =
      Pattern.compile("(?<![\\w./-])((?:docs/)?[\\w-]+\\.md|README),? \"[^\"]+\"");

  /** A Markdown link's target (an image's too), optionally followed by a title. */
  private static final Pattern MARKDOWN_LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

  /** The files a check reads. */
  interface Files {
    /** The file's lines, or empty when there is no such file. */
    Optional<List<String>> linesOf(String path);

    /** Whether the path is a file or a folder. */
    boolean exists(String path);
  }

  private final Files files;
  private final Map<String, Optional<Set<String>>> anchorsByFile = new HashMap<>();

  CitationCheck(Files files) {
    this.files = files;
  }

  /**
   * Each problem as {@code path:line: what}, in line order; a link from the root's Markdown is also a
   * path from the root, and is named once.
   */
  List<String> problemsIn(String path, List<String> lines) {
    List<String> problems = new ArrayList<>();
    List<String> markdownOutsideFences = path.endsWith(".md") ? FencedCode.outsideFences(lines) : null;
    for (int i = 0; i < lines.size(); i++) {
      String where = path + ":" + (i + 1) + ": ";
      String line = lines.get(i);
      for (String forbidden : FORBIDDEN) {
        if (line.contains(forbidden)) {
          problems.add(where + "\"" + forbidden + "\" cites notes that are not in the repository");
        }
      }
      String prose = markdownOutsideFences == null ? line : markdownOutsideFences.get(i);
      Matcher quoted = QUOTED_SECTION.matcher(prose);
      while (quoted.find()) {
        problems.add(where + quoted.group() + ": cite the section as a link to its heading's anchor");
      }
      Matcher fromRoot = FROM_ROOT.matcher(line);
      while (fromRoot.find()) {
        problemOf(fromRoot.group(), fromRoot.group(1), fromRoot.group(2)).ifPresent(p -> problems.add(where + p));
      }
      if (markdownOutsideFences != null) {
        Matcher link = MARKDOWN_LINK.matcher(markdownOutsideFences.get(i));
        while (link.find()) {
          linkProblem(path, link.group(1)).ifPresent(p -> problems.add(where + p));
        }
      }
    }
    return problems.stream().distinct().toList();
  }

  private Optional<String> linkProblem(String fromFile, String target) {
    if (target.contains("://") || target.startsWith("mailto:")) {
      return Optional.empty();
    }
    int hash = target.indexOf('#');
    String file = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    String resolved;
    if (file.isEmpty()) {
      resolved = fromFile;
    } else {
      Path folder = Path.of(fromFile).getParent();
      Path path = (folder == null ? Path.of(file) : folder.resolve(file)).normalize();
      resolved = path.toString().replace('\\', '/');
      if (resolved.startsWith("..")) {
        return Optional.of(target + ": outside the repository");
      }
    }
    return problemOf(target, resolved, anchor);
  }

  private Optional<String> problemOf(String cited, String file, String anchor) {
    if (anchor == null || !file.endsWith(".md")) {
      return files.exists(file) ? Optional.empty() : Optional.of(cited + ": no such file " + file);
    }
    Optional<Set<String>> anchors =
        anchorsByFile.computeIfAbsent(file, f -> files.linesOf(f).map(MarkdownAnchors::anchorsOf));
    if (anchors.isEmpty()) {
      return Optional.of(cited + ": no such file " + file);
    }
    return anchors.get().contains(anchor)
        ? Optional.empty()
        : Optional.of(cited + ": no heading of " + file + " has the anchor #" + anchor);
  }
}
