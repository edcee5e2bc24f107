package io.pinpipe.pipelines.batch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** Reads a table folder the job wrote back with parquet-avro, independently of Beam's ParquetIO. */
public final class ParquetTable {
  private ParquetTable() {}

  public static List<GenericRecord> read(Path folder) throws Exception {
    return read(folder, null);
  }

  /** The rows of one file of a folder ({@code fileName}), or of all its files when null. */
  public static List<GenericRecord> read(Path folder, String fileName) throws Exception {
    List<GenericRecord> records = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file :
          files.filter(f -> f.toString().endsWith(".parquet"))
              .filter(f -> fileName == null || f.getFileName().toString().equals(fileName))
              .sorted()
              .collect(Collectors.toList())) {
        try (ParquetReader<GenericRecord> reader =
            AvroParquetReader.<GenericRecord>builder(
                    HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
                .build()) {
          for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
            records.add(r);
          }
        }
      }
    }
    return records;
  }
}
