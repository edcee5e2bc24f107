package io.pinpipe.pipelines.iceberg;

import io.pinpipe.contract.RecordKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.iceberg.DataFile;

/**
 * A data file a worker wrote and the table it belongs to (its name in the namespace, {@link
 * BatchTables#tableNames}): what the bucket step hands to the commit
 * step, as bytes ({@link io.pinpipe.transforms.onepass.TablePackSink} notes are opaque). Iceberg's
 * {@link DataFile} is serializable, with its partition, size, row count and column metrics, which
 * the commit puts in the table's manifests as they are (Spark's Iceberg writer hands its data files
 * to its driver the same way).
 */
final class WrittenFile implements Serializable {
  private static final long serialVersionUID = 1L;

  final String table;
  final DataFile file;

  WrittenFile(RecordKind kind, DataFile file) {
    this(kind.id(), file);
  }

  WrittenFile(String table, DataFile file) {
    this.table = table;
    this.file = file;
  }

  /** The file's day: its partition, {@code identity(ingestion_date)}, held as days since the epoch. */
  String day() {
    return java.time.LocalDate.ofEpochDay(file.partition().get(0, Integer.class)).toString();
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static WrittenFile decode(byte[] note) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(note))) {
      return (WrittenFile) in.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException("a corrupt note on a written data file", e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
