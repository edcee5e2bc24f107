package io.pinpipe.emulator.post;

import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.emulator.post.OriginalTables.Table;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/** Creates the original's three tables and fills them from the generator, in batches. */
public final class OriginalTablesLoader {
  private final Connection db;

  public OriginalTablesLoader(Connection db) {
    this.db = db;
  }

  /** What already exists, as a sentence, or null when none of the tables does. */
  public String existingRows() throws SQLException {
    List<String> existing = new ArrayList<>();
    for (Table table : Table.values()) {
      long rows = OriginalTables.rowCount(db, table);
      if (rows >= 0) {
        existing.add(table.name + " (" + rows + " rows)");
      }
    }
    return existing.isEmpty() ? null : "the database already has " + String.join(", ", existing);
  }

  /**
   * Creates the tables (dropping them first when asked) and inserts the generator's first {@code
   * count} distinct events; {@code progress} hears the count after each committed batch.
   */
  public void load(PostGenerator generator, long count, int batchSize, boolean dropFirst, LongConsumer progress)
      throws SQLException, IOException {
    OriginalTables.create(db, dropFirst);
    boolean autoCommit = db.getAutoCommit();
    db.setAutoCommit(false);
    try (PreparedStatement pin = db.prepareStatement(OriginalTables.insertSql(Table.PIN));
        PreparedStatement geo = db.prepareStatement(OriginalTables.insertSql(Table.GEO));
        PreparedStatement user = db.prepareStatement(OriginalTables.insertSql(Table.USER))) {
      long lastReport = 0;
      for (long i = 0; i < count; i++) {
        // postAt, not next(): the table holds each event once, whatever the resend rate.
        OriginalTables.addBatch(pin, geo, user, generator.postAt(generator.settings().firstIndex() + i));
        if ((i + 1) % batchSize == 0 || i + 1 == count) {
          pin.executeBatch();
          geo.executeBatch();
          user.executeBatch();
          db.commit();
          if (i + 1 - lastReport >= 100_000 && i + 1 < count) {
            lastReport = i + 1;
            progress.accept(i + 1);
          }
        }
      }
    } catch (SQLException | IOException | RuntimeException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(autoCommit);
    }
  }
}
