package io.pinpipe.pipelines.check;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.pinpipe.pipelines.check.DuckDbReference.Options;
import io.pinpipe.transforms.results.QueryOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Proves the DuckDB reference itself: on a small hand-written archive, each of the nine CSV texts
 * equals what was worked out by hand (the derivations are in the comments next to the expected rows).
 *
 * <p>The fixture has placeholders, "User Info Error", follower counts in every form ("1.5k", "26k",
 * "6M", "437", " 90 ", "5.9995M", "2.5", "1.2345k"), space and ISO datetimes with and without offsets,
 * exact duplicates (also in another key order, with "1" for 1, with an unknown extra field), conflicting
 * records sharing a row number, nulls and blanks, ties, recurring persons, ages 17/18/24/25/35/36/50/51,
 * years at the option bounds, records the pipeline dead-letters, CRLF lines, a blank line, a
 * pretty-printed single-object file and a {@code dt=} level.
 */
public class DuckDbReferenceTest {

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static Path root;

  // Clean events (ind: pin category / poster / follower_count | geo country / UTC year | user):
  //  1: art    Bored Panda      1500     | Albania 2018       | Ann Lee 17, joined 2015
  //  2: art    Bored Panda      26000    | Albania 2022       | Bob Stone 18, 2020-12-31T23:59:59
  //  3: beauty The "Best" Blog  6000000  | Albania 2017       | Ann Lee 17, 2015 (ISO form: same person)
  //  4: beauty null (UIE)       null     | Albania 2022 (2023-01-01T00:30+01:00) | Cid Roe 24, 2016
  //  5: diy    Mamas Uncut      437      | Korea 2019         | Dee Fox 25, 2016
  //  6: diy    Mamas Uncut      437      | Korea 2019         | Eve Kim 35, 2017
  //  7: travel Globe            6000000  | Korea 2020         | Fay Orr 36, 2017 (+02:00)
  //  8: travel Globe            5999500  | Chile 2020         | Gus Poe 50 (50.0), 2018
  //  9: null   Tiny             12       | Chile 2021         | Hal Ng 51, 2019
  // 10: art    Zed              3        | Chile 2021 AND Zambia 2021 (conflict) | Ivy Day 36, 2014
  // 11: beauty Zed              1235     | Zambia, no year    | Jo Park 24 AND Jo Park 51 (conflict), 2020 (2021-01-01T01:00+02:00)
  // 12: art    Kay              null     | blank country 2018 | Lu, age null, 2018
  // 13: beauty Kay              90       | -                  | Mo Tan 51 ("51"), joined null
  // 14: art    Nobody           1000000  | -                  | -
  // 15: -                                | Chile 2019         | Ann Lee 17, 2015
  // 16: travel Ace              5999500  | Chile 2016         | -
  // 17: -                                | -                  | Lu, age null, 2018 (same person as 12)
  // 18: diy    null (UIE)       9000000  | Zambia 2016        | -

