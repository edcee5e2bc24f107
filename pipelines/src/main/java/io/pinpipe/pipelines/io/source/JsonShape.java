package io.pinpipe.pipelines.io.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** Tells whether bytes hold exactly one JSON value, without building it. */
final class JsonShape {
  private JsonShape() {}

  private static final JsonFactory FACTORY = new JsonFactory();

  static boolean isSingleJsonValue(byte[] bytes) {
    try (JsonParser parser = FACTORY.createParser(bytes)) {
      if (parser.nextToken() == null) {
        return false;
      }
      parser.skipChildren();
      return parser.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }
}
