package io.pinpipe.transforms.clean;

import static io.pinpipe.transforms.clean.CleanFixtures.ABSENT;
import static io.pinpipe.transforms.clean.CleanFixtures.DEFAULT_PIN_RULES;
import static io.pinpipe.transforms.clean.CleanFixtures.assertReport;
import static io.pinpipe.transforms.clean.CleanFixtures.clean;
import static io.pinpipe.transforms.clean.CleanFixtures.pin;
import static io.pinpipe.transforms.clean.CleanFixtures.raw;

import io.pinpipe.transforms.onepass.CleanAndQuery;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Pins through {@link CleanAndQuery} (the other kinds empty) on each dirty pattern of docs/semantics.md#cleaning-per-kind,
 * one pipeline per pattern: the pins' table rows, dead letters and data-quality counts.
 */
@RunWith(JUnit4.class)
public class CleanPinsTest {

  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final String IMAGE = "https://i.pinimg.com/x.jpg";

  /** Runs one pin through CleanAndQuery and asserts its clean row, no dead letter, and the report. */
  private void assertCleansTo(String json, Row expected, String report) {
    PCollectionTuple out = clean(p, RecordKind.PIN, raw(json));
    PAssert.that(out.get(CleanAndQuery.table(RecordKind.PIN))).containsInAnyOrder(expected);
    PAssert.that(out.get(CleanAndQuery.deadLetters(RecordKind.PIN))).empty();
    assertReport(out, RecordKind.PIN, report);
    p.run().waitUntilFinish();
  }

  private static String oneCleanedReport(String rules) {
    return "read=1 cleaned=1 dead_lettered=0 duplicates=0 conflicts=0 nulled={} rules={" + rules
        + "} unknown_fields={}";
  }

  @Test
  public void cleanPinKeepsItsValuesAndRenamesIndexToInd() {
    assertCleansTo(
        pin(7528),
        Row.withSchema(RecordSchemas.PIN)
            .addValues(7528L, "u-7528", "Title", "Desc", 437L, "Poster", "a,b", "image", IMAGE, "/data/art", "art")
            .build(),
        oneCleanedReport(DEFAULT_PIN_RULES));
  }

  @Test
  public void pinWithNoTitlePlaceholderHasNullTitle() {
    assertCleansTo(
        pin(1, "title", "No Title Data Available"),
        Row.withSchema(RecordSchemas.PIN)
            .addValues(1L, "u-1", null, "Desc", 437L, "Poster", "a,b", "image", IMAGE, "/data/art", "art")
            .build(),
        oneCleanedReport(DEFAULT_PIN_RULES + ", title_placeholder_to_null=1"));
  }

  @Test
  public void pinWithEmptyTitleHasNullTitle() {
    assertCleansTo(
        pin(1, "title", ""),
        Row.withSchema(RecordSchemas.PIN)
            .addValues(1L, "u-1", null, "Desc", 437L, "Poster", "a,b", "image", IMAGE, "/data/art", "art")
            .build(),
        oneCleanedReport(DEFAULT_PIN_RULES + ", title_blank_to_null=1"));
  }

  @Test
  public void pinWithStoryFormatPlaceholderHasNullDescription() {
    assertCleansTo(
        pin(1,
            "description", "No description available Story format",
            "is_image_or_video", "multi-video(story page format)"),
        Row.withSchema(RecordSchemas.PIN)
            .addValues(
                1L, "u-1", "Title", null, 437L, "Poster", "a,b", "multi-video(story page format)",
                IMAGE, "/data/art", "art")
            .build(),
        oneCleanedReport("description_placeholder_to_null=1, " + DEFAULT_PIN_RULES));
  }

  @Test
  public void pinWithNoDescriptionPlaceholderHasNullDescription() {
    assertCleansTo(
        pin(1, "description", "No description available"),
        Row.withSchema(RecordSchemas.PIN)
            .addValues(1L, "u-1", "Title", null, 437L, "Poster", "a,b", "image", IMAGE, "/data/art", "art")
            .build(),
        oneCleanedReport("description_placeholder_to_null=1, " + DEFAULT_PIN_RULES));
  }

  @Test
  public void pinWithUntitledDescriptionHasNullDescription() {
    assertCleansTo(
        pin(1, "description", "Untitled"),
        Row.withSchema(RecordSchemas.PIN)
            .addValues(1L, "u-1", "Title", null, 437L, "Poster", "a,b", "image", IMAGE, "/data/art", "art")
            .build(),
        oneCleanedReport("description_placeholder_to_null=1, " + DEFAULT_PIN_RULES));
  }

