package io.pinpipe.pipelines.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * An output root on an object store (s3://...) through Beam's filesystems. There is no rename and
 * no folder: an object appears whole when its upload completes, which is what a commit relies on.
 */
final class ObjectStoreOutputRoot extends OutputRoot {
  ObjectStoreOutputRoot(String root) {
    super(root);
  }

  @Override
  RunLock lock(String holder) {
    return RunLock.NONE; // no lock primitive: see RunLock
  }

  @Override
  public boolean isLocal() {
    return false;
  }

  @Override
  public SortedMap<String, Long> files() throws IOException {
    SortedMap<String, Long> files = new TreeMap<>();
    String prefix = root() + "/";
    for (MatchResult.Metadata m : match(prefix + "**")) {
      String path = m.resourceId().toString();
      if (path.startsWith(prefix) && path.length() > prefix.length()) {
        files.put(path.substring(prefix.length()), m.sizeBytes());
      }
    }
    return files;
  }

  private static List<MatchResult.Metadata> match(String spec) throws IOException {
    MatchResult result = FileSystems.match(spec, EmptyMatchTreatment.ALLOW);
    if (result.status() == MatchResult.Status.NOT_FOUND) {
      return List.of();
    }
    return result.metadata();
  }

  @Override
  public boolean isLink(String relative) {
    return false;
  }

  @Override
  public Optional<String> read(String relative) throws IOException {
    List<MatchResult.Metadata> found = match(path(relative));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(found.get(0).resourceId()))) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Override
  public void write(String relative, String text) throws IOException {
    ResourceId resource = FileSystems.matchNewResource(path(relative), false);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(resource, "text/plain"))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public void replace(String relative, String text, Runnable staged) throws IOException {
    staged.run();
    write(relative, text);
  }

  @Override
  public void delete(Collection<String> relatives) throws IOException {
    List<ResourceId> resources = new ArrayList<>();
    for (String relative : relatives) {
      resources.add(FileSystems.matchNewResource(path(relative), false));
    }
    if (!resources.isEmpty()) {
      FileSystems.delete(resources, StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }

  @Override
  public void removeEmptyFolders(String relative) {
    // Object stores have no folders: a prefix disappears with its last object.
  }

  @Override
  public void removeEmptyParents(Collection<String> deleted) {
    // No folders.
  }
}
