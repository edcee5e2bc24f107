package io.pinpipe.pipelines.io.sink;

import static org.junit.Assert.assertEquals;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The tables' Parquet writer ({@link RowWriteSupport}) against Parquet's own Avro writer fed Avro
 * records converted here, field by field: the same column layout, the same Avro schema in the
 * footer, and the same values read back, nulls, empty lists and null list elements included.
 */
public class RowWriteSupportTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final Instant JOINED = Instant.parse("2015-10-20T07:22:33Z");

  @Test
  public void writesEveryKindsRowsAsParquetsAvroWriterWouldColumnForColumn() throws IOException {
    assertSameFile(
        RecordKind.PIN,
        List.of(
            Row.withSchema(RecordSchemas.clean(RecordKind.PIN))
                .addValues(7L, "u-1", "A title", "Ünïcode ✓ description", 12_000L, "Poster", "a,b", "image",
                    "https://i.pinimg.com/x.jpg", "/data/post", "art")
                .build(),
            Row.withSchema(RecordSchemas.clean(RecordKind.PIN))
                .addValues(8L, null, null, null, null, null, null, null, null, null, null)
                .build()));
    assertSameFile(
        RecordKind.GEO,
        List.of(
            Row.withSchema(RecordSchemas.clean(RecordKind.GEO))
                .addValues(1L, "Angola", Arrays.asList(-5.5, 12.25), JOINED)
                .build(),
            Row.withSchema(RecordSchemas.clean(RecordKind.GEO))
                .addValues(2L, null, Arrays.asList(null, 3.0), null)
                .build(),
            Row.withSchema(RecordSchemas.clean(RecordKind.GEO)).addValues(3L, "", List.of(), null).build(),
            Row.withSchema(RecordSchemas.clean(RecordKind.GEO)).addValues(4L, null, null, JOINED).build()));
    assertSameFile(
        RecordKind.USER,
        List.of(
            Row.withSchema(RecordSchemas.clean(RecordKind.USER)).addValues(5L, "Ann Lee", 31, JOINED).build(),
            Row.withSchema(RecordSchemas.clean(RecordKind.USER)).addValues(6L, null, null, null).build()));
  }

  private void assertSameFile(RecordKind kind, List<Row> rows) throws IOException {
    org.apache.beam.sdk.schemas.Schema rowSchema = RecordSchemas.clean(kind);
    Schema avroSchema = ParquetTables.avroSchemaOf(rowSchema);
    Configuration conf = new Configuration();
    conf.set("parquet.avro.write-old-list-structure", "false");

    Path written = new Path(tmp.getRoot().getPath(), kind.id() + "-rows.parquet");
    try (ParquetWriter<Row> writer =
        RowWriteSupport.builder(HadoopOutputFile.fromPath(written, conf), rowSchema, avroSchema).withConf(conf).build()) {
      for (Row row : rows) {
        writer.write(row);
      }
    }
    Path reference = new Path(tmp.getRoot().getPath(), kind.id() + "-avro.parquet");
    try (ParquetWriter<GenericRecord> writer =
        AvroParquetWriter.<GenericRecord>builder(HadoopOutputFile.fromPath(reference, conf))
            .withSchema(avroSchema)
            .withConf(conf)
            .build()) {
      for (Row row : rows) {
        writer.write(toAvro(row, avroSchema));
      }
    }

    FileMetaData ours = footer(written, conf);
    FileMetaData theirs = footer(reference, conf);
    assertEquals(kind + " columns", theirs.getSchema(), ours.getSchema());
    assertEquals(
        kind + " Avro schema in the footer",
        theirs.getKeyValueMetaData().get("parquet.avro.schema"),
        ours.getKeyValueMetaData().get("parquet.avro.schema"));
    List<GenericRecord> expected = read(reference, conf);
    assertEquals(rows.size(), expected.size());
    assertEquals(kind + " rows", expected.toString(), read(written, conf).toString());
  }

  /** The reference conversion: timestamps as microseconds, lists as lists, the rest as is. */
  private static GenericRecord toAvro(Row row, Schema avroSchema) {
    GenericData.Record record = new GenericData.Record(avroSchema);
    for (int i = 0; i < row.getFieldCount(); i++) {
      Object value = row.getValue(i);
      if (value instanceof Instant) {
        value = ((Instant) value).getMillis() * 1000L;
      } else if (value instanceof Iterable) {
        List<Object> list = new ArrayList<>();
        ((Iterable<?>) value).forEach(list::add);
        value = list;
      }
      record.put(i, value);
    }
    return record;
  }

  private static FileMetaData footer(Path file, Configuration conf) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      return reader.getFooter().getFileMetaData();
    }
  }

  private static List<GenericRecord> read(Path file, Configuration conf) throws IOException {
    List<GenericRecord> out = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(file, conf)).withConf(conf).build()) {
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
        out.add(r);
      }
    }
    return out;
  }
}