  @Test
  public void pinWithUserInfoErrorHasNullPosterNameAndFollowerCount() {
    assertCleansTo(
        pin(1, "poster_name", "User Info Error", "follower_count", "User Info Error"),
        Row.withSchema(RecordSchemas.PIN)
            .addValues(1L, "u-1", "Title", "Desc", null, null, "a,b", "image", IMAGE, "/data/art", "art")
            .build(),
        oneCleanedReport(
            "follower_count_placeholder_to_null=1, poster_name_placeholder_to_null=1,"
                + " save_location_prefix_stripped=1"));
  }

  @Test
  public void pinWithNoTagsPlaceholderHasNullTagList() {
    assertCleansTo(
        pin(1, "tag_list", "N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e"),
        Row.withSchema(RecordSchemas.PIN)
            .addValues(1L, "u-1", "Title", "Desc", 437L, "Poster", null, "image", IMAGE, "/data/art", "art")
            .build(),
        oneCleanedReport(DEFAULT_PIN_RULES + ", tag_list_placeholder_to_null=1"));
  }

  @Test
  public void pinWithImageSrcErrorHasNullImageSrc() {
    assertCleansTo(
        pin(1, "image_src", "Image src error.", "downloaded", 0),
        Row.withSchema(RecordSchemas.PIN)
            .addValues(1L, "u-1", "Title", "Desc", 437L, "Poster", "a,b", "image", null, "/data/art", "art")
            .build(),
        oneCleanedReport(
            "follower_count_digits_to_number=1, image_src_placeholder_to_null=1,"
                + " save_location_prefix_stripped=1"));
  }

  @Test
  public void placeholdersMatchExactlyAndOnlyInTheirOwnField() {
    // A near-miss of a placeholder, or a placeholder of another field, is an ordinary value.
    assertCleansTo(
        pin(1,
            "title", "Untitled",
            "description", "no description available",
            "poster_name", "User Info Error.",
            "tag_list", "Image src error.",
            "image_src", "No Title Data Available"),
        Row.withSchema(RecordSchemas.PIN)
            .addValues(
                1L, "u-1", "Untitled", "no description available", 437L, "User Info Error.",
                "Image src error.", "image", "No Title Data Available", "/data/art", "art")
            .build(),
        oneCleanedReport(DEFAULT_PIN_RULES));
  }

  @Test
  public void pinSaveLocationLosesTheLocalSavePrefix() {
    PCollectionTuple out =
        clean(
            p,
            RecordKind.PIN,
            raw(pin(1, "save_location", "Local save in /data/mens-fashion")),
            raw(pin(2, "save_location", "/data/art")),
            raw(pin(3, "save_location", "Local save in ")),
            raw(pin(4, "save_location", "local save in /data/art")));
    PAssert.that(out.get(CleanAndQuery.table(RecordKind.PIN)))
        .containsInAnyOrder(
            Row.withSchema(RecordSchemas.PIN)
                .addValues(1L, "u-1", "Title", "Desc", 437L, "Poster", "a,b", "image", IMAGE, "/data/mens-fashion", "art")
                .build(),
            Row.withSchema(RecordSchemas.PIN)
                .addValues(2L, "u-2", "Title", "Desc", 437L, "Poster", "a,b", "image", IMAGE, "/data/art", "art")
                .build(),
            Row.withSchema(RecordSchemas.PIN)
                .addValues(3L, "u-3", "Title", "Desc", 437L, "Poster", "a,b", "image", IMAGE, null, "art")
                .build(),
            Row.withSchema(RecordSchemas.PIN)
                .addValues(4L, "u-4", "Title", "Desc", 437L, "Poster", "a,b", "image", IMAGE, "local save in /data/art", "art")
                .build());
    assertReport(
        out,
        RecordKind.PIN,
        "read=4 cleaned=4 dead_lettered=0 duplicates=0 conflicts=0 nulled={} rules={"
            + "follower_count_digits_to_number=4, save_location_blank_to_null=1,"
            + " save_location_prefix_stripped=2} unknown_fields={}");
    p.run().waitUntilFinish();
  }

