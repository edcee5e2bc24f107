package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.results.QueryOutput;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/**
 * q8 in plain Java: per age group and joining year (UTC, one of the settings' joining years), the
 * median follower count of the pin⋈user rows.
 */
final class MedianFollowersByAgeGroupAndJoinYearModel {
  static List<Row> rows(ModelRecords records, QuerySettings settings) {
    return records.medians(
        QueryOutput.Q8, settings, row -> Arrays.asList(row.ageGroup(), row.joinYearIn(settings)));
  }
}
