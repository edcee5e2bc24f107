package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.queries.ModelRecords.PinGeo;
import io.pinpipe.transforms.results.QueryOutput;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/** q1 in plain Java: per country, the categories of the most pin⋈geo rows. */
final class TopCategoryByCountryModel {
  static List<Row> rows(ModelRecords records, QuerySettings settings) {
    return ModelRecords.topCategories(
        QueryOutput.Q1, settings, records.pinGeo, PinGeo::country, PinGeo::category);
  }
}
