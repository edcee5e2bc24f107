package io.pinpipe.emulator.generate;

/**
 * A recurring poster. In the real sample a poster name always comes with one follower count, one
 * person (first and last name, age, date joined) and one place (coordinates and country), so
 * they are one entity here, posting mostly in its home category.
 */
record Account(
    String posterName,
    String followerCount,
    String firstName,
    String lastName,
    int age,
    String dateJoined,
    String latitude,
    String longitude,
    String country,
    String homeCategory) {}
