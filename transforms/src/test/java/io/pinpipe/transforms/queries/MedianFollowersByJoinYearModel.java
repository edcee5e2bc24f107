package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.results.QueryOutput;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/**
 * q7 in plain Java: per joining year (UTC, one of the settings' joining years), the median follower
 * count of the pin⋈user rows.
 */
final class MedianFollowersByJoinYearModel {
  static List<Row> rows(ModelRecords records, QuerySettings settings) {
    return records.medians(
        QueryOutput.Q7, settings, row -> Arrays.asList(row.joinYearIn(settings)));
  }
}
