package io.pinpipe.pipelines.iceberg;

import io.pinpipe.pipelines.UserError;
import java.io.Closeable;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where the tables' catalog is (docs/iceberg.md#catalogs): a Hadoop catalog on a local folder,
 * or Iceberg's JDBC catalog in a database given by URL, with the data under the warehouse (a local
 * folder, or an {@code s3://} prefix written through Iceberg's S3FileIO).
 * Serializable, without credentials: the database's user and password are read from the
 * environment each time the catalog is opened (on the worker that opens it), so they are in no
 * pipeline graph, option or log line.
 */
public final class IcebergCatalog implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The database user of a JDBC catalog, read from the environment when set. */
  public static final String USER_VARIABLE = "PINPIPE_CATALOG_USER";
  /** Its password, read from the environment when set (never an option: options are logged). */
  public static final String PASSWORD_VARIABLE = "PINPIPE_CATALOG_PASSWORD";

  private final String name;
  private final String uri;
  private final String warehouse;
  /** The catalog's FileIO and its settings (S3FileIO's endpoint, region, addressing); no secrets. */
  private final TreeMap<String, String> fileIo;

  private IcebergCatalog(String name, String uri, String warehouse, Map<String, String> fileIo) {
    this.name = name;
    this.uri = uri;
    this.warehouse = warehouse;
    this.fileIo = new TreeMap<>(fileIo);
  }

  /** A Hadoop catalog on a local folder: the tables' metadata and data are files under it. */
  public static IcebergCatalog hadoop(String warehouse) {
    return new IcebergCatalog("pinpipe", null, warehouse, Map.of());
  }

  /**
   * Iceberg's JDBC catalog: the tables' current metadata locations are rows of the database at
   * {@code jdbcUri} under catalog {@code name}; the tables' files are under {@code warehouse}.
   */
  public static IcebergCatalog jdbc(String name, String jdbcUri, String warehouse) {
    return jdbc(name, jdbcUri, warehouse, Map.of());
  }

  /** A JDBC catalog whose tables' files are read and written through the FileIO {@code fileIo} names. */
  public static IcebergCatalog jdbc(String name, String jdbcUri, String warehouse, Map<String, String> fileIo) {
    if (!jdbcUri.startsWith("jdbc:")) {
      throw new IllegalArgumentException("a JDBC catalog's URI starts with jdbc:, got " + redacted(jdbcUri));
    }
    return new IcebergCatalog(name, jdbcUri, warehouse, fileIo);
  }

  /**
   * The catalog a job or command names (docs/iceberg.md#catalogs): a JDBC catalog with {@code
   * catalogUri}, else a Hadoop catalog; the tables' files under {@code warehouse}, a local folder
   * (made absolute: a JDBC catalog records the tables' locations for every reader, wherever it
   * runs) or an {@code s3://} prefix written through S3FileIO with the jobs' S3 settings, with a JDBC
   * catalog only. Fails as a user error on a warehouse or URL it cannot use.
   */
  public static IcebergCatalog at(
      String warehouse,
      @Nullable String catalogUri,
      String catalogName,
      @Nullable URI endpoint,
      @Nullable String region,
      boolean pathStyle) {
    String place =
        warehouse.contains("://")
            ? warehouse.replaceAll("/+$", "")
            : java.nio.file.Path.of(warehouse).toAbsolutePath().normalize().toString();
    boolean s3 = place.startsWith("s3://");
    if (place.contains("://") && !s3) {
      throw new UserError("the Iceberg warehouse must be a local folder or on s3://, got " + place);
    }
    if (catalogUri == null) {
      if (s3) {
        // A Hadoop catalog commits by renaming its version file, which S3 cannot do atomically.
        throw new UserError(
            "Iceberg tables on s3:// (" + place + ") need a JDBC catalog: give --catalogUri=jdbc:... (docs/iceberg.md)");
      }
      return hadoop(place);
    }
    checkDriver(catalogUri);
    Map<String, String> fileIo = s3 ? s3FileIo(endpoint, region, pathStyle) : Map.of();
    try {
      return jdbc(catalogName, catalogUri, place, fileIo);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  /**
   * Iceberg's S3FileIO with the jobs' S3 settings ({@code --endpoint}, {@code --awsRegion}, {@code
   * --s3PathStyleAccess}); credentials from the AWS SDK's default chain, as for the jobs' own S3
   * access (never options).
   */
  public static Map<String, String> s3FileIo(URI endpoint, String region, boolean pathStyle) {
    Map<String, String> io = new TreeMap<>();
    io.put("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
    if (endpoint != null) {
      io.put("s3.endpoint", endpoint.toString());
    }
    if (region != null) {
      io.put("client.region", region);
    }
    if (pathStyle) {
      io.put("s3.path-style-access", "true");
    }
    return io;
  }

  public String name() {
    return name;
  }

  public String warehouse() {
    return warehouse;
  }

  public boolean isJdbc() {
    return uri != null;
  }

  /** For people: the catalog's kind and place, the URI without its parameters (they may hold a password). */
  public String describe() {
    return isJdbc() ? "JDBC catalog " + name + " at " + redacted(uri) + ", data in " + warehouse : "Hadoop catalog in " + warehouse;
  }

  /** A JDBC URI up to its parameters ({@code ?user=..&password=..} or {@code ;password=..}). */
  public static String redacted(String uri) {
    int cut = uri.length();
    for (char c : new char[] {'?', ';'}) {
      int at = uri.indexOf(c);
      if (at >= 0 && at < cut) {
        cut = at;
      }
    }
    return cut < uri.length() ? uri.substring(0, cut) + "?…" : uri;
  }

  /**
   * Fails as a user error, naming no parameter of the URL, when no JDBC driver on the class path
   * takes {@code jdbcUri} (the driver's own message repeats the whole URL).
   */
  public static void checkDriver(String jdbcUri) {
    try {
      java.sql.DriverManager.getDriver(jdbcUri);
    } catch (java.sql.SQLException e) {
      throw new UserError(
          "no JDBC driver for " + redacted(jdbcUri) + " on the class path: put the database's driver jar beside the"
              + " job jar and run java -cp <job jar>:<driver jar> io.pinpipe.pipelines.PipelinesMain ... (docs/iceberg.md,"
              + " \"Catalogs\")");
    }
  }

  /** Opens the catalog, a new one each call (workers open their own); close it when done. */
  public Catalog open() {
    return open(System::getenv);
  }

  Catalog open(Function<String, String> environment) {
    if (!isJdbc()) {
      HadoopCatalog catalog = new HadoopCatalog();
      catalog.setConf(new Configuration());
      catalog.initialize(name, Map.of("warehouse", warehouse));
      return catalog;
    }
    Map<String, String> properties = new HashMap<>();
    properties.put("uri", uri);
    properties.put("warehouse", warehouse);
    properties.putAll(fileIo);
    // The driver's own properties: the catalog hands jdbc.* to DriverManager.
    String user = environment.apply(USER_VARIABLE);
    if (user != null && !user.isEmpty()) {
      properties.put("jdbc.user", user);
    }
    String password = environment.apply(PASSWORD_VARIABLE);
    if (password != null && !password.isEmpty()) {
      properties.put("jdbc.password", password);
    }
    JdbcCatalog catalog = new JdbcCatalog();
    catalog.setConf(new Configuration());
    catalog.initialize(name, properties);
    return catalog;
  }

  /** Closes a catalog that holds connections (a JDBC catalog's pool); a Hadoop catalog holds none. */
  public static void close(Catalog catalog) {
    if (catalog instanceof HadoopCatalog) {
      // Not closed: a Hadoop catalog's close shuts down the scheduler of Iceberg's in-memory lock
      // manager, which is static, shared by every catalog in the JVM, and beats the heart of the
      // lock a commit holds; the streaming job's writers opening and closing the catalog beside its
      // commit step made commits fail (RejectedExecutionException) or lose their lock. It holds
      // nothing else that needs closing (its FileIO is Hadoop's cached file system).
      return;
    }
    if (catalog instanceof Closeable) {
      try {
        ((Closeable) catalog).close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
