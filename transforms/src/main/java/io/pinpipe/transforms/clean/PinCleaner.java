package io.pinpipe.transforms.clean;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Pin rules: the original's placeholder strings become null, follower counts become numbers, the
 * {@code Local save in } prefix goes, and {@code index} is renamed {@code ind}.
 */
public final class PinCleaner implements RecordCleaner {

  /** Placeholder values the original emulator's database used instead of null, per field. */
  static final Map<String, Set<String>> PLACEHOLDERS =
      Map.of(
          "title", Set.of("No Title Data Available"),
          "description",
              Set.of("No description available Story format", "No description available", "Untitled"),
          "poster_name", Set.of("User Info Error"),
          "follower_count", Set.of("User Info Error"),
          "tag_list", Set.of("N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e"),
          "image_src", Set.of("Image src error."));

  static final String SAVE_LOCATION_PREFIX = "Local save in ";

  /** Rule names built once, not per record. */
  private static final Map<String, String> PLACEHOLDER_TO_NULL = new HashMap<>();

  private static final Map<FollowerCounts.Form, String> FOLLOWER_COUNT_TO_NUMBER =
      new EnumMap<>(FollowerCounts.Form.class);

  static {
    PLACEHOLDERS.keySet().forEach(field -> PLACEHOLDER_TO_NULL.put(field, field + "_placeholder_to_null"));
    for (FollowerCounts.Form form : FollowerCounts.Form.values()) {
      FOLLOWER_COUNT_TO_NUMBER.put(form, "follower_count_" + form.name().toLowerCase(Locale.ROOT) + "_to_number");
    }
  }

  @Override
  public RecordKind kind() {
    return RecordKind.PIN;
  }

  @Override
  public Row clean(Row parsed, CleaningLog log) {
    String followerText = text(parsed, "follower_count", log);
    Long followers = null;
    if (followerText != null) {
      FollowerCounts.Parsed count = FollowerCounts.parse(followerText);
      if (count == null) {
        log.nulled("follower_count", "unparseable_follower_count");
      } else {
        followers = count.value;
        log.fired(FOLLOWER_COUNT_TO_NUMBER.get(count.form));
      }
    }
    String saveLocation = text(parsed, "save_location", log);
    if (saveLocation != null && saveLocation.startsWith(SAVE_LOCATION_PREFIX)) {
      saveLocation = saveLocation.substring(SAVE_LOCATION_PREFIX.length());
      log.fired("save_location_prefix_stripped");
      if (saveLocation.isBlank()) {
        saveLocation = null;
        log.fired("save_location_blank_to_null");
      }
    }
    return Row.withSchema(RecordSchemas.PIN)
        .attachValues(
            parsed.getInt64("index"),
            text(parsed, "unique_id", log),
            text(parsed, "title", log),
            text(parsed, "description", log),
            followers,
            text(parsed, "poster_name", log),
            text(parsed, "tag_list", log),
            text(parsed, "is_image_or_video", log),
            text(parsed, "image_src", log),
            saveLocation,
            text(parsed, "category", log));
  }

  /** A string field with placeholders and blank strings turned into null. */
  private static @Nullable String text(Row parsed, String field, CleaningLog log) {
    String value = parsed.getString(field);
    if (value == null) {
      return null;
    }
    if (PLACEHOLDERS.getOrDefault(field, Set.of()).contains(value)) {
      log.fired(PLACEHOLDER_TO_NULL.get(field));
      return null;
    }
    return Strings.blankToNull(value, field, log);
  }
}
