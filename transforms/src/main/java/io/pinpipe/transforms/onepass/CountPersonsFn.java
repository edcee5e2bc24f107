package io.pinpipe.transforms.onepass;

import io.pinpipe.transforms.queries.PinterestQueries;
import io.pinpipe.transforms.queries.UsersJoinedByYear;
import java.util.HashMap;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * q6's distinct persons of one shard, counted per joining year and settled into a partial: the
 * shards split persons by their key, so their counts add up to the exact distinct count.
 */
final class CountPersonsFn extends DoFn<KV<Integer, Iterable<PersonPack>>, WindowPartial> {
  private final PinterestQueries queries;

  CountPersonsFn(PinterestQueries queries) {
    this.queries = queries;
  }

  @ProcessElement
  public void process(@Element KV<Integer, Iterable<PersonPack>> shard, OutputReceiver<WindowPartial> out) {
    UsersJoinedByYear q6 = queries.usersJoinedByYear();
    UsersJoinedByYear.Users users = q6.createAccumulator();
    for (PersonPack pack : shard.getValue()) {
      for (int i = 0; i < pack.size(); i++) {
        q6.addPerson(users, pack.year(i), pack.person(i));
      }
    }
    out.output(new WindowPartial(queries.withUsersJoinedByYear(q6.settle(users)), new HashMap<>()));
  }
}
