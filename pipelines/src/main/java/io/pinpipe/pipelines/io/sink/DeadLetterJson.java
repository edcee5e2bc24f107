package io.pinpipe.pipelines.io.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pinpipe.transforms.parse.DeadLetter;

/** A dead letter as one JSON line: {@code kind, origin, reason, payload | payload_base64} (docs/semantics.md#cleaning-per-kind). */
public final class DeadLetterJson {
  private DeadLetterJson() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static String toJsonLine(DeadLetter deadLetter) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("kind", deadLetter.kind);
    node.put("origin", deadLetter.origin);
    node.put("reason", deadLetter.reason);
    if (deadLetter.payload != null) {
      node.put("payload", deadLetter.payload);
    } else {
      node.put("payload_base64", deadLetter.payloadBase64);
    }
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
