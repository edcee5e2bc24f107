package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.queries.ModelRecords.PinGeo;
import io.pinpipe.transforms.results.QueryOutput;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/**
 * q2 in plain Java: per post year (UTC, one of the settings' post years), the categories of the
 * most pin⋈geo rows.
 */
final class TopCategoryByYearModel {
  static List<Row> rows(ModelRecords records, QuerySettings settings) {
    return ModelRecords.topCategories(
        QueryOutput.Q2,
        settings,
        records.pinGeo,
        row -> row.postYearIn(settings),
        PinGeo::category);
  }
}
