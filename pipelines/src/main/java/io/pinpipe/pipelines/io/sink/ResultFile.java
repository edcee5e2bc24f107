package io.pinpipe.pipelines.io.sink;

import io.pinpipe.transforms.results.QueryOutput;
import io.pinpipe.transforms.results.ResultCsv;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.values.Row;

/**
 * A query result as the text of its CSV file (docs/semantics.md#queries): all rows gathered, sorted by the
 * output's order and formatted by {@link ResultCsv}. Results are small (a row per country at most),
 * so one element holds them all; an empty result gives a file with the header only.
 */
public final class ResultFile {
  private ResultFile() {}

  public static Combine.CombineFn<Row, List<Row>, String> csvOf(QueryOutput output) {
    return new CsvFn(output);
  }

  /** {@code top_category_by_country} becomes {@code TopCategoryByCountry}, for step names. */
  public static String stepName(String outputName) {
    StringBuilder name = new StringBuilder();
    for (String part : outputName.split("_")) {
      name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return name.toString();
  }

  /** All rows of a result (of a window), gathered in one list; results are small. */
  public static Combine.CombineFn<Row, List<Row>, List<Row>> rowsOf(QueryOutput output) {
    return new RowsFn<List<Row>>(output) {
      @Override
      public List<Row> extractOutput(List<Row> rows) {
        return rows;
      }
    };
  }

  private static final class CsvFn extends RowsFn<String> {
    CsvFn(QueryOutput output) {
      super(output);
    }

    @Override
    public String extractOutput(List<Row> rows) {
      return ResultCsv.document(output, rows);
    }

    @Override
    public Coder<String> getDefaultOutputCoder(CoderRegistry registry, Coder<Row> inputCoder) {
      return StringUtf8Coder.of();
    }
  }

  /** Gathers a result's rows; subclasses say what becomes of them. */
  private abstract static class RowsFn<OutputT> extends Combine.CombineFn<Row, List<Row>, OutputT> {
    final QueryOutput output;

    RowsFn(QueryOutput output) {
      this.output = output;
    }

    @Override
    public List<Row> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<Row> addInput(List<Row> rows, Row row) {
      rows.add(row);
      return rows;
    }

    @Override
    public List<Row> mergeAccumulators(Iterable<List<Row>> accumulators) {
      List<Row> merged = new ArrayList<>();
      accumulators.forEach(merged::addAll);
      return merged;
    }

    @Override
    public Coder<List<Row>> getAccumulatorCoder(CoderRegistry registry, Coder<Row> inputCoder) {
      return ListCoder.of(RowCoder.of(output.schema()));
    }
  }
}