  private static final String PIN_PARTITION_0 =
      String.join(
          "\n",
          "{\"index\": 1, \"unique_id\": \"0a1b-1\", \"title\": \"Glowing drawings\", \"description\": \"Pencil art\", \"poster_name\": \"Bored Panda\", \"follower_count\": \"1.5k\", \"tag_list\": \"Art,Drawing\", \"is_image_or_video\": \"image\", \"image_src\": \"https://i.pinimg.com/1.jpg\", \"downloaded\": 1, \"save_location\": \"Local save in /data/art\", \"category\": \"art\"}",
          "{\"index\": 2, \"unique_id\": \"0a1b-2\", \"title\": \"Brush tips\", \"description\": \"No description available\", \"poster_name\": \"Bored Panda\", \"follower_count\": \"26k\", \"tag_list\": \"Art\", \"is_image_or_video\": \"image\", \"image_src\": \"https://i.pinimg.com/2.jpg\", \"downloaded\": 1, \"save_location\": \"Local save in /data/art\", \"category\": \"art\"}",
          "{\"index\": 3, \"unique_id\": \"0a1b-3\", \"title\": \"No Title Data Available\", \"description\": \"No description available Story format\", \"poster_name\": \"The \\\"Best\\\" Blog\", \"follower_count\": \"6M\", \"tag_list\": \"N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e\", \"is_image_or_video\": \"multi-video(story page format)\", \"image_src\": \"Image src error.\", \"downloaded\": 0, \"save_location\": \"Local save in /data/beauty\", \"category\": \"beauty\"}",
          "{\"index\": 4, \"unique_id\": \"0a1b-4\", \"title\": \"Nails\", \"description\": \"Untitled\", \"poster_name\": \"User Info Error\", \"follower_count\": \"User Info Error\", \"tag_list\": \"Nails\", \"is_image_or_video\": \"image\", \"image_src\": \"https://i.pinimg.com/4.jpg\", \"downloaded\": 1, \"save_location\": \"Local save in /data/beauty\", \"category\": \"beauty\"}",
          "[1, 2]",
          "{\"index\": 5, \"unique_id\": \"0a1b-5\", \"title\": \"Shelf\", \"poster_name\": \"Mamas Uncut\", \"follower_count\": \"437\", \"category\": \"diy\"}",
          "{\"index\": 6, \"unique_id\": \"0a1b-6\", \"title\": \"Lamp\", \"poster_name\": \"Mamas Uncut\", \"follower_count\": \"437\", \"category\": \"diy\"}",
          // Dead letter: the row number is a string. Kept, it would put Ghost on top of Korea.
          "{\"index\": \"7\", \"unique_id\": \"0a1b-7x\", \"poster_name\": \"Ghost\", \"follower_count\": \"99M\", \"category\": \"diy\"}",
          "{\"index\": 7, \"unique_id\": \"0a1b-7\", \"poster_name\": \"Globe\", \"follower_count\": \"6M\", \"category\": \"travel\"}",
          "",
          "{\"index\": 8.0, \"unique_id\": \"0a1b-8\", \"poster_name\": \"Globe\", \"follower_count\": \"5.9995M\", \"category\": \"travel\"}",
          "{\"index\": 9, \"unique_id\": \"0a1b-9\", \"title\": \"\", \"poster_name\": \"Tiny\", \"follower_count\": \"12\", \"category\": \"\"}",
          // Dead letter: no row number.
          "{\"unique_id\": \"0a1b-x\", \"poster_name\": \"Nobody\", \"follower_count\": \"50M\", \"category\": \"art\"}",
          "");

  private static final String PIN_PARTITION_1 =
      String.join(
          "\n",
          // Exact duplicate of row 1.
          "{\"index\": 1, \"unique_id\": \"0a1b-1\", \"title\": \"Glowing drawings\", \"description\": \"Pencil art\", \"poster_name\": \"Bored Panda\", \"follower_count\": \"1.5k\", \"tag_list\": \"Art,Drawing\", \"is_image_or_video\": \"image\", \"image_src\": \"https://i.pinimg.com/1.jpg\", \"downloaded\": 1, \"save_location\": \"Local save in /data/art\", \"category\": \"art\"}",
          // Duplicate of row 2 once parsed: other key order, "1" for 1, 2.0 for 2.
          "{\"category\": \"art\", \"save_location\": \"Local save in /data/art\", \"downloaded\": \"1\", \"image_src\": \"https://i.pinimg.com/2.jpg\", \"is_image_or_video\": \"image\", \"tag_list\": \"Art\", \"follower_count\": \"26k\", \"poster_name\": \"Bored Panda\", \"description\": \"No description available\", \"title\": \"Brush tips\", \"unique_id\": \"0a1b-2\", \"index\": 2.0}",
          "{\"index\": 10, \"unique_id\": \"0a1b-10\", \"poster_name\": \"Zed\", \"follower_count\": \"2.5\", \"category\": \"art\"}",
          "{\"index\": 11, \"unique_id\": \"0a1b-11\", \"poster_name\": \"Zed\", \"follower_count\": \"1.2345k\", \"category\": \"beauty\"}",
          "{\"index\": 12, \"unique_id\": \"0a1b-12\", \"poster_name\": \"Kay\", \"follower_count\": \"lots\", \"category\": \"art\"}",
          "{\"index\": 13, \"unique_id\": \"0a1b-13\", \"poster_name\": \"Kay\", \"follower_count\": \" 90 \", \"category\": \"beauty\"}",
          "{\"index\": 14, \"unique_id\": \"0a1b-14\", \"poster_name\": \"Nobody\", \"follower_count\": \"1M\", \"category\": \"art\"}",
          // Dead letter: the row number is not integral.
          "{\"index\": 16.5, \"unique_id\": \"0a1b-16x\", \"poster_name\": \"Half\", \"follower_count\": \"50M\", \"category\": \"travel\"}",
          "{\"index\": 16, \"unique_id\": \"0a1b-16\", \"poster_name\": \"Ace\", \"follower_count\": \"5999.5k\", \"category\": \"travel\"}",
          "{\"index\": 18, \"unique_id\": \"0a1b-18\", \"poster_name\": \"User Info Error\", \"follower_count\": \"9M\", \"category\": \"diy\"}",
          // Dead letters: malformed JSON, a string.
          "{\"index\": 19, \"category\": \"art\"",
          "\"just a string\"",
          "");

