package io.pinpipe.transforms.clean;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.schema.RecordSchemas;
import org.apache.beam.sdk.values.Row;

/** User rules: first and last name become {@code user_name}; {@code date_joined} is parsed (UTC). */
public final class UserCleaner implements RecordCleaner {

  @Override
  public RecordKind kind() {
    return RecordKind.USER;
  }

  @Override
  public Row clean(Row parsed, CleaningLog log) {
    String first = Strings.blankToNull(parsed.getString("first_name"), "first_name", log);
    String last = Strings.blankToNull(parsed.getString("last_name"), "last_name", log);
    String userName;
    if (first != null && last != null) {
      userName = (first + " " + last).trim();
      log.fired("user_name_from_first_and_last");
    } else if (first != null || last != null) {
      userName = (first != null ? first : last).trim();
      log.fired("user_name_from_one_part");
    } else {
      userName = null;
    }
    Long age = parsed.getInt64("age");
    Integer age32 = null;
    if (age != null) {
      if (age < Integer.MIN_VALUE || age > Integer.MAX_VALUE) {
        log.nulled("age", "out_of_range");
      } else {
        age32 = age.intValue();
      }
    }
    return Row.withSchema(RecordSchemas.USER)
        .attachValues(
            parsed.getInt64("ind"),
            userName,
            age32,
            GeoCleaner.datetime(parsed.getString("date_joined"), "date_joined", log));
  }
}
