package io.pinpipe.pipelines.io.source;

import io.pinpipe.contract.ArchiveLayout;
import io.pinpipe.pipelines.EndpointError;
import io.pinpipe.pipelines.UserError;
import io.pinpipe.contract.RecordKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Checks a run can start before a pipeline is built, so that the common mistakes get one clear
 * message: no input, a kind with no files, only empty files. (What an output may hold is
 * {@link io.pinpipe.pipelines.output.OwnedOutput}'s.)
 */
public final class Preflight {
  private Preflight() {}

  /** Fails unless every kind has at least one file, and not all files are empty. */
  public static void checkInput(ArchiveLayout input) {
    long files = 0;
    long bytes = 0;
    List<String> missing = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      List<MatchResult.Metadata> matched = match(input.filepattern(kind));
      if (matched.isEmpty()) {
        missing.add(kind.id() + " (" + input.folder(kind) + ")");
      }
      files += matched.size();
      for (MatchResult.Metadata m : matched) {
        bytes += m.sizeBytes();
      }
    }
    if (missing.size() == RecordKind.values().length) {
      throw new UserError(
          "no input: found no files under "
              + input.root()
              + "/topics/ for any record kind (expected the archived layout "
              + "topics/<topicPrefix>.{pin,geo,user}/partition=<p>/*.json; check --input and --topicPrefix)");
    }
    if (!missing.isEmpty()) {
      throw new UserError("no files for record kind " + String.join(", ", missing));
    }
    if (bytes == 0) {
      throw new UserError("no input records: all " + files + " input files are empty");
    }
  }

  private static List<MatchResult.Metadata> match(String pattern) {
    try {
      MatchResult result = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
      if (result.status() == MatchResult.Status.NOT_FOUND) {
        return Collections.emptyList();
      }
      return result.metadata();
    } catch (IOException e) {
      if (EndpointError.isConnectionFailure(e)) {
        // An S3 endpoint that does not answer is not the user's typing: status 1 (README).
        throw new EndpointError("cannot list " + pattern + ": " + e.getMessage());
      }
      throw new UserError("cannot list " + pattern + ": " + e.getMessage());
    }
  }
}
