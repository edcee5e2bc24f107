import io.pinpipe.pipelines.iceberg.BatchTables;
import io.pinpipe.pipelines.iceberg.IcebergCatalog;
import io.pinpipe.transforms.results.QueryOutput;
import io.pinpipe.transforms.results.ResultCsv;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.Row;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The harness's reader of batch's nine result tables (bench/run.sh, verify): each table's current
 * snapshot, through Iceberg's generic reader (a Hadoop catalog in WAREHOUSE), written as the result's
 * CSV file in OUT_DIR with the job's own CSV format, so that it compares byte for byte with the
 * reference engine's CSV files. One source file run by Java's source launcher on the pipelines jar:
 *
 *   java -cp pipelines/target/pinterest-pipelines.jar bench/IcebergResultFiles.java WAREHOUSE OUT_DIR
 */
public final class IcebergResultFiles {
  public static void main(String[] args) throws Exception {
    Catalog catalog = IcebergCatalog.hadoop(args[0]).open();
    Path out = Files.createDirectories(Path.of(args[1]));
    for (QueryOutput output : QueryOutput.values()) {
      Table table = catalog.loadTable(BatchTables.identifier(output.outputName()));
      int columns = output.schema().getFieldCount();
      List<Row> rows = new ArrayList<>();
      try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
        for (Record r : records) {
          List<Object> values = new ArrayList<>();
          for (int i = 0; i < columns; i++) {
            values.add(r.get(i));
          }
          rows.add(Row.withSchema(output.schema()).addValues(values).build());
        }
      }
      Files.writeString(out.resolve(output.outputName() + ".csv"), ResultCsv.document(output, rows), StandardCharsets.UTF_8);
    }
  }
}