  private static final String GEO_PARTITION_0_CRLF =
      String.join(
          "\r\n",
          "{\"ind\": 1, \"timestamp\": \"2018-01-01 00:00:00\", \"latitude\": -10.5, \"longitude\": 20.25, \"country\": \"Albania\"}",
          "{\"ind\": 2, \"timestamp\": \"2022-12-31T23:59:59\", \"latitude\": -11.5, \"longitude\": 21.25, \"country\": \"Albania\"}",
          "{\"ind\": 3, \"timestamp\": \"2017-12-31 23:59:59\", \"latitude\": -12.5, \"longitude\": 22.25, \"country\": \"Albania\"}",
          "{\"ind\": 4, \"timestamp\": \"2023-01-01T00:30:00+01:00\", \"latitude\": -13.5, \"longitude\": 23.25, \"country\": \"Albania\"}",
          "{\"ind\": 5, \"timestamp\": \"2019-05-05 05:05:05\", \"latitude\": 37.5, \"longitude\": 127.0, \"country\": \"Korea, Republic of\"}",
          "{\"ind\": 5, \"timestamp\": \"2019-05-05 05:05:05\", \"latitude\": 37.5, \"longitude\": 127.0, \"country\": \"Korea, Republic of\"}",
          "{\"ind\": 6, \"timestamp\": \"2019-06-06 06:06:06\", \"latitude\": 37.6, \"longitude\": 127.1, \"country\": \"Korea, Republic of\"}",
          // Duplicate of the line above: unknown fields are ignored.
          "{\"ind\": 6, \"timestamp\": \"2019-06-06 06:06:06\", \"latitude\": 37.6, \"longitude\": 127.1, \"country\": \"Korea, Republic of\", \"extra\": true}",
          "{\"ind\": 7, \"timestamp\": \"2020-01-01 00:00:00\", \"latitude\": 37.7, \"longitude\": 127.2, \"country\": \"Korea, Republic of\"}",
          // Dead letter: not an integral row number.
          "{\"ind\": 1.5, \"timestamp\": \"2020-01-01 00:00:00\", \"latitude\": 0, \"longitude\": 0, \"country\": \"Albania\"}",
          "");

  private static final String GEO_PARTITION_1 =
      String.join(
          "\n",
          "{\"ind\": 8, \"timestamp\": \"2020-02-02 02:02:02\", \"latitude\": -33.4, \"longitude\": -70.6, \"country\": \"Chile\"}",
          "{\"ind\": 9, \"timestamp\": \"2021-01-01 00:00:00\", \"latitude\": -33.5, \"longitude\": -70.7, \"country\": \"Chile\"}",
          // Conflict: two different records for row 10.
          "{\"ind\": 10, \"timestamp\": \"2021-03-03 03:03:03\", \"latitude\": -33.6, \"longitude\": -70.8, \"country\": \"Chile\"}",
          "{\"ind\": 10, \"timestamp\": \"2021-03-03 03:03:03\", \"latitude\": -33.6, \"longitude\": -70.8, \"country\": \"Zambia\"}",
          "{\"ind\": 11, \"timestamp\": \"not a date\", \"latitude\": \"-15.4\", \"longitude\": 28.3, \"country\": \"Zambia\"}",
          "{\"ind\": 12, \"timestamp\": \"2018-05-05 05:05:05\", \"latitude\": null, \"longitude\": null, \"country\": \"  \"}",
          "{\"ind\": 15, \"timestamp\": \"2019-01-01 00:00:00\", \"latitude\": -33.7, \"longitude\": -70.9, \"country\": \"Chile\"}",
          "{\"ind\": 18, \"timestamp\": \"2016-01-01 00:00:00\", \"latitude\": -15.5, \"longitude\": 28.4, \"country\": \"Zambia\"}",
          "");

