package io.pinpipe.pipelines.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The archive's record of one committed chunk (docs/semantics.md#the-archive-job-exactly-once-recorded-in-the-archive),
 * {@code
 * ranges/<topic>/partition=<p>/<topic>+<p>+<first>+<last>.json}: the offsets {@code [first, last]}
 * are archived, and how each one is accounted for. An offset with a record is a line of one of the
 * listed data files or a dead letter (listed by offset: a dead-lettered offset counts as archived);
 * an offset without a record (compaction, a transaction marker) is listed as skipped. Written last,
 * it is what commits the chunk; a gap record ({@code .gap.json}) says instead that Kafka's retention
 * removed the offsets before they were archived, and that the user chose to go on.
 */
final class RangeRecord {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Chunk chunk;
  private final ObjectNode json;
  private final ArrayNode dataFiles;
  private final long skipped;

  private RangeRecord(Chunk chunk, ObjectNode json, ArrayNode dataFiles, long skipped) {
    this.chunk = chunk;
    this.json = json;
    this.dataFiles = dataFiles;
    this.skipped = skipped;
  }

  /** A chunk whose records have {@code present} offsets (ascending), {@code deadLettered} among them. */
  static RangeRecord of(Chunk chunk, List<Long> present, List<Long> deadLettered) {
    ObjectNode json = header(chunk);
    json.put("records", present.size());
    ArrayNode files = json.putArray("data_files");
    ArrayNode dead = json.putArray("dead_lettered_offsets");
    deadLettered.forEach(dead::add);
    ArrayNode skippedRanges = json.putArray("skipped_offsets");
    long skipped = 0;
    long expected = chunk.first();
    for (long offset : present) {
      if (offset > expected) {
        skippedRanges.addArray().add(expected).add(offset - 1);
        skipped += offset - expected;
      }
      expected = offset + 1;
    }
    if (expected <= chunk.last()) {
      skippedRanges.addArray().add(expected).add(chunk.last());
      skipped += chunk.last() - expected + 1;
    }
    return new RangeRecord(chunk, json, files, skipped);
  }

  private static ObjectNode header(Chunk chunk) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("topic", chunk.topic());
    json.put("partition", chunk.partition());
    json.put("first_offset", chunk.first());
    json.put("last_offset", chunk.last());
    json.put("next_offset", chunk.last() + 1);
    return json;
  }

  RangeRecord withDeadLetterFile(String relativePath) {
    json.put("dead_letter_file", relativePath);
    return this;
  }

  RangeRecord withDataFile(String relativePath, long lines) {
    dataFiles.addObject().put("path", relativePath).put("lines", lines);
    return this;
  }

  long skippedCount() {
    return skipped;
  }

  /** Writes the record whole: from then on the chunk is archived. */
  void write(String root) throws IOException {
    ArchiveFiles.writeWhole(chunk.rangePath(root), List.of(bytes(json)), () -> {});
  }

  /** Records that Kafka's retention removed {@code gap} before it was archived (--allowGaps). */
  static void writeGap(String root, Chunk gap, long earliestInLog) throws IOException {
    ObjectNode json = header(gap);
    json.put(
        "gap",
        "removed by Kafka's retention before they were archived (the log began at offset "
            + earliestInLog + "); recorded with --allowGaps");
    ArchiveFiles.writeWhole(gap.gapPath(root), List.of(bytes(json)), () -> {});
  }

  /**
   * Records where the archive of a partition begins, before anything of it is written: offsets
   * below are not the archive's, offsets from there on that no range record covers are missing.
   */
  static void writeBegin(String root, ArchivePlan.Begin begin, String startFrom) throws IOException {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("topic", begin.topic());
    json.put("partition", begin.partition());
    json.put("begin_offset", begin.offset());
    json.put("start_from", startFrom);
    ArchiveFiles.writeWhole(
        Chunk.beginPath(root, begin.topic(), begin.partition(), begin.offset()), List.of(bytes(json)), () -> {});
  }

  private static byte[] bytes(ObjectNode json) {
    try {
      return MAPPER.writeValueAsString(json).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
