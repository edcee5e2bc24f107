package io.pinpipe.pipelines.io.kinesis;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.pinpipe.pipelines.UserError;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.Test;

/**
 * What the start of a Kinesis run into Iceberg tables concludes from the tables' anchors and the
 * shards the streams list ({@link StreamShards#unlisted}, {@link StreamShards#requireTheseStreams}),
 * on shard keys written out by hand: this run reads the streams {@code p-pin} and {@code p-geo};
 * {@code q-pin} is another prefix's.
 */
public class StreamShardsTest {
  private static final List<String> THIS_RUN = List.of("p-pin", "p-geo");

  /** One table that recorded an anchor of each of {@code shardKeys}. */
  private static ShardStarts anchored(String... shardKeys) {
    Map<String, Long> positions = new java.util.TreeMap<>();
    Map<String, ShardAnchor> anchors = new java.util.TreeMap<>();
    for (String key : shardKeys) {
      positions.put(key, 3L);
      anchors.put(key, new ShardAnchor(2, "4900", 0, 1_000));
    }
    return ShardStarts.of(Map.of("pin", positions), Map.of("pin", anchors));
  }

  @Test
  public void unlistedNamesOnlyThisRunsStreamsAnchoredShardsThatAreNoLongerListed() {
    ShardStarts starts = anchored("p-pin/shardId-0/", "p-pin/shardId-1/", "p-geo/shardId-0/", "q-pin/shardId-0/");
    Set<String> listed = Set.of("p-pin/shardId-1/", "p-pin/shardId-2/", "p-geo/shardId-0/");
    assertEquals(new TreeSet<>(List.of("p-pin/shardId-0/")), StreamShards.unlisted(starts, THIS_RUN, listed));
  }

  @Test
  public void unlistedIsEmptyWhenEveryAnchoredShardOfThisRunIsListed() {
    ShardStarts starts = anchored("p-pin/shardId-0/", "q-pin/shardId-7/");
    assertEquals(new TreeSet<>(), StreamShards.unlisted(starts, THIS_RUN, Set.of("p-pin/shardId-0/")));
    assertEquals(new TreeSet<>(), StreamShards.unlisted(ShardStarts.none(), THIS_RUN, Set.of()));
  }

  @Test
  public void tablesAnchoredOnlyInOtherStreamsAreRefusedNamingBoth() {
    ShardStarts starts = anchored("q-pin/shardId-0/", "q-geo/shardId-1/");
    UserError e = assertThrows(UserError.class, () -> StreamShards.requireTheseStreams(starts, THIS_RUN, "warehouse w"));
    assertEquals(
        "the Iceberg tables (warehouse w) hold the positions of the Kinesis streams [q-geo, q-pin], none of which"
            + " this run reads [p-pin, p-geo]: give the --topicPrefix they were written with, or another --output"
            + " (or --warehouse) for these streams",
        e.getMessage());
  }

  @Test
  public void tablesWithNoAnchorOrAnAnchorOfThisRunsStreamsAreAccepted() {
    StreamShards.requireTheseStreams(ShardStarts.none(), THIS_RUN, "w");
    StreamShards.requireTheseStreams(anchored("q-pin/shardId-0/", "p-geo/shardId-0/"), THIS_RUN, "w");
  }

  @Test
  public void anAnchorRetentionRemovedStopsTheStartSayingWhatToDo() {
    UserError e = StreamShards.anchorGone("p-pin/shardId-0/", new ShardAnchor(6, "4900", 2, 1_000), "gone");
    assertThat(e.getMessage(), containsString("sequence number 4900:2, the shard's record 6) is not in the stream: gone."));
    assertThat(e.getMessage(), containsString("drop the streaming tables (or move --warehouse) and start again"));
  }
}
