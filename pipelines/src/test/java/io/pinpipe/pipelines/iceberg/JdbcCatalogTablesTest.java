package io.pinpipe.pipelines.iceberg;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.emulator.archive.ArchiveWriter;
import io.pinpipe.emulator.archive.GenerationProgress;
import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.UserErrorOutput;
import io.pinpipe.pipelines.batch.BatchPipeline;
import io.pinpipe.contract.RecordKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code batch --tableFormat=iceberg --catalogUri=jdbc:...}: Iceberg's JDBC catalog in a real
 * database, the tables' files in the output's warehouse folder. Under {@code CI=true} against the
 * machine's PostgreSQL and MariaDB; elsewhere against SQLite in a file of the test's temporary
 * folder (each test's name says which; the others are skipped). Each database gets a catalog name
 * of its own per run ({@code pinpipe_test_<random>}), so reruns on a shared database do not meet,
 * and the test drops what it created. Per database: two runs of one day, each table read back with
 * exactly the rows a run with the Hadoop catalog committed, one snapshot then two, and the
 * database's row for each table naming the table's current metadata file.
 */
public class JdbcCatalogTablesTest {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final UserErrorOutput stderr = new UserErrorOutput();

  private static final String DAY = "2026-11-24";
  private static final int EVENTS = 300;

  private static Path archive;
  /** The rows a run with the Hadoop catalog committed, per table, sorted: what the JDBC runs must hold. */
  private static final Map<RecordKind, List<String>> HADOOP_ROWS = new EnumMap<>(RecordKind.class);

  @BeforeClass
  public static void archiveAndAHadoopCatalogRun() throws Exception {
    archive = tmp.newFolder("archive").toPath();
    ArchiveWriter.generate(
        archive, "pinterest", EVENTS, 29, GeneratorSettings.defaults().withDuplicateRate(0.05), 2, 100, GenerationProgress.NONE);
    IcebergFixtures.intoDayFolders(archive, DAY);
    Path out = tmp.getRoot().toPath().resolve("hadoop-out");
    assertEquals(CommandLine.OK, run(out, "--tableFormat=iceberg"));
    Catalog hadoop = IcebergCatalog.hadoop(out.resolve("warehouse").toString()).open();
    for (RecordKind kind : RecordKind.values()) {
      HADOOP_ROWS.put(kind, RowText.currentRows(hadoop.loadTable(BatchTables.identifier(kind))));
    }
  }

  @Test
  public void aUriNoDriverTakesIsAUserErrorThatShowsNoneOfItsParameters() throws Exception {
    Path out = tmp.getRoot().toPath().resolve("no-driver-out");
    int status = run(out, "--tableFormat=iceberg", "--catalogUri=jdbc:nosuchdb://127.0.0.1/db?password=secret");
    stderr.assertUserError(
        status,
        "error: no JDBC driver for jdbc:nosuchdb://127.0.0.1/db?… on the class path: put the database's driver jar"
            + " beside the job jar and run java -cp <job jar>:<driver jar> io.pinpipe.pipelines.PipelinesMain ..."
            + " (docs/iceberg.md, \"Catalogs\")");
    // Refused before the run touched the output.
    assertFalse(Files.exists(out.resolve("runs")));
  }

  @Test
  public void postgresql() throws Exception {
    twoRunsOfADay("postgresql", IcebergFixtures.postgresqlOrSkip());
  }

  @Test
  public void mariadb() throws Exception {
    twoRunsOfADay("mariadb", IcebergFixtures.mariadbOrSkip());
  }

  @Test
  public void sqlite() throws Exception {
    // The commit step commits the three tables one after another (SQLite refused three at once);
    // the write-ahead log and the busy timeout let a reader in while a commit writes.
    twoRunsOfADay("sqlite", IcebergFixtures.sqliteOrSkip(tmp.getRoot().toPath().resolve("catalog.db")));
  }

  private static void twoRunsOfADay(String database, String uri) throws Exception {
    System.out.println("JdbcCatalogTablesTest: the JDBC catalog is in " + database + " (" + IcebergCatalog.redacted(uri) + ")");
    String name = IcebergFixtures.uniqueName();
    Path out = tmp.getRoot().toPath().resolve(database + "-out");
    Path warehouse = out.resolve("warehouse");
    IcebergCatalog place = IcebergCatalog.jdbc(name, uri, warehouse.toString());
    try {
      String[] args = {"--tableFormat=iceberg", "--catalogUri=" + uri, "--catalogName=" + name};
      assertEquals(CommandLine.OK, run(out, args));
      JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
      Map<RecordKind, Long> firstSnapshot = new EnumMap<>(RecordKind.class);
      Catalog catalog = place.open();
      try {
        for (RecordKind kind : RecordKind.values()) {
          Table table = catalog.loadTable(BatchTables.identifier(kind));
          assertEquals(kind.id(), summary.path("kinds").path(kind.id()).path("cleaned").asLong(), HADOOP_ROWS.get(kind).size());
          assertEquals(kind.id(), HADOOP_ROWS.get(kind), RowText.currentRows(table));
          assertEquals(1, IcebergFixtures.count(table.snapshots()));
          firstSnapshot.put(kind, table.currentSnapshot().snapshotId());
          assertEquals(metadataFile(table), catalogRow(uri, name, kind));
        }
      } finally {
        IcebergCatalog.close(catalog);
      }

      String[] again = {"--tableFormat=iceberg", "--catalogUri=" + uri, "--catalogName=" + name, "--overwrite"};
      assertEquals(CommandLine.OK, run(out, again));
      catalog = place.open();
      try {
        for (RecordKind kind : RecordKind.values()) {
          Table table = catalog.loadTable(BatchTables.identifier(kind));
          assertEquals(kind.id(), HADOOP_ROWS.get(kind), RowText.currentRows(table));
          assertEquals(2, IcebergFixtures.count(table.snapshots()));
          assertEquals(firstSnapshot.get(kind), table.currentSnapshot().parentId());
          assertEquals(metadataFile(table), catalogRow(uri, name, kind));
          // The catalog is the database's: no Hadoop catalog's version file beside the metadata.
          assertFalse(Files.exists(warehouse.resolve("batch").resolve(kind.id()).resolve("metadata/version-hint.text")));
        }
      } finally {
        IcebergCatalog.close(catalog);
      }
    } finally {
      IcebergFixtures.dropBatchTables(place);
    }
    // Nothing of this run's catalog is left in the database.
    assertEquals(0, catalogRows(uri, "iceberg_tables", name));
    assertEquals(0, catalogRows(uri, "iceberg_namespace_properties", name));
  }

  private static int run(Path out, String... icebergArgs) {
    List<String> args =
        new ArrayList<>(List.of("--input=" + archive, "--output=" + out, "--date=" + DAY, "--quiet"));
    args.addAll(List.of(icebergArgs));
    return BatchPipeline.run(args.toArray(new String[0]));
  }

  private static String metadataFile(Table table) {
    return ((HasTableOperations) table).operations().current().metadataFileLocation();
  }

  /** The metadata location the database holds for a table, read with plain JDBC. */
  private static String catalogRow(String uri, String catalog, RecordKind kind) throws Exception {
    try (Connection c = DriverManager.getConnection(uri);
        PreparedStatement q =
            c.prepareStatement(
                "SELECT metadata_location FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?")) {
      q.setString(1, catalog);
      q.setString(2, BatchTables.NAMESPACE);
      q.setString(3, kind.id());
      try (ResultSet r = q.executeQuery()) {
        List<String> found = new ArrayList<>();
        while (r.next()) {
          found.add(r.getString(1));
        }
        assertEquals(kind.id(), 1, found.size());
        return found.get(0);
      }
    }
  }

  private static int catalogRows(String uri, String table, String catalog) throws Exception {
    try (Connection c = DriverManager.getConnection(uri);
        PreparedStatement q = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE catalog_name = ?")) {
      q.setString(1, catalog);
      try (ResultSet r = q.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }
}
