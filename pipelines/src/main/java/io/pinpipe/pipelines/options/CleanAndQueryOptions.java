package io.pinpipe.pipelines.options;

import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.UserError;
import io.pinpipe.pipelines.iceberg.IcebergOptions;
import io.pinpipe.transforms.onepass.PackLimits;
import io.pinpipe.transforms.onepass.PackOptions;
import io.pinpipe.transforms.parse.ParseOptions;
import io.pinpipe.transforms.queries.QueryOptions;
import io.pinpipe.transforms.queries.QuerySettings;

/**
 * The checks of the options that batch and streaming both read, the two jobs that apply {@code
 * CleanAndQuery}: the records' size limit, the tables' format, the queries' settings and the packs'
 * limits. Each job's validate step calls them, so that a bad value stops the job before it touches
 * anything; the job then builds the settings and limits again where it uses them.
 */
public final class CleanAndQueryOptions {
  private CleanAndQueryOptions() {}

  /** The record size limit and the tables' options. */
  public static <T extends ParseOptions & IcebergOptions> void checkRecordsAndTables(T options) {
    if (options.getMaxRecordBytes() < 1) {
      throw new UserError("--maxRecordBytes must be positive");
    }
    IcebergOptions.check(options);
  }

  /** The query settings of the command line; a bad value is a user error. */
  public static QuerySettings querySettings(QueryOptions options) {
    return CommandLine.userInput(() -> QuerySettings.fromOptions(options));
  }

  /** The pack limits of the command line; a bad value is a user error. */
  public static PackLimits packLimits(PackOptions options) {
    return CommandLine.userInput(() -> PackLimits.fromOptions(options));
  }
}
