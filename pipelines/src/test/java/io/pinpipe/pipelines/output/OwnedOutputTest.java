package io.pinpipe.pipelines.output;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import io.pinpipe.pipelines.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The ownership rules of every job's output, without running a pipeline: what a claim refuses,
 * what it writes, and that the streaming job's --overwrite deletes its own files and nothing else.
 * (The jobs' own one-line errors are in BatchOutputOwnershipTest.)
 */
public class OwnedOutputTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private Path folder(String name, String... files) throws Exception {
    Path root = tmp.getRoot().toPath().resolve(name);
    Files.createDirectories(root);
    for (String file : files) {
      Path path = root.resolve(file);
      Files.createDirectories(path.getParent());
      Files.writeString(path, "bytes of " + file);
    }
    return root;
  }

  private static String refused(JobFiles job, Path output, boolean adopt) {
    return assertThrows(UserError.class, () -> OwnedOutput.claim(job, output.toString(), List.of(), adopt)).getMessage();
  }

  @Test
  public void aNewOrEmptyFolderIsClaimedWithAManifest() throws Exception {
    Path fresh = tmp.getRoot().toPath().resolve("fresh");
    OwnedOutput claimed = OwnedOutput.claim(JobFiles.STREAMING, fresh.toString(), List.of(), false);
    assertFalse(Files.exists(fresh));
    claimed.own().close();
    assertThat(Files.readString(fresh.resolve("_pinpipe.json")), containsString("\"job\" : \"streaming\""));
    // Claimed again by the same job: nothing changes.
    Map<String, String> before = OutputFiles.snapshot(fresh);
    OwnedOutput.claim(JobFiles.STREAMING, fresh.toString(), List.of(), false).own().close();
    assertEquals(before, OutputFiles.snapshot(fresh));
  }

  @Test
  public void streamingOverwriteDeletesItsOwnFilesOnly() throws Exception {
    Path root =
        folder(
            "stream",
            "tables/pin/pin-20260101T000000Z-20260101T000100Z-pane-0-on-time-3-0.parquet",
            "tables/geo/.geo-x.parquet.1234.inprogress",
            "dead-letter/user/user-20260101T000000Z-20260101T000100Z-pane-0-on-time.jsonl",
            "results/top_category_by_year/top_category_by_year-20260101T000000Z-20260101T000100Z.csv",
            "summary/summary-20260101T000000Z-20260101T000100Z.json",
            "results/.temp-beam/abc/x");
    Files.writeString(root.resolve("_pinpipe.json"), "{\"job\": \"streaming\", \"layout\": 1}");
    OwnedOutput owned = OwnedOutput.claim(JobFiles.STREAMING, root.toString(), List.of(), false);
    assertEquals(6, owned.deleteOwnFiles());
    assertEquals(Map.of("_pinpipe.json", "{\"job\": \"streaming\", \"layout\": 1}"), OutputFiles.snapshot(root));
    try (var left = Files.list(root)) {
      assertEquals(List.of(root.resolve("_pinpipe.json")), left.collect(java.util.stream.Collectors.toList()));
    }
  }

  @Test
  public void batchsIcebergWarehouseIsAcceptedAndNeverDeleted() throws Exception {
    String dataFile = "warehouse/batch/pin/data/ingestion_date=2026-11-23/run-0-0.parquet";
    String metadata = "warehouse/batch/pin/metadata/v1.metadata.json";
    Path root = folder("batch", dataFile, metadata);
    Files.writeString(root.resolve("_pinpipe.json"), "{\"job\": \"batch\", \"layout\": 1}");
    Map<String, String> before = OutputFiles.snapshot(root);
    OwnedOutput owned = OwnedOutput.claim(JobFiles.BATCH, root.toString(), List.of(), false);
    assertEquals(0, owned.deleteOwnFiles());
    assertEquals(before, OutputFiles.snapshot(root));
    // Only the batch job's outputs hold a warehouse: the streaming job refuses it as foreign.
    Files.writeString(root.resolve("_pinpipe.json"), "{\"job\": \"streaming\", \"layout\": 1}");
    assertThat(refused(JobFiles.STREAMING, root, false), containsString("holds warehouse/"));
  }

  @Test
  public void aFileTheJobDidNotWriteIsRefusedAndKept() throws Exception {
    Path root = folder("stream", "results/top_category_by_year/w.csv", "results/top_category_by_year/notes.txt");
    Files.writeString(root.resolve("_pinpipe.json"), "{\"job\": \"streaming\", \"layout\": 1}");
    Map<String, String> before = OutputFiles.snapshot(root);
    assertThat(
        refused(JobFiles.STREAMING, root, false),
        containsString("holds results/top_category_by_year/notes.txt, which streaming did not write"));
    assertEquals(before, OutputFiles.snapshot(root));
  }

  @Test
  public void anEarlierVersionsOutputNeedsAdoptOutput() throws Exception {
    Path root = folder("old", "summary/summary-w.json", "results/users_joined_by_year.csv");
    Map<String, String> before = OutputFiles.snapshot(root);
    assertEquals(
        "output " + root + " holds the files of an earlier version of pinpipe, which wrote no _pinpipe.json:"
            + " pass --adoptOutput to let streaming own them (and replace them with --overwrite), or remove them",
        refused(JobFiles.STREAMING, root, false));
    assertEquals(before, OutputFiles.snapshot(root));

    OwnedOutput.claim(JobFiles.STREAMING, root.toString(), List.of(), true).own().close();
    before.put("_pinpipe.json", Files.readString(root.resolve("_pinpipe.json")));
    before.put("_pinpipe.lock", "(run lock)");
    assertEquals(before, OutputFiles.snapshot(root));
  }

  @Test
  public void anArchiveIsTheArchiveJobsAlone() throws Exception {
    Path archive = folder("archive", "topics/p.pin/partition=0/p.pin+0+0000000000.json", "dead-letter/p.pin/partition=0/d.jsonl");
    Map<String, String> before = OutputFiles.snapshot(archive);
    assertThat(refused(JobFiles.ARCHIVE, archive, false), containsString("pass --adoptOutput to let archive own them"));
    assertThat(refused(JobFiles.STREAMING, archive, true), containsString("which streaming did not write"));
    assertEquals(before, OutputFiles.snapshot(archive));
    OwnedOutput.claim(JobFiles.ARCHIVE, archive.toString(), List.of(), true).own().close();
    assertThat(refused(JobFiles.STREAMING, archive, true), containsString("belongs to the archive job"));
    assertThat(refused(JobFiles.BATCH, archive.resolve("topics"), true), containsString("is inside the output of the archive job at " + archive));
  }

  @Test
  public void anOutputHoldingAnotherJobsOutputIsRefused() throws Exception {
    Path parent = folder("parent");
    OwnedOutput.claim(JobFiles.ARCHIVE, parent.resolve("raw").toString(), List.of(), false).own().close();
    assertThat(refused(JobFiles.STREAMING, parent, true), containsString("holds the output of another pinpipe job, " + parent.resolve("raw")));
  }

  @Test
  public void theDiskAndTheHomeDirectoryAreRefused() throws Exception {
    assertEquals("--output=/ is the whole disk; give a folder of its own", refused(JobFiles.STREAMING, Path.of("/"), true));
    Path home = folder("users/ann");
    String realHome = System.getProperty("user.home");
    System.setProperty("user.home", home.toString());
    try {
      assertThat(refused(JobFiles.STREAMING, home, true), containsString("is your home directory " + home.toRealPath()));
      assertThat(refused(JobFiles.BATCH, home.getParent(), true), containsString("holds your home directory"));
      assertFalse(Files.exists(home.resolve("_pinpipe.json")));
    } finally {
      System.setProperty("user.home", realHome);
    }
  }

  @Test
  public void anOutputEqualToInsideOrHoldingTheInputIsRefused() throws Exception {
    Path input = folder("in", "topics/p.pin/partition=0/a.json");
    String in = input.toString();
    assertThat(
        assertThrows(UserError.class, () -> OwnedOutput.claim(JobFiles.BATCH, in + "/", List.of(in), false)).getMessage(),
        containsString("--output and --input are the same folder"));
    assertThat(
        assertThrows(UserError.class, () -> OwnedOutput.claim(JobFiles.BATCH, in + "/out", List.of(in), false)).getMessage(),
        containsString("is inside --input=" + in));
    assertThat(
        assertThrows(UserError.class, () -> OwnedOutput.claim(JobFiles.BATCH, input.getParent().toString(), List.of(in), false)).getMessage(),
        containsString("holds --input=" + in));
    // Through a link to the input, too.
    Path link = Files.createSymbolicLink(tmp.getRoot().toPath().resolve("link"), input);
    assertThat(
        assertThrows(UserError.class, () -> OwnedOutput.claim(JobFiles.BATCH, link.resolve("out").toString(), List.of(in), false)).getMessage(),
        containsString("is inside --input=" + in));
    assertFalse(Files.exists(input.resolve("out")));
  }

  @Test
  public void aManifestPinpipeDidNotWriteIsRefused() throws Exception {
    Path root = folder("odd");
    Files.writeString(root.resolve("_pinpipe.json"), "not json");
    assertThat(refused(JobFiles.STREAMING, root, true), containsString("holds a _pinpipe.json that pinpipe did not write"));
    Files.writeString(root.resolve("_pinpipe.json"), "{\"job\": \"batch\", \"layout\": 9}");
    assertThat(refused(JobFiles.BATCH, root, true), containsString("was written by a newer version of pinpipe (layout 9"));
  }

  @Test
  public void aFileIsNotAnOutput() throws Exception {
    Path file = folder("f", "data.csv").resolve("data.csv");
    assertEquals("cannot use --output=" + file + ": it is a file, not a folder", refused(JobFiles.BATCH, file, true));
    assertEquals("bytes of data.csv", Files.readString(file));
  }

  @Test
  public void parentsOfPathsAndBuckets() {
    assertEquals("s3://b/a", OutputGuards.parentOf("s3://b/a/c"));
    assertEquals("s3://b", OutputGuards.parentOf("s3://b/a"));
    assertEquals(null, OutputGuards.parentOf("s3://b"));
    assertEquals("/", OutputGuards.parentOf("/tmp"));
    assertEquals(null, OutputGuards.parentOf("/"));
  }
}
