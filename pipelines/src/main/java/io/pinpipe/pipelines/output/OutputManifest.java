package io.pinpipe.pipelines.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pinpipe.pipelines.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code _pinpipe.json}, the small file by which a job marks an output root as its own: which job,
 * the layout's version, the build that wrote it, and for batch the committed run, the folder under
 * the root that readers use (docs/design.md#outputs).
 *
 * <pre>{@code {"job" : "batch", "layout" : 1, "build" : "01bc3db", "committed_run" : "runs/run-000002"}}</pre>
 */
public final class OutputManifest {
  public static final String FILE = "_pinpipe.json";
  /** The layout this build writes; a manifest with a higher one is from a newer version. */
  static final int LAYOUT = 1;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String job;
  private final int layout;
  private final String build;
  private final String committedRun;

  private OutputManifest(String job, int layout, String build, String committedRun) {
    this.job = job;
    this.layout = layout;
    this.build = build;
    this.committedRun = committedRun;
  }

  /** A new root's manifest: this job, this build, nothing committed yet. */
  static OutputManifest of(String job) {
    return new OutputManifest(job, LAYOUT, thisBuild(), null);
  }

  /** The same owner, with {@code run} (relative to the root) as the committed run, by this build. */
  OutputManifest committing(String run) {
    return new OutputManifest(job, LAYOUT, thisBuild(), run);
  }

  public String job() {
    return job;
  }

  /** The committed run's folder relative to the root ({@code runs/run-000002}); batch only. */
  public Optional<String> committedRun() {
    return Optional.ofNullable(committedRun);
  }

  String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("job", job);
    node.put("layout", layout);
    node.put("build", build);
    if (committedRun != null) {
      node.put("committed_run", committedRun);
    }
    return node.toPrettyString() + "\n";
  }

  /** Reads a manifest; one that is not ours or is from a newer version is a user error. */
  static OutputManifest parse(String root, String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (IOException e) {
      node = null;
    }
    if (node == null || !node.path("job").isTextual() || !node.path("layout").isInt()) {
      throw new UserError(
          "output " + root + " holds a " + FILE + " that pinpipe did not write; give another --output");
    }
    int layout = node.path("layout").asInt();
    if (layout > LAYOUT) {
      throw new UserError(
          "output " + root + " was written by a newer version of pinpipe (layout " + layout
              + ", this one knows " + LAYOUT + "); use that version or another --output");
    }
    String run = node.path("committed_run").isTextual() ? node.path("committed_run").asText() : null;
    if (run != null && !run.matches("runs/" + BatchRuns.RUN_NAME)) {
      throw new UserError("output " + root + "/" + FILE + " names a committed run '" + run + "' that pinpipe does not write");
    }
    return new OutputManifest(node.path("job").asText(), layout, node.path("build").asText(), run);
  }

  /** The commit this build was made from (git.properties, written by the build), or "unknown". */
  private static String thisBuild() {
    try (InputStream in = OutputManifest.class.getClassLoader().getResourceAsStream("git.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties git = new Properties();
      git.load(in);
      return git.getProperty("git.commit.id.abbrev", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
