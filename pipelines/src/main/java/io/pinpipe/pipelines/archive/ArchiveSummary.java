package io.pinpipe.pipelines.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets.PartitionOffsets;
import io.pinpipe.pipelines.io.kafka.PartitionRange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;

/**
 * The last run's summary, {@code <root>/archive-summary.json} (docs/semantics.md#the-archive-job-exactly-once-recorded-in-the-archive),
 * replaced whole by
 * every run: what it wrote, what it removed, and its gaps (offsets Kafka's retention removed before
 * they were archived), with the exit status they gave. Gaps stay in every run's summary until
 * {@code --allowGaps} records them under {@code ranges/}.
 */
final class ArchiveSummary {
  static final String NAME = "archive-summary.json";
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String root;
  private final ObjectNode json = MAPPER.createObjectNode();

  ArchiveSummary(
      String root,
      String groupId,
      long maxRecordsPerFile,
      List<PartitionOffsets> offsets,
      ArchivePlan plan,
      boolean allowGaps,
      long archived,
      long deadLettered,
      long skipped,
      long readAgain,
      int removedTemporary,
      int removedUncommitted,
      double seconds) {
    this.root = root;
    json.put("job", "archive");
    json.put("output", root);
    json.put("group_id", groupId);
    json.put("max_records_per_file", maxRecordsPerFile);
    json.put("exit_status", plan.gaps().isEmpty() || allowGaps ? CommandLine.OK : CommandLine.GAPS);
    json.put("removed_temporary_files", removedTemporary);
    json.put("removed_uncommitted_files", removedUncommitted);
    json.put("offsets_written", plan.records());
    json.put("archived", archived);
    json.put("dead_lettered", deadLettered);
    json.put("skipped_offsets", skipped);
    json.put("read_again_already_archived", readAgain);
    ArrayNode written = json.putArray("written");
    for (PartitionRange r : plan.write()) {
      written.addObject()
          .put("topic", r.topic()).put("partition", r.partition())
          .put("first_offset", r.start()).put("last_offset", r.stop() - 1);
    }
    ArrayNode gaps = json.putArray("gaps");
    for (ArchivePlan.Gap gap : plan.gaps()) {
      gaps.addObject()
          .put("topic", gap.topic()).put("partition", gap.partition())
          .put("first_offset", gap.first()).put("last_offset", gap.last()).put("offsets", gap.size())
          .put("earliest_in_log", gap.earliestInLog()).put("recorded", allowGaps);
    }
    ArrayNode partitions = json.putArray("partitions");
    for (PartitionOffsets p : offsets) {
      ObjectNode node = partitions.addObject()
          .put("topic", p.topic()).put("partition", p.partition())
          .put("earliest_in_log", p.earliest()).put("end_in_log", p.end());
      Long next = plan.next().get(p.topicPartition());
      if (next != null) {
        node.put("archive_next_offset", next);
      }
    }
    json.put("seconds", Math.round(seconds * 10) / 10.0);
  }

  static String path(String root) {
    return root + "/" + NAME;
  }

  void write() throws IOException {
    try {
      byte[] bytes = MAPPER.writeValueAsString(json).getBytes(StandardCharsets.UTF_8);
      ArchiveFiles.writeWhole(path(root), List.of(bytes), () -> {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The summary's temporary file, if a run was stopped while writing it. */
  static void removeTemporary(String root) throws IOException {
    FileSystems.delete(
        List.of(FileSystems.matchNewResource(root + "/." + NAME + Chunk.TEMP_SUFFIX, false)),
        MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }
}
