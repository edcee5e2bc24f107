package io.pinpipe.emulator.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** A run of fresh events, parsed with Jackson: the three records of event i at position i. */
final class GeneratedEvents {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  final List<GeneratedPost> posts = new ArrayList<>();
  final List<JsonNode> pins = new ArrayList<>();
  final List<JsonNode> geos = new ArrayList<>();
  final List<JsonNode> users = new ArrayList<>();

  static GeneratedEvents generate(long seed, int count) {
    GeneratedEvents events = new GeneratedEvents();
    PostGenerator generator = new PostGenerator(seed);
    for (int i = 0; i < count; i++) {
      GeneratedPost post = generator.next();
      events.posts.add(post);
      events.pins.add(parse(post.pinJson()));
      events.geos.add(parse(post.geoJson()));
      events.users.add(parse(post.userJson()));
    }
    return events;
  }

  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + json, e);
    }
  }

  int size() {
    return posts.size();
  }
}
