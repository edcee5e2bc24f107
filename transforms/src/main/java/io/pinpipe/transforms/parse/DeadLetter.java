package io.pinpipe.transforms.parse;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A record that could not be parsed (docs/semantics.md#cleaning-per-kind):
 * its kind, origin, a readable reason, and the
 * payload, as text when it was valid UTF-8 and base64-encoded when it was not.
 */
@DefaultSchema(JavaFieldSchema.class)
public final class DeadLetter implements Serializable {
  public final String kind;
  public final String origin;
  public final String reason;
  public final @Nullable String payload;

  @SchemaFieldName("payload_base64")
  public final @Nullable String payloadBase64;

  @SchemaCreate
  public DeadLetter(
      String kind,
      String origin,
      String reason,
      @Nullable String payload,
      @Nullable String payloadBase64) {
    this.kind = kind;
    this.origin = origin;
    this.reason = reason;
    this.payload = payload;
    this.payloadBase64 = payloadBase64;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DeadLetter)) {
      return false;
    }
    DeadLetter d = (DeadLetter) o;
    return kind.equals(d.kind)
        && origin.equals(d.origin)
        && reason.equals(d.reason)
        && Objects.equals(payload, d.payload)
        && Objects.equals(payloadBase64, d.payloadBase64);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, origin, reason, payload, payloadBase64);
  }

  @Override
  public String toString() {
    return "DeadLetter{" + kind + " " + origin + ": " + reason + "}";
  }
}
