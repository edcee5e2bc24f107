package io.pinpipe.emulator.generate;

import io.pinpipe.emulator.generate.ReferenceStatistics.PinProfile;
import io.pinpipe.emulator.generate.ReferenceStatistics.Placeholder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The synthetic replacement of the original emulator's MySQL rows: an endless, deterministic
 * stream of posting events whose pin, geo and user records look like the real ones
 * (docs/semantics.md#cleaning-per-kind),
 * with the real sample's dirty values, formats, distributions and recurring
 * persons.
 *
 * <p>Event {@code i} is a pure function of (seed, i) ({@link #postAt}); {@link #next()} emits
 * events {@code firstIndex, firstIndex + 1, ...} and, when a duplicate rate is set, sends some
 * of them a second time, identically, 0 to 7 events later. Memory stays bounded: nothing is
 * remembered but the few resends still due. Not thread-safe.
 */
public final class PostGenerator {
  /** A resend follows its original after 0..7 fresh events, as a producer retry would. */
  static final int MAX_RESEND_DELAY = 8;

  private static final long TIMESTAMP_FROM = Timestamps.epochSecond(ReferenceStatistics.TIMESTAMP_FROM);
  private static final long TIMESTAMP_UNTIL =
      Timestamps.epochSecond(ReferenceStatistics.TIMESTAMP_UNTIL);

  private static final WeightedTable<PinProfile> PROFILES = profiles();
  private static final WeightedTable<String> CATEGORIES =
      new WeightedTable<>(ReferenceStatistics.CATEGORIES, ReferenceStatistics.CATEGORY_ROWS);
  private static final WeightedTable<String> IMAGE_EXTENSIONS =
      new WeightedTable<>(
          ReferenceStatistics.IMAGE_EXTENSIONS, ReferenceStatistics.IMAGE_EXTENSION_ROWS);
  private static final WeightedTable<String> VIDEO_ENDINGS =
      new WeightedTable<>(
          ReferenceStatistics.VIDEO_THUMBNAIL_ENDINGS,
          ReferenceStatistics.VIDEO_THUMBNAIL_ENDING_ROWS);
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final long seed;
  private final GeneratorSettings settings;
  private final Accounts accounts;
  private final TextComposer text;
  private final PriorityQueue<Resend> resends = new PriorityQueue<>();
  private long nextIndex;
  private long freshEmitted;
  private long resentEmitted;

  public PostGenerator(long seed) {
    this(seed, GeneratorSettings.defaults());
  }

  public PostGenerator(long seed, GeneratorSettings settings) {
    this.seed = seed;
    this.settings = settings;
    Vocabulary vocabulary = Vocabulary.get();
    this.accounts = new Accounts(seed, vocabulary, CATEGORIES);
    this.text = new TextComposer(vocabulary);
    this.nextIndex = settings.firstIndex();
  }

  /** The next event to send: a resend that is due, else the next fresh event. */
  public GeneratedPost next() {
    Resend due = resends.peek();
    if (due != null && due.afterFresh <= freshEmitted) {
      resends.poll();
      resentEmitted++;
      return due.post;
    }
    GeneratedPost fresh = postAt(nextIndex);
    freshEmitted++;
    scheduleResend(fresh);
    nextIndex++;
    return fresh;
  }

  /**
   * The resends still due, in the order {@link #next()} would have sent them; afterwards none is
   * pending. A run that stops after N fresh events calls this so that every chosen event is
   * really sent twice.
   */
  public List<GeneratedPost> drainResends() {
    List<GeneratedPost> out = new ArrayList<>(resends.size());
    while (!resends.isEmpty()) {
      out.add(resends.poll().post);
    }
    resentEmitted += out.size();
    return out;
  }

  /** Fresh events emitted so far (distinct row numbers). */
  public long freshCount() {
    return freshEmitted;
  }

  /** Resends emitted so far. */
  public long resentCount() {
    return resentEmitted;
  }

  public GeneratorSettings settings() {
    return settings;
  }

  /** The event with row number {@code index}, the same in every run with this seed. */
  public GeneratedPost postAt(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("row numbers are >= 0, got " + index);
    }
    SplittableRandom random = SeededRandom.of(seed, SeededRandom.Purpose.EVENT, index);
    PinProfile profile = PROFILES.pick(random);
    boolean userInfoError = profile.has(Placeholder.USER_INFO_ERROR);
    Account account =
        userInfoError ? accounts.errorAccount() : accounts.account(accounts.accountOf(index));
    String category =
        !userInfoError && random.nextDouble() < ReferenceStatistics.HOME_CATEGORY_SHARE
            ? account.homeCategory()
            : CATEGORIES.pick(random);
    String media = media(profile, random);
    boolean imageSrcError = profile.has(Placeholder.IMAGE_SRC_ERROR);

    String pin =
        new PythonJson(1024)
            .field("index", index)
            .field("unique_id", uuid(random))
            .field("title", title(profile, category, random))
            .field("description", description(profile, category, random))
            .field("poster_name", account.posterName())
            .field("follower_count", account.followerCount())
            .field(
                "tag_list",
                profile.has(Placeholder.NO_TAGS)
                    ? Placeholder.NO_TAGS.text
                    : text.tagList(category, random))
            .field("is_image_or_video", media)
            .field("image_src", imageSrcError ? Placeholder.IMAGE_SRC_ERROR.text : imageSrc(media, random))
            .field("downloaded", imageSrcError ? 0 : 1)
            .field("save_location", "Local save in /data/" + category)
            .field("category", category)
            .build();
    String geo =
        new PythonJson(128)
            .field("ind", index)
            .field(
                "timestamp",
                Timestamps.format(TIMESTAMP_FROM + random.nextLong(TIMESTAMP_UNTIL - TIMESTAMP_FROM)))
            .rawNumber("latitude", account.latitude())
            .rawNumber("longitude", account.longitude())
            .field("country", account.country())
            .build();
    String user =
        new PythonJson(128)
            .field("ind", index)
            .field("first_name", account.firstName())
            .field("last_name", account.lastName())
            .field("age", account.age())
            .field("date_joined", account.dateJoined())
            .build();
    return new GeneratedPost(index, pin, geo, user);
  }

  private String title(PinProfile profile, String category, SplittableRandom random) {
    if (profile.has(Placeholder.NO_TITLE)) {
      return Placeholder.NO_TITLE.text;
    }
    if (profile.has(Placeholder.EMPTY_TITLE)) {
      return Placeholder.EMPTY_TITLE.text;
    }
    return text.title(category, random);
  }

  private String description(PinProfile profile, String category, SplittableRandom random) {
    for (Placeholder p :
        Arrays.asList(Placeholder.STORY, Placeholder.NO_DESCRIPTION, Placeholder.UNTITLED)) {
      if (profile.has(p)) {
        return p.text;
      }
    }
    return text.description(category, random);
  }

  /** Story pins are exactly those with the story placeholder; 3.3% of the others are videos. */
  private static String media(PinProfile profile, SplittableRandom random) {
    if (profile.has(Placeholder.STORY)) {
      return "multi-video(story page format)";
    }
    return random.nextInt(ReferenceStatistics.NON_STORY_ROWS) < ReferenceStatistics.VIDEO_ROWS
        ? "video"
        : "image";
  }

  /**
   * "https://i.pinimg.com/originals/0c/37/fa/0c37fa....jpg" for images; videos and stories show a
   * thumbnail, "https://i.pinimg.com/videos/thumbnails/originals/1f/5e/ed/1f5eed....0000001.jpg".
   */
  private static String imageSrc(String media, SplittableRandom random) {
    String hash = hex(random.nextLong()) + hex(random.nextLong());
    String folders =
        hash.substring(0, 2) + "/" + hash.substring(2, 4) + "/" + hash.substring(4, 6) + "/";
    if (media.equals("image")) {
      return "https://i.pinimg.com/originals/" + folders + hash + IMAGE_EXTENSIONS.pick(random);
    }
    String ending = media.equals("video") ? VIDEO_ENDINGS.pick(random) : ".0000001.jpg";
    return "https://i.pinimg.com/videos/thumbnails/originals/" + folders + hash + ending;
  }

  /** A random (version 4) UUID, lowercase like Python's str(uuid.uuid4()). */
  private static String uuid(SplittableRandom random) {
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    String h = hex(high);
    String l = hex(low);
    return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12) + "-"
        + l.substring(0, 4) + "-" + l.substring(4);
  }

  private static String hex(long value) {
    char[] out = new char[16];
    for (int i = 15; i >= 0; i--) {
      out[i] = HEX[(int) (value & 0xf)];
      value >>>= 4;
    }
    return new String(out);
  }

  private void scheduleResend(GeneratedPost post) {
    double rate = settings.duplicateRate();
    if (rate == 0) {
      return;
    }
    // keyed by row number only, so a higher rate resends a superset of a lower rate's events
    SplittableRandom random = SeededRandom.of(seed, SeededRandom.Purpose.RESEND, post.index());
    if (random.nextDouble() < rate) {
      resends.add(new Resend(freshEmitted + random.nextInt(MAX_RESEND_DELAY), nextIndex, post));
    }
  }

  private static WeightedTable<PinProfile> profiles() {
    PinProfile[] all = PinProfile.values();
    long[] rows = new long[all.length];
    for (int i = 0; i < all.length; i++) {
      rows[i] = all[i].rows;
    }
    return new WeightedTable<>(Arrays.asList(all), rows);
  }

  /** A post to send again once {@code afterFresh} fresh events have gone out. */
  private static final class Resend implements Comparable<Resend> {
    final long afterFresh;
    final long order;
    final GeneratedPost post;

    Resend(long afterFresh, long order, GeneratedPost post) {
      this.afterFresh = afterFresh;
      this.order = order;
      this.post = post;
    }

    @Override
    public int compareTo(Resend o) {
      int c = Long.compare(afterFresh, o.afterFresh);
      return c != 0 ? c : Long.compare(order, o.order);
    }
  }
}
