package io.pinpipe.pipelines.io.kinesis;

import io.pinpipe.pipelines.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * What the streams hold where a run of the streaming job into Iceberg tables starts, looked up
 * before the pipeline (docs/iceberg.md#streaming-from-kinesis and docs/iceberg.md#one-global-window): each
 * stream's shards as {@code ListShards} lists them, the anchored shards no longer listed, and the
 * arrival time of the first record each listed shard holds where the read starts it (after the
 * tables' anchor, {@link ShardStarts#after}, else at the trim horizon).
 */
public final class StreamShards {
  /** GetRecords per shard at most every this often: AWS allows five calls a second per shard. */
  private static final long POLL_MILLIS = 250;
  /** How long the look-up over every shard may take before it gives up (empty pages behind a tip). */
  private static final long BUDGET_MILLIS = TimeUnit.SECONDS.toMillis(60);
  /** Records a GetRecords call: the anchor's Kinesis record and the one after it, mostly. */
  private static final int PAGE_RECORDS = 10;

  private StreamShards() {}

  /**
   * Every shard the streams list now (open, and closed ones still in retention), as shard keys
   * {@code <stream>/<shard>/}.
   *
   * @throws UserError if a stream does not exist
   */
  public static TreeSet<String> listed(KinesisClient client, List<String> streams) {
    TreeSet<String> keys = new TreeSet<>();
    for (String stream : streams) {
      List<Shard> shards = new ArrayList<>();
      try {
        ListShardsResponse page = client.listShards(b -> b.streamName(stream));
        shards.addAll(page.shards());
        while (page.nextToken() != null) {
          String token = page.nextToken();
          // A next page is asked for by its token alone (Kinesis refuses it with the stream name).
          page = client.listShards(b -> b.nextToken(token));
          shards.addAll(page.shards());
        }
      } catch (ResourceNotFoundException e) {
        throw new UserError(
            "the Kinesis stream " + stream + " does not exist at this endpoint: create it (the job reads"
                + " streaming-<topicPrefix>-pin, -geo and -user) or give the --topicPrefix, --endpoint and --awsRegion"
                + " it is at");
      }
      shards.forEach(s -> keys.add(KinesisOrigins.shardKey(stream, s.shardId())));
    }
    return keys;
  }

  /**
   * The shards of {@code streams} (this run's) a table recorded an anchor of that are not in {@code
   * listed}: closed shards whose records the stream's retention has removed (docs/iceberg.md#streaming-from-kinesis).
   * Anchors of other streams are not this run's to judge.
   */
  public static TreeSet<String> unlisted(ShardStarts starts, List<String> streams, Set<String> listed) {
    TreeSet<String> gone = new TreeSet<>();
    for (String shard : starts.anchoredShards()) {
      if (streams.contains(stream(shard)) && !listed.contains(shard)) {
        gone.add(shard);
      }
    }
    return gone;
  }

  /**
   * Refuses tables that hold anchors only of streams this run does not read: written from other
   * streams (another {@code --topicPrefix}), they would get this run's records beside theirs.
   *
   * @throws UserError naming the tables' streams and this run's
   */
  public static void requireTheseStreams(ShardStarts starts, List<String> streams, String tablesPlace) {
    TreeSet<String> theirs = new TreeSet<>();
    starts.anchoredShards().forEach(shard -> theirs.add(stream(shard)));
    if (!theirs.isEmpty() && theirs.stream().noneMatch(streams::contains)) {
      throw new UserError(
          "the Iceberg tables (" + tablesPlace + ") hold the positions of the Kinesis streams " + theirs
              + ", none of which this run reads " + streams + ": give the --topicPrefix they were written with,"
              + " or another --output (or --warehouse) for these streams");
    }
  }

  /**
   * The earliest {@code ApproximateArrivalTimestamp}, in epoch millis, among the first record of
   * each shard in {@code shardKeys} where the read starts it: the first record above the tables'
   * anchor ({@link ShardStarts#after}; for an anchor a producer aggregated with others, the next
   * record of the same Kinesis record if it holds one, which arrived with it), or the shard's first
   * at its trim horizon. Empty when no shard holds a record there yet. Every shard is looked up
   * within {@link #BUDGET_MILLIS} in all.
   *
   * @throws UserError if a shard's anchor record is no longer in the stream ({@link #anchorGone})
   * @throws IllegalStateException if Kinesis throttled, timed out or kept answering empty pages
   *     behind the shard's tip: failures that can pass, so the message says to try again
   */
  public static OptionalLong firstArrival(KinesisClient client, Set<String> shardKeys, ShardStarts starts) {
    long deadline = System.currentTimeMillis() + BUDGET_MILLIS;
    long earliest = Long.MAX_VALUE;
    for (String key : shardKeys) {
      OptionalLong first;
      try {
        first = firstArrival(client, key, starts.after(key), deadline);
      } catch (ProvisionedThroughputExceededException | LimitExceededException | SdkClientException e) {
        throw new IllegalStateException(
            "Kinesis shard " + key + ": " + e.getMessage() + ", while the job looked up the first record its replay"
                + " reads (the day of the replay's rows, docs/iceberg.md \"One global window\"): throttling or a"
                + " timeout, which can pass: try again",
            e);
      }
      if (first.isPresent()) {
        earliest = Math.min(earliest, first.getAsLong());
      }
    }
    return earliest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(earliest);
  }

  private static OptionalLong firstArrival(KinesisClient client, String shardKey, ShardAnchor after, long deadline) {
    String stream = stream(shardKey);
    String shard = shardKey.substring(stream.length() + 1, shardKey.length() - 1);
    String iterator;
    try {
      iterator =
          client
              .getShardIterator(
                  b -> {
                    b.streamName(stream).shardId(shard);
                    if (after == null) {
                      b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                    } else {
                      // At the anchor's Kinesis record, not after it: an aggregated anchor's record
                      // may hold records after the anchor (skipped below: those at or below it).
                      b.shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).startingSequenceNumber(after.sequenceNumber);
                    }
                  })
              .shardIterator();
    } catch (InvalidArgumentException | ResourceNotFoundException e) {
      // The stream was just listed: a refused sequence number is the anchor's record gone
      // (kinesis-mock answers ResourceNotFound "Unable to find record", AWS InvalidArgument).
      if (after == null) {
        throw e;
      }
      throw anchorGone(shardKey, after, "Kinesis refused to start the shard at it (" + e.awsErrorDetails().errorMessage() + ")");
    }
    boolean anchorSeen = after == null;
    while (iterator != null) {
      String at = iterator;
      GetRecordsResponse page = client.getRecords(b -> b.shardIterator(at).limit(PAGE_RECORDS));
      for (KinesisClientRecord r : deaggregated(page)) {
        if (after == null) {
          return OptionalLong.of(r.approximateArrivalTimestamp().toEpochMilli());
        }
        int vsAnchor = after.compareRecordTo(r.sequenceNumber(), r.subSequenceNumber());
        if (vsAnchor > 0 && !anchorSeen) {
          throw anchorGone(shardKey, after, "the shard's first record there is " + r.sequenceNumber() + ", above it");
        }
        if (vsAnchor == 0) {
          anchorSeen = true;
        } else if (vsAnchor > 0) {
          return OptionalLong.of(r.approximateArrivalTimestamp().toEpochMilli());
        }
      }
      Long behind = page.millisBehindLatest();
      if (page.records().isEmpty() && (behind == null || behind == 0)) {
        if (!anchorSeen) {
          throw anchorGone(shardKey, after, "the shard holds no record at or after it");
        }
        return OptionalLong.empty(); // at the shard's tip: no record yet
      }
      // Kinesis may answer an empty page from a stretch of the shard with no records, and go on
      // from there with the next iterator; for an anchor retention removed, perhaps forever.
      if (System.currentTimeMillis() > deadline) {
        if (!anchorSeen) {
          throw anchorGone(
              shardKey, after, "Kinesis answered only empty pages, " + behind + " ms behind the shard's tip, until the"
                  + " look-up's " + TimeUnit.MILLISECONDS.toSeconds(BUDGET_MILLIS) + " s ran out");
        }
        throw new IllegalStateException(
            "Kinesis shard " + shardKey + " gave no record and stayed " + behind + " ms behind its tip until the"
                + " look-up's " + TimeUnit.MILLISECONDS.toSeconds(BUDGET_MILLIS) + " s over every shard ran out while the job looked up the first record"
                + " its replay reads (the day of the replay's rows, docs/iceberg.md \"One global window\"); a slow"
                + " endpoint or a long stretch without records, which can pass: try again");
      }
      iterator = page.nextShardIterator();
      sleep(POLL_MILLIS);
    }
    if (!anchorSeen) {
      throw anchorGone(shardKey, after, "the closed shard holds no record at or after it");
    }
    return OptionalLong.empty(); // a closed shard read to its end
  }

  /** A page's records, those a producer aggregated as the records they hold. */
  private static List<KinesisClientRecord> deaggregated(GetRecordsResponse page) {
    List<KinesisClientRecord> records = new ArrayList<>();
    page.records().forEach(r -> records.add(KinesisClientRecord.fromRecord(r)));
    return new AggregatorUtil().deaggregate(records);
  }

  private static String stream(String shardKey) {
    return shardKey.substring(0, shardKey.indexOf('/'));
  }

  /**
   * The tables' anchor record of a shard is no longer in the stream: retention removed it, and
   * perhaps records after it that the tables do not hold (as {@link ShardOrdinals.AnchorNotSeen}
   * during the read).
   */
  static UserError anchorGone(String shardKey, ShardAnchor anchor, String what) {
    return new UserError(
          "Kinesis shard " + shardKey + ": the record the Iceberg tables resume after (sequence number "
              + anchor.sequenceNumber + (anchor.subSequenceNumber == 0 ? "" : ":" + anchor.subSequenceNumber)
              + ", the shard's record " + anchor.ordinal + ") is not in the stream: " + what + ". The stream's"
              + " retention has removed it, and perhaps records after it that the tables do not hold. The job stops"
              + " rather than skip them unseen. To go on without them, drop the streaming tables (or move --warehouse)"
              + " and start again; see docs/iceberg.md, \"Streaming from Kinesis\"");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis); // the shard's GetRecords rate limit
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while looking up a Kinesis shard's first record", e);
    }
  }
}
