package io.pinpipe.bench.jmh;

import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.contract.RecordKind;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Raw records of each kind shaped like the emulator's (docs/semantics.md#cleaning-per-kind),
 * written for the benchmarks:
 * typical values and the variants the cleaning rules handle (follower counts with k/M suffixes and
 * the error placeholder, numbers as strings, the save-location prefix, one-part names), so the
 * measured path is the one real data takes. Several records per kind keep call sites polymorphic
 * enough that the JIT does not specialise on one record.
 */
final class RecordSamples {
  private RecordSamples() {}

  static final List<String> PINS =
      List.of(
          "{\"index\": 7528, \"unique_id\": \"fbe53c66-3442-4773-b19e-d3ec6f54dddf\", \"title\": \"No Title Data Available\", \"description\": \"No description available Story format\", \"poster_name\": \"User Info Error\", \"follower_count\": \"User Info Error\", \"tag_list\": \"N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e\", \"is_image_or_video\": \"multi-video(story page format)\", \"image_src\": \"Image src error.\", \"downloaded\": 0, \"save_location\": \"Local save in /data/mens-fashion\", \"category\": \"mens-fashion\"}",
          "{\"index\": 2863, \"unique_id\": \"9bf39437-42a6-4f02-99a0-9a0383d8cd70\", \"title\": \"25 Super Fun Summer Crafts for Kids - Of Life and Lisa\", \"description\": \"Keep the kids busy this summer with these easy diy crafts and projects.\", \"poster_name\": \"Of Life & Lisa | Lifestyle Blog\", \"follower_count\": \"124k\", \"tag_list\": \"Summer Crafts For Kids,Fun Diy Crafts,Summer Kids\", \"is_image_or_video\": \"image\", \"image_src\": \"https://i.pinimg.com/originals/b3/bc/e2/b3bce2964e8c8975387b39fb1d5aa9d6.jpg\", \"downloaded\": 1, \"save_location\": \"Local save in /data/diy-and-crafts\", \"category\": \"diy-and-crafts\"}",
          "{\"index\": 5730, \"unique_id\": \"1e1f0c8b-9fcf-460b-9154-c775827206eb\", \"title\": \"Island Oasis Coupon Organizer\", \"description\": \"Cute organizer for coupons and receipts.\", \"poster_name\": \"Coupons Keeper\", \"follower_count\": \"1M\", \"tag_list\": \"Organizers,Coupon Binder\", \"is_image_or_video\": \"image\", \"image_src\": \"https://i.pinimg.com/originals/ab/12/cd/ab12cd34ef56ab78cd90ef12ab34cd56.jpg\", \"downloaded\": 1, \"save_location\": \"Local save in /data/finance\", \"category\": \"finance\"}",
          "{\"index\": 10794, \"unique_id\": \"c4bd2577-a7bb-4409-bb7a-17d5ed7e1cf1\", \"title\": \"Quotes to live by\", \"description\": \"Words for every day\", \"poster_name\": \"Daily Words\", \"follower_count\": 912, \"tag_list\": \"Quotes,Life\", \"is_image_or_video\": \"image\", \"image_src\": \"https://i.pinimg.com/originals/00/11/22/00112233445566778899aabbccddeeff.jpg\", \"downloaded\": \"1\", \"save_location\": \"Local save in /data/quotes\", \"category\": \"quotes\"}");

  static final List<String> GEOS =
      List.of(
          "{\"ind\": 7528, \"timestamp\": \"2020-08-28 03:52:47\", \"latitude\": -89.9787, \"longitude\": -173.293, \"country\": \"Albania\"}",
          "{\"ind\": 2863, \"timestamp\": \"2020-04-27 13:34:16\", \"latitude\": -5.34445, \"longitude\": -177.924, \"country\": \"Armenia\"}",
          "{\"ind\": 5730, \"timestamp\": \"2021-04-19 17:37:03\", \"latitude\": \"-77.015\", \"longitude\": -101.437, \"country\": \"Colombia\"}",
          "{\"ind\": 10794, \"timestamp\": \"2022-01-01 02:26:50\", \"latitude\": -89.5236, \"longitude\": -154.567, \"country\": \" \"}");

  static final List<String> USERS =
      List.of(
          "{\"ind\": 7528, \"first_name\": \"Abigail\", \"last_name\": \"Ali\", \"age\": 20, \"date_joined\": \"2015-10-24 11:23:51\"}",
          "{\"ind\": 2863, \"first_name\": \"Dylan\", \"last_name\": \"Holmes\", \"age\": \"32\", \"date_joined\": \"2016-10-23 14:06:51\"}",
          "{\"ind\": 5730, \"first_name\": \"Rachel\", \"last_name\": \"Davis\", \"age\": 36, \"date_joined\": \"2015-12-08 20:02:43\"}",
          "{\"ind\": 10794, \"first_name\": \"Thomas\", \"last_name\": \"\", \"age\": 36.0, \"date_joined\": \"2016-12-22 00:02:02\"}");

  static List<String> of(RecordKind kind) {
    switch (kind) {
      case PIN:
        return PINS;
      case GEO:
        return GEOS;
      default:
        return USERS;
    }
  }

  static RawRecord[] raw(RecordKind kind) {
    return of(kind).stream()
        .map(json -> RawRecord.of("bench", json.getBytes(StandardCharsets.UTF_8)))
        .toArray(RawRecord[]::new);
  }
}
