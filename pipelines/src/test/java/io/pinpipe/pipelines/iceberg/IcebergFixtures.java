package io.pinpipe.pipelines.iceberg;

import static org.junit.Assume.assumeFalse;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * What the Iceberg tests share to set up a catalog and clean it: the JDBC catalogs they run on
 * (under {@code CI=true} the CI job's PostgreSQL and MariaDB, elsewhere SQLite in a temporary
 * folder), a catalog name of their own in a shared database, the dropping of the tables a run
 * created, a local run's tables read back, and an archive's files moved into the {@code dt=}
 * folders that tables need (each row's ingestion day).
 */
public final class IcebergFixtures {
  /** Whether the catalogs are the CI job's database services (else SQLite). */
  public static final boolean CI = "true".equals(System.getenv("CI"));

  private static final String POSTGRESQL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/test?user=root";

  private IcebergFixtures() {}

  /** The CI job's PostgreSQL; outside CI the test is skipped. */
  public static String postgresqlOrSkip() {
    assumeTrue("PostgreSQL is the catalog under CI=true (SQLite elsewhere)", CI);
    return POSTGRESQL;
  }

  /** The CI job's MariaDB; outside CI the test is skipped. */
  public static String mariadbOrSkip() {
    assumeTrue("MariaDB is the catalog under CI=true (SQLite elsewhere)", CI);
    return MARIADB;
  }

  /** SQLite in the file {@code db}; under CI the test is skipped. */
  public static String sqliteOrSkip(Path db) {
    assumeFalse("SQLite is the catalog outside CI (PostgreSQL and MariaDB under CI=true)", CI);
    return sqlite(db);
  }

  /** SQLite in the file {@code db}; the write-ahead log and the busy timeout let a reader in while a commit writes. */
  public static String sqlite(Path db) {
    return "jdbc:sqlite:" + db + "?journal_mode=WAL&busy_timeout=30000";
  }

  /** The catalog a test class shares among its tests: PostgreSQL under CI, else SQLite in the file {@code sqliteDb}. */
  public static String postgresqlOrSqlite(Path sqliteDb) {
    return CI ? POSTGRESQL : sqlite(sqliteDb);
  }

  /** A catalog name no other run uses, so that tests can share one database. */
  public static String uniqueName() {
    return "pinpipe_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** Drops every table a batch run created (the kinds', their dead letters', the results') and their namespace. */
  public static void dropBatchTables(IcebergCatalog place) {
    drop(place, BatchTables.tableNames(), BatchTables::identifier, BatchTables.NAMESPACE);
  }

  /** Drops every table a streaming run created and their namespace. */
  public static void dropStreamTables(IcebergCatalog place) {
    drop(place, StreamTables.tableNames(), StreamTables::identifier, StreamTables.NAMESPACE);
  }

  /** Through a catalog of its own: SQLite refuses a write from a connection that read before others wrote. */
  private static void drop(IcebergCatalog place, List<String> tables, Function<String, TableIdentifier> identifier, String namespace) {
    Catalog catalog = place.open();
    try {
      for (String table : tables) {
        catalog.dropTable(identifier.apply(table), false);
      }
      ((SupportsNamespaces) catalog).dropNamespace(Namespace.of(namespace));
    } finally {
      IcebergCatalog.close(catalog);
    }
  }

  /** Table {@code name} of a batch run's Hadoop catalog, {@code <output>/warehouse}. */
  public static Table batchTable(Path output, String name) {
    return hadoopTable(output, BatchTables.identifier(name));
  }

  /** Table {@code name} of a streaming run's Hadoop catalog, {@code <output>/warehouse}. */
  public static Table streamTable(Path output, String name) {
    return hadoopTable(output, StreamTables.identifier(name));
  }

  /** Not closed: a Hadoop catalog holds nothing to close ({@link IcebergCatalog#close}). */
  private static Table hadoopTable(Path output, TableIdentifier table) {
    return IcebergCatalog.hadoop(output.resolve("warehouse").toString()).open().loadTable(table);
  }

  /** How many items there are: a table's snapshots, a scan's files. */
  public static int count(Iterable<?> items) {
    int n = 0;
    for (Object ignored : items) {
      n++;
    }
    return n;
  }

  /** Moves each topic's partition folders under {@code dt=<day>/}, as MSK Connect's daily layout. */
  public static void intoDayFolders(Path archive, String day) throws Exception {
    try (Stream<Path> topics = Files.list(archive.resolve("topics"))) {
      for (Path topic : topics.collect(Collectors.toList())) {
        Path dayFolder = Files.createDirectories(topic.resolve("dt=" + day));
        try (Stream<Path> partitions = Files.list(topic)) {
          for (Path partition : partitions.filter(p -> p.getFileName().toString().startsWith("partition=")).collect(Collectors.toList())) {
            Files.move(partition, dayFolder.resolve(partition.getFileName()));
          }
        }
      }
    }
  }
}
