package io.pinpipe.contract.docs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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
 * quoted title instead of its anchor, and a message's quoted section title that is no heading of
 * the file it names. Paths are the repository's, with {@code /}.
 */
final class CitationCheck {
  /**
   * What the repository's files once cited and readers never had: the upper-case design notes (the
   * project's doc is {@code docs/design.md}), their numbered sections, the helpers' notes. Written
   * so that this file does not say them.
   */
  static final List<Pattern> FORBIDDEN =
      List.of(Pattern.compile(Pattern.quote("DESIGN" + ".md")), Pattern.compile("\u00a7"), Pattern.compile("helper-" + "notes"));

  /** {@code docs/x.md}, {@code README.md} or {@code BENCHMARKS.md}, optionally {@code #anchor}: a path from the root. */
  private static final Pattern FROM_ROOT =
      Pattern.compile("(?<![\\w./-])((?:docs/[\\w-]+|README|BENCHMARKS)\\.md)(?:#([\\w-]+))?");

  /**
   * A section cited by its title in quotes, {@code docs/design.md, "Outputs"}: the form before
   * anchors, which a reader cannot follow. (A message's escaped quotes do not match.)
   */
  private static final Pattern QUOTED_SECTION =
      Pattern.compile("(?<![\\w./-])((?:docs/)?[\\w-]+\\.md|README),? \"[^\"]+\"");

  /**
   * A section cited by its title in escaped quotes, as a message printed to users does, {@code
   * docs/iceberg.md, \"Catalogs\"}: allowed, as the words a user reads, if the title is a heading
   * of the file.
   */
  private static final Pattern MESSAGE_SECTION =
      Pattern.compile("(?<![\\w./-])((?:docs/[\\w-]+|README|BENCHMARKS)\\.md|README),? \\\\\"([^\"\\\\]+)\\\\\"");

  /** The line number in a problem, {@code path:line: what}. */
  private static final Pattern PROBLEM_LINE = Pattern.compile("^[^:]*:(\\d+): ");

  /** Where Java joins two string pieces, {@code "a" + "b"}, on one line or across lines. */
  private static final Pattern STRING_PIECES_JOINED = Pattern.compile("\"\\s*\\+\\s*\"");

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
      for (Pattern forbidden : FORBIDDEN) {
        Matcher cited = forbidden.matcher(line);
        if (cited.find()) {
          problems.add(where + "\"" + cited.group() + "\" cites notes that are not in the repository");
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
    messageSectionProblems(path, lines, problems);
    return sortedByLine(problems).stream().distinct().toList();
  }

  /**
   * The quoted section titles of messages whose title is no heading of the file they name; a message
   * split into string pieces is read joined, and a problem is named at the line where the citation
   * starts.
   */
  private void messageSectionProblems(String path, List<String> lines, List<String> problems) {
    String text = String.join("\n", lines);
    StringBuilder joined = new StringBuilder();
    List<Integer> lineOfEachChar = new ArrayList<>();
    int line = 1;
    int from = 0;
    Matcher seam = STRING_PIECES_JOINED.matcher(text);
    while (true) {
      int to = seam.find() ? seam.start() : text.length();
      for (int i = from; i < to; i++) {
        joined.append(text.charAt(i));
        lineOfEachChar.add(line);
        if (text.charAt(i) == '\n') {
          line++;
        }
      }
      if (to == text.length()) {
        break;
      }
      line += (int) seam.group().chars().filter(c -> c == '\n').count();
      from = seam.end();
    }
    Matcher message = MESSAGE_SECTION.matcher(joined);
    while (message.find()) {
      String file = message.group(1).equals("README") ? "README.md" : message.group(1);
      String where = path + ":" + lineOfEachChar.get(message.start()) + ": ";
      problemOf(message.group(), file, MarkdownAnchors.anchorOf(message.group(2))).ifPresent(p -> problems.add(where + p));
    }
  }

  /** The problems in the order of their lines, each line's in the order they were found. */
  private static List<String> sortedByLine(List<String> problems) {
    List<String> sorted = new ArrayList<>(problems);
    sorted.sort(Comparator.comparingInt(CitationCheck::lineOf));
    return sorted;
  }

  private static int lineOf(String problem) {
    Matcher line = PROBLEM_LINE.matcher(problem);
    return line.find() ? Integer.parseInt(line.group(1)) : 0;
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
