package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.results.QueryOutput;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/** q5 in plain Java: per age group, the median follower count of the pin⋈user rows. */
final class MedianFollowersByAgeGroupModel {
  static List<Row> rows(ModelRecords records, QuerySettings settings) {
    return records.medians(QueryOutput.Q5, settings, row -> Arrays.asList(row.ageGroup()));
  }
}
