package io.pinpipe.pipelines.iceberg;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code streaming --overwrite}'s drop of the output's own tables, on the file system alone. */
public class StreamTablesDropTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static List<String> names(Path folder) throws Exception {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  public void aDropRemovesOnlyTheStreamingNamespaceAndADropCutShortIsFinishedByTheNextStart() throws Exception {
    Path warehouse = tmp.newFolder("warehouse").toPath();
    Files.createDirectories(warehouse.resolve("streaming/pin/metadata"));
    Files.writeString(warehouse.resolve("streaming/pin/metadata/v1.metadata.json"), "{}");
    Files.createDirectories(warehouse.resolve("batch/pin/data"));
    Files.writeString(warehouse.resolve("batch/pin/data/a.parquet"), "x");
    // What a kill after the rename and during the delete leaves.
    Files.createDirectories(warehouse.resolve(StreamTables.DROPPED_PREFIX + "7/geo/data"));
    Files.writeString(warehouse.resolve(StreamTables.DROPPED_PREFIX + "7/geo/data/b.parquet"), "y");

    StreamTables.removeLeftOvers(warehouse);
    assertEquals(List.of("batch", "streaming"), names(warehouse));

    assertTrue(StreamTables.dropLocal(warehouse));
    assertEquals(List.of("batch"), names(warehouse));
    assertTrue(Files.exists(warehouse.resolve("batch/pin/data/a.parquet")));
    assertFalse(StreamTables.dropLocal(warehouse));
  }
}