  @Test
  public void pinFollowerCountsBecomeNumbers() {
    PCollectionTuple out =
        clean(
            p,
            RecordKind.PIN,
            raw(pin(1, "follower_count", "437")),
            raw(pin(2, "follower_count", "26k")),
            raw(pin(3, "follower_count", "1.5k")),
            raw(pin(4, "follower_count", "6M")),
            raw(pin(5, "follower_count", "15M")),
            raw(pin(6, "follower_count", "1.2345k")),
            raw(pin(7, "follower_count", 5)));
    PAssert.that(out.get(CleanAndQuery.table(RecordKind.PIN)))
        .containsInAnyOrder(
            Row.withSchema(RecordSchemas.PIN)
                .addValues(1L, "u-1", "Title", "Desc", 437L, "Poster", "a,b", "image", IMAGE, "/data/art", "art")
                .build(),
            Row.withSchema(RecordSchemas.PIN)
                .addValues(2L, "u-2", "Title", "Desc", 26_000L, "Poster", "a,b", "image", IMAGE, "/data/art", "art")
                .build(),
            Row.withSchema(RecordSchemas.PIN)
                .addValues(3L, "u-3", "Title", "Desc", 1_500L, "Poster", "a,b", "image", IMAGE, "/data/art", "art")
                .build(),
            Row.withSchema(RecordSchemas.PIN)
                .addValues(4L, "u-4", "Title", "Desc", 6_000_000L, "Poster", "a,b", "image", IMAGE, "/data/art", "art")
                .build(),
            Row.withSchema(RecordSchemas.PIN)
                .addValues(5L, "u-5", "Title", "Desc", 15_000_000L, "Poster", "a,b", "image", IMAGE, "/data/art", "art")
                .build(),
            Row.withSchema(RecordSchemas.PIN)
                .addValues(6L, "u-6", "Title", "Desc", 1_235L, "Poster", "a,b", "image", IMAGE, "/data/art", "art")
                .build(),
            Row.withSchema(RecordSchemas.PIN)
                .addValues(7L, "u-7", "Title", "Desc", 5L, "Poster", "a,b", "image", IMAGE, "/data/art", "art")
                .build());
    assertReport(
        out,
        RecordKind.PIN,
        "read=7 cleaned=7 dead_lettered=0 duplicates=0 conflicts=0 nulled={} rules={"
            + "follower_count_digits_to_number=2, follower_count_millions_to_number=2,"
            + " follower_count_thousands_to_number=3, save_location_prefix_stripped=7} unknown_fields={}");
    p.run().waitUntilFinish();
  }

  @Test
  public void pinWithUnparseableFollowerCountHasNullCountAndIsCounted() {
    assertCleansTo(
        pin(1, "follower_count", "lots"),
        Row.withSchema(RecordSchemas.PIN)
            .addValues(1L, "u-1", "Title", "Desc", null, "Poster", "a,b", "image", IMAGE, "/data/art", "art")
            .build(),
        "read=1 cleaned=1 dead_lettered=0 duplicates=0 conflicts=0"
            + " nulled={follower_count={unparseable_follower_count=1}}"
            + " rules={save_location_prefix_stripped=1} unknown_fields={}");
  }

  @Test
  public void blankStringInAnyFieldBecomesNull() {
    assertCleansTo(
        pin(1, "unique_id", " ", "poster_name", "\t", "follower_count", "  ", "category", ""),
        Row.withSchema(RecordSchemas.PIN)
            .addValues(1L, null, "Title", "Desc", null, null, "a,b", "image", IMAGE, "/data/art", null)
            .build(),
        oneCleanedReport(
            "category_blank_to_null=1, follower_count_blank_to_null=1, poster_name_blank_to_null=1,"
                + " save_location_prefix_stripped=1, unique_id_blank_to_null=1"));
  }

  @Test
  public void pinValuesAreNotTrimmed() {
    assertCleansTo(
        pin(1, "title", " Title ", "category", "art "),
        Row.withSchema(RecordSchemas.PIN)
            .addValues(1L, "u-1", " Title ", "Desc", 437L, "Poster", "a,b", "image", IMAGE, "/data/art", "art ")
            .build(),
        oneCleanedReport(DEFAULT_PIN_RULES));
  }

  @Test
  public void pinWithOnlyARowNumberIsKeptWithNullFieldsCountedMissing() {
    assertCleansTo(
        "{\"index\": 9}",
        Row.withSchema(RecordSchemas.PIN)
            .addValues(9L, null, null, null, null, null, null, null, null, null, null)
            .build(),
        "read=1 cleaned=1 dead_lettered=0 duplicates=0 conflicts=0 nulled={"
            + "category={missing=1}, description={missing=1}, downloaded={missing=1},"
            + " follower_count={missing=1}, image_src={missing=1}, is_image_or_video={missing=1},"
            + " poster_name={missing=1}, save_location={missing=1}, tag_list={missing=1},"
            + " title={missing=1}, unique_id={missing=1}} rules={} unknown_fields={}");
  }

  @Test
  public void pinFieldsOfTheWrongTypeAreNulledAndCounted() {
    assertCleansTo(
        pin(1,
            "title", Map.of("text", "t"),
            "tag_list", List.of("a", "b"),
            "downloaded", "yes",
            "category", ABSENT),
        Row.withSchema(RecordSchemas.PIN)
            .addValues(1L, "u-1", null, "Desc", 437L, "Poster", null, "image", IMAGE, "/data/art", null)
            .build(),
        "read=1 cleaned=1 dead_lettered=0 duplicates=0 conflicts=0 nulled={"
            + "category={missing=1}, downloaded={not_a_number=1}, tag_list={wrong_type=1},"
            + " title={wrong_type=1}} rules={" + DEFAULT_PIN_RULES + "} unknown_fields={}");
  }
}
