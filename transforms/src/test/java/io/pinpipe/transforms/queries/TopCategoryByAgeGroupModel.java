package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.queries.ModelRecords.PinUser;
import io.pinpipe.transforms.results.QueryOutput;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/** q4 in plain Java: per age group, the categories of the most pin⋈user rows. */
final class TopCategoryByAgeGroupModel {
  static List<Row> rows(ModelRecords records, QuerySettings settings) {
    return ModelRecords.topCategories(
        QueryOutput.Q4, settings, records.pinUser, PinUser::ageGroup, PinUser::category);
  }
}
