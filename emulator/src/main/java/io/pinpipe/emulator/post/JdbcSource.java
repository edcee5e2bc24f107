package io.pinpipe.emulator.post;

import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.emulator.post.OriginalTables.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The original's source: events read from its three tables. {@code random} picks rows with
 * replacement, seeded, as the original's {@code random.randint} did; {@code sequential} reads every
 * row once in row-number order, then ends. Rows are fetched a chunk of row numbers at a time,
 * one query per table, rather than three queries per event.
 */
public final class JdbcSource implements PostSource {
  public enum Selection {
    RANDOM,
    SEQUENTIAL
  }

  static final int CHUNK = 500;

  private final Connection db;
  private final Selection selection;
  private final SplittableRandom random;
  private final long[] rowNumbers;
  private final Deque<GeneratedPost> buffer = new ArrayDeque<>();
  private int nextPosition;
  private long read;

  private JdbcSource(Connection db, Selection selection, long seed, long[] rowNumbers) {
    this.db = db;
    this.selection = selection;
    this.random = new SplittableRandom(seed);
    this.rowNumbers = rowNumbers;
  }

  /** Reads the row numbers of {@code pinterest_data}; the connection is closed with the source. */
  public static JdbcSource open(Connection db, Selection selection, long seed) throws SQLException {
    if (OriginalTables.rowCount(db, Table.PIN) < 0) {
      throw new SQLException(
          "the database has no table pinterest_data (create and fill it with `load-db`)");
    }
    List<Long> numbers = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT `index` FROM pinterest_data ORDER BY `index`")) {
      while (r.next()) {
        numbers.add(r.getLong(1));
      }
    }
    if (numbers.isEmpty()) {
      throw new SQLException("table pinterest_data is empty (fill it with `load-db`)");
    }
    return new JdbcSource(db, selection, seed, numbers.stream().mapToLong(Long::longValue).toArray());
  }

  @Override
  public Optional<GeneratedPost> next() throws SQLException {
    if (buffer.isEmpty()) {
      fill();
    }
    GeneratedPost post = buffer.poll();
    if (post != null) {
      read++;
    }
    return Optional.ofNullable(post);
  }

  private void fill() throws SQLException {
    List<Long> keys = new ArrayList<>(CHUNK);
    while (keys.size() < CHUNK) {
      if (selection == Selection.RANDOM) {
        keys.add(rowNumbers[random.nextInt(rowNumbers.length)]);
      } else if (nextPosition < rowNumbers.length) {
        keys.add(rowNumbers[nextPosition++]);
      } else {
        break;
      }
    }
    if (keys.isEmpty()) {
      return;
    }
    List<Long> distinct = keys.stream().distinct().toList();
    Map<Table, Map<Long, String>> rows = new EnumMap<>(Table.class);
    for (Table table : Table.values()) {
      rows.put(table, fetch(table, distinct));
    }
    for (long key : keys) {
      String pin = rows.get(Table.PIN).get(key);
      String geo = rows.get(Table.GEO).get(key);
      String user = rows.get(Table.USER).get(key);
      if (geo == null || user == null) {
        throw new SQLException(
            "row number " + key + " of pinterest_data has no " + (geo == null ? "geolocation_data" : "user_data")
                + " row: the tables must be aligned by row number");
      }
      buffer.add(new GeneratedPost(key, pin, geo, user));
    }
  }

  private Map<Long, String> fetch(Table table, List<Long> keys) throws SQLException {
    Map<Long, String> byKey = new HashMap<>();
    try (PreparedStatement select = db.prepareStatement(OriginalTables.selectSql(table, keys.size()))) {
      for (int i = 0; i < keys.size(); i++) {
        select.setLong(i + 1, keys.get(i));
      }
      try (ResultSet r = select.executeQuery()) {
        while (r.next()) {
          byKey.put(r.getLong(table.keyField), OriginalTables.json(table, r));
        }
      }
    }
    return byKey;
  }

  @Override
  public String describe() {
    return "the database (" + read + " events, " + selection.name().toLowerCase() + " of "
        + rowNumbers.length + " rows)";
  }

  @Override
  public void close() throws SQLException {
    db.close();
  }
}
