package io.pinpipe.pipelines.io.kinesis;

import io.pinpipe.pipelines.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * What the streams hold where a run of the streaming job into Iceberg tables starts, looked up
 * before the pipeline (docs/iceberg.md, "Streaming from Kinesis" and "One global window"): each
 * stream's shards as {@code ListShards} lists them, the anchored shards no longer listed, and the
 * arrival time of the first record each listed shard holds where the read starts it (after the
 * tables' anchor, {@link ShardStarts#after}, else at the trim horizon).
 */
public final class StreamShards {
  /** GetRecords per shard at most every this often: AWS allows five calls a second per shard. */
  private static final long POLL_MILLIS = 250;
  /** How long one shard may answer "nothing here, but behind the tip" before the look-up gives up. */
  private static final long SHARD_BUDGET_MILLIS = TimeUnit.SECONDS.toMillis(60);

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
   * The shards a table recorded an anchor of that are not in {@code listed}: closed shards whose
   * records the stream's retention has removed (docs/iceberg.md, "Streaming from Kinesis").
   */
  public static TreeSet<String> unlisted(ShardStarts starts, Set<String> listed) {
    TreeSet<String> gone = new TreeSet<>(starts.anchoredShards());
    gone.removeAll(listed);
    return gone;
  }

  /**
   * The earliest {@code ApproximateArrivalTimestamp}, in epoch millis, among the first Kinesis
   * record of each shard in {@code shardKeys} where the read starts it: the record after the
   * tables' anchor ({@link ShardStarts#after}; for an anchor a producer aggregated with others, the
   * Kinesis record after the one holding it), or the shard's first at its trim horizon. Empty when
   * no shard holds a record there yet.
   */
  public static OptionalLong firstArrival(KinesisClient client, Set<String> shardKeys, ShardStarts starts) {
    long earliest = Long.MAX_VALUE;
    for (String key : shardKeys) {
      OptionalLong first = firstArrival(client, key, starts.after(key));
      if (first.isPresent()) {
        earliest = Math.min(earliest, first.getAsLong());
      }
    }
    return earliest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(earliest);
  }

  private static OptionalLong firstArrival(KinesisClient client, String shardKey, ShardAnchor after) {
    String stream = shardKey.substring(0, shardKey.indexOf('/'));
    String shard = shardKey.substring(stream.length() + 1, shardKey.length() - 1);
    String iterator =
        client
            .getShardIterator(
                b -> {
                  b.streamName(stream).shardId(shard);
                  if (after == null) {
                    b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                  } else {
                    b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(after.sequenceNumber);
                  }
                })
            .shardIterator();
    long deadline = System.currentTimeMillis() + SHARD_BUDGET_MILLIS;
    while (iterator != null) {
      String at = iterator;
      GetRecordsResponse page = client.getRecords(b -> b.shardIterator(at).limit(1));
      if (!page.records().isEmpty()) {
        return OptionalLong.of(page.records().get(0).approximateArrivalTimestamp().toEpochMilli());
      }
      Long behind = page.millisBehindLatest();
      if (behind == null || behind == 0) {
        return OptionalLong.empty(); // at the shard's tip: no record yet
      }
      // Kinesis may answer an empty page from a stretch of the shard with no records, and go on
      // from there with the next iterator.
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(
            "Kinesis shard " + shardKey + " gave no record and stayed " + behind + " ms behind its tip for "
                + TimeUnit.MILLISECONDS.toSeconds(SHARD_BUDGET_MILLIS) + " s while the job looked up the first record"
                + " its replay reads (the day of the replay's rows, docs/iceberg.md \"One global window\"); try again");
      }
      iterator = page.nextShardIterator();
      sleep(POLL_MILLIS);
    }
    return OptionalLong.empty(); // a closed shard read to its end
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
