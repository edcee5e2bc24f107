package io.pinpipe.transforms.testing;

import io.pinpipe.transforms.join.PinGeoJoin;
import io.pinpipe.transforms.join.PinUserJoin;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/** Puts clean records into a test pipeline and joins them as the queries expect their input. */
public final class QueryInputs {
  private QueryInputs() {}

  public static PCollection<Row> pins(Pipeline pipeline, List<Row> pins) {
    return pipeline.apply("CreatePins", Create.of(pins).withRowSchema(RecordSchemas.PIN));
  }

  public static PCollection<Row> geos(Pipeline pipeline, List<Row> geos) {
    return pipeline.apply("CreateGeos", Create.of(geos).withRowSchema(RecordSchemas.GEO));
  }

  public static PCollection<Row> users(Pipeline pipeline, List<Row> users) {
    return pipeline.apply("CreateUsers", Create.of(users).withRowSchema(RecordSchemas.USER));
  }

  /** pin⋈geo of the records, through {@link PinGeoJoin}. */
  public static PCollection<Row> pinGeo(Pipeline pipeline, List<Row> pins, List<Row> geos) {
    return PinGeoJoin.inputs(pins(pipeline, pins), geos(pipeline, geos))
        .apply("JoinPinsWithGeos", PinGeoJoin.create());
  }

  /** pin⋈user of the records, through {@link PinUserJoin}. */
  public static PCollection<Row> pinUser(Pipeline pipeline, List<Row> pins, List<Row> users) {
    return PinUserJoin.inputs(pins(pipeline, pins), users(pipeline, users))
        .apply("JoinPinsWithUsers", PinUserJoin.create());
  }
}