  private static final String GEO_PRETTY_PRINTED =
      "{\n"
          + "  \"ind\": 16,\n"
          + "  \"timestamp\": \"2016-06-16 16:16:16\",\n"
          + "  \"latitude\": -33.8,\n"
          + "  \"longitude\": -71.0,\n"
          + "  \"country\": \"Chile\"\n"
          + "}\n";

  private static final String USER_DAY_1 =
      String.join(
          "\n",
          "{\"ind\": 1, \"first_name\": \"Ann\", \"last_name\": \"Lee\", \"age\": 17, \"date_joined\": \"2015-01-01 00:00:00\"}",
          "{\"ind\": 2, \"first_name\": \"Bob\", \"last_name\": \"Stone\", \"age\": 18, \"date_joined\": \"2020-12-31T23:59:59\"}",
          "{\"ind\": 3, \"first_name\": \"Ann\", \"last_name\": \"Lee\", \"age\": 17, \"date_joined\": \"2015-01-01T00:00:00\"}",
          "{\"ind\": 4, \"first_name\": \"Cid\", \"last_name\": \"Roe\", \"age\": 24, \"date_joined\": \"2016-03-01 10:00:00\"}",
          "{\"ind\": 5, \"first_name\": \"Dee\", \"last_name\": \"Fox\", \"age\": 25, \"date_joined\": \"2016-03-01 10:00:00\"}",
          "{\"ind\": 5, \"first_name\": \"Dee\", \"last_name\": \"Fox\", \"age\": 25, \"date_joined\": \"2016-03-01 10:00:00\"}",
          "{\"ind\": 6, \"first_name\": \"Eve\", \"last_name\": \"Kim\", \"age\": 35, \"date_joined\": \"2017-07-07 07:07:07\"}",
          "{\"ind\": 7, \"first_name\": \"Fay\", \"last_name\": \"Orr\", \"age\": 36, \"date_joined\": \"2017-07-07T07:07:07+02:00\"}",
          // Dead letter: null row number.
          "{\"ind\": null, \"first_name\": \"Nil\", \"last_name\": \"Null\", \"age\": 30, \"date_joined\": \"2016-01-01 00:00:00\"}",
          "");

  private static final String USER_DAY_2 =
      String.join(
          "\n",
          "{\"ind\": 8, \"first_name\": \"Gus\", \"last_name\": \"Poe\", \"age\": 50.0, \"date_joined\": \"2018-08-08 08:08:08\"}",
          "{\"ind\": 9, \"first_name\": \"Hal\", \"last_name\": \"Ng\", \"age\": 51, \"date_joined\": \"2019-09-09 09:09:09\"}",
          "{\"ind\": 10, \"first_name\": \"Ivy\", \"last_name\": \"Day\", \"age\": 36, \"date_joined\": \"2014-12-31 23:59:59\"}",
          // Conflict: two different records for row 11.
          "{\"ind\": 11, \"first_name\": \"Jo\", \"last_name\": \"Park\", \"age\": 24, \"date_joined\": \"2021-01-01T01:00:00+02:00\"}",
          "{\"ind\": 11, \"first_name\": \"Jo\", \"last_name\": \"Park\", \"age\": 51, \"date_joined\": \"2021-01-01T01:00:00+02:00\"}",
          "{\"ind\": 12, \"first_name\": \"Lu\", \"last_name\": null, \"age\": \"abc\", \"date_joined\": \"2018-08-08 08:08:08\"}",
          "{\"ind\": 13, \"first_name\": \"Mo\", \"last_name\": \"Tan\", \"age\": \"51\", \"date_joined\": \"yesterday\"}",
          "{\"ind\": 15, \"first_name\": \"Ann\", \"last_name\": \"Lee\", \"age\": 17, \"date_joined\": \"2015-01-01 00:00:00\"}",
          "{\"ind\": 17, \"first_name\": \"Lu\", \"last_name\": \"\", \"age\": null, \"date_joined\": \"2018-08-08T08:08:08Z\"}",
          "");

  @BeforeClass
  public static void writeArchive() throws IOException {
    root = TMP.newFolder("archive").toPath();
    write("pin/partition=0/pinterest.pin+0+0000000000.json", PIN_PARTITION_0);
    write("pin/partition=1/pinterest.pin+1+0000000000.json", PIN_PARTITION_1);
    write("geo/partition=0/pinterest.geo+0+0000000000.json", GEO_PARTITION_0_CRLF);
    write("geo/partition=1/pinterest.geo+1+0000000000.json", GEO_PARTITION_1);
    write("geo/partition=2/pinterest.geo+2+0000000000.json", GEO_PRETTY_PRINTED);
    write("user/dt=2024-05-01/partition=0/pinterest.user+0+0000000000.json", USER_DAY_1);
    write("user/dt=2024-05-02/partition=0/pinterest.user+0+0000000009.json", USER_DAY_2);
  }

