package io.pinpipe.emulator.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.emulator.generate.PythonJson;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The original's source database: three tables, one row per event in each, aligned by row
 * number ({@code pinterest_data.index} = {@code geolocation_data.ind} = {@code user_data.ind}).
 *
 * <p>Types are the original's (INT row numbers, text, DATETIME for the two datetimes) and DOUBLE
 * for the coordinates, which keeps every generated value exact: a row read back renders, through
 * {@link #json}, the very bytes the generator produced ({@code json.dumps(row, default=str)} in
 * the original, whose {@code str(datetime)} is {@code "2020-08-28 03:52:47"}). Tables are utf8mb4
 * so that any text survives.
 */
public final class OriginalTables {
  private OriginalTables() {}

  enum Table {
    PIN("pinterest_data", "`index`", "index"),
    GEO("geolocation_data", "ind", "ind"),
    USER("user_data", "ind", "ind");

    final String name;
    final String keyColumnSql;
    final String keyField;

    Table(String name, String keyColumnSql, String keyField) {
      this.name = name;
      this.keyColumnSql = keyColumnSql;
      this.keyField = keyField;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  static final String PIN_DDL =
      "CREATE TABLE pinterest_data ("
          + "`index` INT NOT NULL PRIMARY KEY, unique_id VARCHAR(36), title TEXT, description TEXT,"
          + " poster_name VARCHAR(255), follower_count VARCHAR(32), tag_list TEXT,"
          + " is_image_or_video VARCHAR(64), image_src TEXT, downloaded INT,"
          + " save_location VARCHAR(255), category VARCHAR(64)) DEFAULT CHARSET=utf8mb4";
  static final String GEO_DDL =
      "CREATE TABLE geolocation_data (ind INT NOT NULL PRIMARY KEY, `timestamp` DATETIME,"
          + " latitude DOUBLE, longitude DOUBLE, country VARCHAR(255)) DEFAULT CHARSET=utf8mb4";
  static final String USER_DDL =
      "CREATE TABLE user_data (ind INT NOT NULL PRIMARY KEY, first_name VARCHAR(255),"
          + " last_name VARCHAR(255), age INT, date_joined DATETIME) DEFAULT CHARSET=utf8mb4";

  private static final List<String> PIN_COLUMNS =
      List.of("index", "unique_id", "title", "description", "poster_name", "follower_count",
          "tag_list", "is_image_or_video", "image_src", "downloaded", "save_location", "category");
  private static final List<String> GEO_COLUMNS = List.of("ind", "timestamp", "latitude", "longitude", "country");
  private static final List<String> USER_COLUMNS = List.of("ind", "first_name", "last_name", "age", "date_joined");

  static List<String> columns(Table table) {
    switch (table) {
      case PIN:
        return PIN_COLUMNS;
      case GEO:
        return GEO_COLUMNS;
      default:
        return USER_COLUMNS;
    }
  }

  /** Drops (when asked) and creates the three tables. */
  static void create(Connection db, boolean dropFirst) throws SQLException {
    try (Statement s = db.createStatement()) {
      if (dropFirst) {
        for (Table t : Table.values()) {
          s.execute("DROP TABLE IF EXISTS " + t.name);
        }
      }
      s.execute(PIN_DDL);
      s.execute(GEO_DDL);
      s.execute(USER_DDL);
    }
  }

  /** Rows in a table, or -1 when it does not exist. */
  static long rowCount(Connection db, Table table) throws SQLException {
    try (ResultSet tables = db.getMetaData().getTables(db.getCatalog(), null, table.name, null)) {
      boolean exists = false;
      while (tables.next()) {
        exists |= tables.getString("TABLE_NAME").equalsIgnoreCase(table.name);
      }
      if (!exists) {
        return -1;
      }
    }
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table.name)) {
      r.next();
      return r.getLong(1);
    }
  }

  static String insertSql(Table table) {
    List<String> columns = columns(table);
    return "INSERT INTO " + table.name + " (" + String.join(", ", columns.stream().map(OriginalTables::quoted).toList())
        + ") VALUES (" + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
  }

  static String selectSql(Table table, int keys) {
    return "SELECT " + String.join(", ", columns(table).stream().map(OriginalTables::quoted).toList())
        + " FROM " + table.name + " WHERE " + table.keyColumnSql + " IN ("
        + String.join(", ", java.util.Collections.nCopies(keys, "?")) + ")";
  }

  static String quoted(String column) {
    return column.equals("index") || column.equals("timestamp") ? "`" + column + "`" : column;
  }

  /** Binds one generated record's values to an insert of its table. */
  static void bind(PreparedStatement insert, Table table, String recordJson) throws SQLException, IOException {
    JsonNode record = JSON.readTree(recordJson);
    List<String> columns = columns(table);
    for (int i = 0; i < columns.size(); i++) {
      String column = columns.get(i);
      JsonNode value = record.get(column);
      int p = i + 1;
      if (value == null || value.isNull()) {
        insert.setNull(p, Types.NULL);
      } else if (column.equals("timestamp") || column.equals("date_joined")) {
        // LocalDateTime, not Timestamp: no detour through the JVM's time zone (DST gaps).
        insert.setObject(p, LocalDateTime.parse(value.asText(), DATETIME));
      } else if (column.equals("latitude") || column.equals("longitude")) {
        insert.setDouble(p, value.doubleValue());
      } else if (value.isIntegralNumber()) {
        insert.setLong(p, value.longValue());
      } else {
        insert.setString(p, value.asText());
      }
    }
  }

  /** The record of one row as the original emulator sent it. */
  static String json(Table table, ResultSet row) throws SQLException {
    PythonJson json = new PythonJson(table == Table.PIN ? 1024 : 128);
    for (String column : columns(table)) {
      Object value = row.getObject(quoted(column).replace("`", ""));
      if (value == null) {
        json.nullField(column);
      } else if (column.equals("timestamp") || column.equals("date_joined")) {
        json.field(column, row.getObject(column, LocalDateTime.class).format(DATETIME));
      } else if (column.equals("latitude") || column.equals("longitude")) {
        json.rawNumber(column, PythonJson.pythonFloat(row.getDouble(column), 15));
      } else if (value instanceof Number) {
        json.field(column, ((Number) value).longValue());
      } else {
        json.field(column, value.toString());
      }
    }
    return json.build();
  }

  /** Inserts one event's three rows (through three prepared inserts, batched by the caller). */
  static void addBatch(PreparedStatement pin, PreparedStatement geo, PreparedStatement user, GeneratedPost post)
      throws SQLException, IOException {
    bind(pin, Table.PIN, post.pinJson());
    pin.addBatch();
    bind(geo, Table.GEO, post.geoJson());
    geo.addBatch();
    bind(user, Table.USER, post.userJson());
    user.addBatch();
  }
}