  private static void write(String kindRelative, String content) throws IOException {
    Path file = root.resolve("topics").resolve("pinterest." + kindRelative);
    Files.createDirectories(file.getParent());
    Files.write(file, content.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> reference(Options options) {
    return DuckDbReference.compute(root, "pinterest", options);
  }

  private static String csv(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  // ---- Expected outputs, defaults (ties=all, median=exact, userCount=distinct, 2018-2022, 2015-2020)

  // Albania: art 1,2 vs beauty 3,4 (tie). Chile: travel 8,16 (9 has no category, 10 art). Korea: diy
  // 5,6 (duplicates removed) vs travel 7. Zambia: art 10, beauty 11, diy 18: three-way tie.
  private static final String Q1_ALL =
      csv(
          "country,category,category_count",
          "Albania,art,2",
          "Albania,beauty,2",
          "Chile,travel,2",
          "\"Korea, Republic of\",diy,2",
          "Zambia,art,1",
          "Zambia,beauty,1",
          "Zambia,diy,1");

  // 2018: art 1,12 (blank country does not matter). 2019: diy 5,6. 2020: travel 7,8. 2021: art 10 twice
  // (conflicting geo rows). 2022: art 2 vs beauty 4 (2023-01-01T00:30+01:00 is 2022 in UTC).
  // 2017 (row 3), 2016 (16, 18) are out of range; row 11 has no timestamp.
  private static final String Q2_ALL =
      csv(
          "post_year,category,category_count",
          "2018,art,2",
          "2019,diy,2",
          "2020,travel,2",
          "2021,art,2",
          "2022,art,1",
          "2022,beauty,1");

  // Albania: 6M beats 26k and 1.5k (row 4 has neither poster nor count). Chile: Ace 5999.5k and Globe
  // 5.9995M tie at 5999500. Korea: Globe 6M. Zambia: Zed 1.2345k -> 1235 (row 18's poster is a placeholder).
  private static final String Q3A_ALL =
      csv(
          "country,poster_name,follower_count",
          "Albania,\"The \"\"Best\"\" Blog\",6000000",
          "Chile,Ace,5999500",
          "Chile,Globe,5999500",
          "\"Korea, Republic of\",Globe,6000000",
          "Zambia,Zed,1235");

  private static final String Q3B_ALL =
      csv("country,follower_count", "Albania,6000000", "\"Korea, Republic of\",6000000");

  // <18: art 1 vs beauty 3. 18-24: art 2 vs beauty 4, 11 (Jo Park 24). 25-35: diy 5,6. 36-50: travel 7,8
  // vs art 10. +50: beauty 11 (Jo Park 51), 13 ("51"); row 9 has no category.
  private static final String Q4_ALL =
      csv(
          "age_group,category,category_count",
          "<18,art,1",
          "<18,beauty,1",
          "18-24,beauty,2",
          "25-35,diy,2",
          "36-50,travel,2",
          "+50,beauty,2");

  // <18: {1500, 6000000} -> 3000750. 18-24: {26000, 1235} (row 4 null) -> 13617.5. 25-35: {437, 437}.
  // 36-50: {3, 5999500, 6000000} -> 5999500. +50: {12, 90, 1235} -> 90.
  private static final String Q5_EXACT =
      csv(
          "age_group,median_follower_count",
          "<18,3000750",
          "18-24,13617.5",
          "25-35,437",
          "36-50,5999500",
          "+50,90");

  // 2015: Ann Lee (rows 1, 3, 15: one person). 2016: Cid, Dee (duplicate removed). 2017: Eve, Fay
  // (07:07:07+02:00). 2018: Gus, Lu (rows 12 and 17: one person with a null age). 2019: Hal.
  // 2020: Bob, Jo Park 24, Jo Park 51 (2021-01-01T01:00+02:00 is 2020). 2014 (Ivy) out; Mo has no date.
  private static final String Q6_DISTINCT =
      csv(
          "post_year,number_users_joined",
          "2015,1",
          "2016,2",
          "2017,2",
          "2018,2",
          "2019,1",
          "2020,3");

  // 2015: {1500, 6000000}. 2016: {437} (row 4 null). 2017: {437, 6000000} -> 3000218.5. 2018: {5999500}
  // (row 12 null). 2019: {12}. 2020: {26000, 1235, 1235} -> 1235. Row 10 (2014) out, row 13 no date.
  private static final String Q7_EXACT =
      csv(
          "post_year,median_follower_count",
          "2015,3000750",
          "2016,437",
          "2017,3000218.5",
          "2018,5999500",
          "2019,12",
          "2020,1235");

  // 18-24/2016 holds only row 4's null count: no row.
  private static final String Q8_EXACT =
      csv(
          "age_group,post_year,median_follower_count",
          "<18,2015,3000750",
          "18-24,2020,13617.5",
          "25-35,2016,437",
          "25-35,2017,437",
          "36-50,2017,6000000",
          "36-50,2018,5999500",
          "+50,2019,12",
          "+50,2020,1235");

  @Test
  public void theIndependentCheckNamesTheContractsOutputsAndColumnsWithItsOwnLiterals() {
    // The DuckDB check keeps its own names (it shares no code with transforms/); here they are
    // held against the one contract the job, the report and the Spark SQL baseline use.
    Map<String, String> out = reference(Options.defaults());
    List<String> contract = Arrays.stream(QueryOutput.values()).map(QueryOutput::outputName).toList();
    assertEquals(contract, DuckDbReference.OUTPUT_NAMES);
    for (QueryOutput output : QueryOutput.values()) {
      String header = out.get(output.outputName()).split("\n", 2)[0];
      assertEquals(output.outputName(), String.join(",", output.schema().getFieldNames()), header);
    }
  }

  @Test
  public void theDefaultsGiveTheHandComputedNineOutputs() {
    Map<String, String> out = reference(Options.defaults());
    assertEquals(DuckDbReference.OUTPUT_NAMES, List.copyOf(out.keySet()));
    assertEquals(Q1_ALL, out.get("top_category_by_country"));
    assertEquals(Q2_ALL, out.get("top_category_by_year"));
    assertEquals(Q3A_ALL, out.get("top_user_by_country"));
    assertEquals(Q3B_ALL, out.get("top_country_by_user_followers"));
    assertEquals(Q4_ALL, out.get("top_category_by_age_group"));
    assertEquals(Q5_EXACT, out.get("median_followers_by_age_group"));
    assertEquals(Q6_DISTINCT, out.get("users_joined_by_year"));
    assertEquals(Q7_EXACT, out.get("median_followers_by_join_year"));
    assertEquals(Q8_EXACT, out.get("median_followers_by_age_group_and_join_year"));
  }

  @Test
  public void tiesFirstKeepsTheSmallestRowOfEachGroup() {
    Map<String, String> out = reference(Options.defaults().ties("first"));
    assertEquals(
        csv(
            "country,category,category_count",
            "Albania,art,2",
            "Chile,travel,2",
            "\"Korea, Republic of\",diy,2",
            "Zambia,art,1"),
        out.get("top_category_by_country"));
    assertEquals(
        csv(
            "post_year,category,category_count",
            "2018,art,2",
            "2019,diy,2",
            "2020,travel,2",
            "2021,art,2",
            "2022,art,1"),
        out.get("top_category_by_year"));
    assertEquals(
        csv(
            "country,poster_name,follower_count",
            "Albania,\"The \"\"Best\"\" Blog\",6000000",
            "Chile,Ace,5999500",
            "\"Korea, Republic of\",Globe,6000000",
            "Zambia,Zed,1235"),
        out.get("top_user_by_country"));
    assertEquals(csv("country,follower_count", "Albania,6000000"), out.get("top_country_by_user_followers"));
    assertEquals(
        csv(
            "age_group,category,category_count",
            "<18,art,1",
            "18-24,beauty,2",
            "25-35,diy,2",
            "36-50,travel,2",
            "+50,beauty,2"),
        out.get("top_category_by_age_group"));
    // Ties do not touch medians and counts.
    assertEquals(Q5_EXACT, out.get("median_followers_by_age_group"));
    assertEquals(Q6_DISTINCT, out.get("users_joined_by_year"));
    assertEquals(Q7_EXACT, out.get("median_followers_by_join_year"));
    assertEquals(Q8_EXACT, out.get("median_followers_by_age_group_and_join_year"));
  }

  @Test
  public void medianLowerTakesTheElementAtRankCeilHalfN() {
    Map<String, String> out = reference(Options.defaults().median("lower"));
    // n=2 -> rank 1 (the smaller); n=3 -> rank 2.
    assertEquals(
        csv(
            "age_group,median_follower_count",
            "<18,1500",
            "18-24,1235",
            "25-35,437",
            "36-50,5999500",
            "+50,90"),
        out.get("median_followers_by_age_group"));
    assertEquals(
        csv(
            "post_year,median_follower_count",
            "2015,1500",
            "2016,437",
            "2017,437",
            "2018,5999500",
            "2019,12",
            "2020,1235"),
        out.get("median_followers_by_join_year"));
    assertEquals(
        csv(
            "age_group,post_year,median_follower_count",
            "<18,2015,1500",
            "18-24,2020,1235",
            "25-35,2016,437",
            "25-35,2017,437",
            "36-50,2017,6000000",
            "36-50,2018,5999500",
            "+50,2019,12",
            "+50,2020,1235"),
        out.get("median_followers_by_age_group_and_join_year"));
    assertEquals(Q1_ALL, out.get("top_category_by_country"));
    assertEquals(Q6_DISTINCT, out.get("users_joined_by_year"));
  }

  @Test
  public void userCountRowsCountsCleanedUserRecords() {
    Map<String, String> out = reference(Options.defaults().userCount("rows"));
    // 2015: rows 1, 3, 15. 2016: 4, 5 (its exact duplicate once). 2018: 8, 12, 17. 2020: 2, 11, 11.
    assertEquals(
        csv(
            "post_year,number_users_joined",
            "2015,3",
            "2016,2",
            "2017,2",
            "2018,3",
            "2019,1",
            "2020,3"),
        out.get("users_joined_by_year"));
    assertEquals(Q7_EXACT, out.get("median_followers_by_join_year"));
  }

  @Test
  public void yearRangesAreInclusiveAndLeaveTheOtherQueriesAlone() {
    Map<String, String> out = reference(Options.defaults().postYears(2019, 2020).joinYears(2016, 2016));
    assertEquals(
        csv("post_year,category,category_count", "2019,diy,2", "2020,travel,2"),
        out.get("top_category_by_year"));
    assertEquals(csv("post_year,number_users_joined", "2016,2"), out.get("users_joined_by_year"));
    assertEquals(csv("post_year,median_follower_count", "2016,437"), out.get("median_followers_by_join_year"));
    assertEquals(
        csv("age_group,post_year,median_follower_count", "25-35,2016,437"),
        out.get("median_followers_by_age_group_and_join_year"));
    // The year options do not touch the other queries.
    assertEquals(Q1_ALL, out.get("top_category_by_country"));
    assertEquals(Q3A_ALL, out.get("top_user_by_country"));
    assertEquals(Q5_EXACT, out.get("median_followers_by_age_group"));
  }

  @Test
  public void aKindWithoutAFolderIsAnError() throws IOException {
    Path empty = TMP.newFolder("empty").toPath();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DuckDbReference.compute(empty, "pinterest", Options.defaults()));
    assertEquals(true, e.getMessage().contains("no archived pin records"));
  }

  @Test
  public void csvNumbersArePlainDecimalsAndTextIsQuotedPerRfc4180() {
    assertEquals("59500", CsvText.number(59500.0));
    assertEquals("15000000", CsvText.number(15_000_000.0));
    assertEquals("59500.5", CsvText.number(59500.5));
    assertEquals("0", CsvText.number(0.0));
    assertEquals("12345678901", CsvText.number(12345678901.0));
    assertEquals("0.25", CsvText.number(0.25));
    assertEquals("plain", CsvText.field("plain"));
    assertEquals("\"a,b\"", CsvText.field("a,b"));
    assertEquals("\"say \"\"hi\"\"\"", CsvText.field("say \"hi\""));
    assertEquals("\"two\nlines\"", CsvText.field("two\nlines"));
    assertEquals("\"cr\rhere\"", CsvText.field("cr\rhere"));
  }

  @Test
  public void sqlScriptSplitsOnSemicolonsOutsideQuotesAndComments() {
    assertEquals(
        List.of("SELECT 'a;b' AS \"x;y\"", "SELECT 2"),
        SqlScript.split("-- a comment; still a comment\nSELECT 'a;b' AS \"x;y\";\n\nSELECT 2; -- tail\n"));
  }
}
