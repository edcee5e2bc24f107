package io.pinpipe.transforms.schema;

import org.apache.beam.sdk.schemas.Schema;

/** The three record kinds of one posting event, with their row-number field and schemas. */
public enum RecordKind {
  PIN("pin", "index", RecordSchemas.PIN_PARSED, RecordSchemas.PIN),
  GEO("geo", "ind", RecordSchemas.GEO_PARSED, RecordSchemas.GEO),
  USER("user", "ind", RecordSchemas.USER_PARSED, RecordSchemas.USER);

  private final String id;
  private final String rowNumberField;
  private final Schema parsedSchema;
  private final Schema cleanSchema;

  RecordKind(String id, String rowNumberField, Schema parsedSchema, Schema cleanSchema) {
    this.id = id;
    this.rowNumberField = rowNumberField;
    this.parsedSchema = parsedSchema;
    this.cleanSchema = cleanSchema;
  }

  /** Lower-case name used in topics ({@code <prefix>.pin}), table folders and reports. */
  public String id() {
    return id;
  }

  /** {@code index} for pins, {@code ind} for geo and user records (the original's naming). */
  public String rowNumberField() {
    return rowNumberField;
  }

  public Schema parsedSchema() {
    return parsedSchema;
  }

  public Schema cleanSchema() {
    return cleanSchema;
  }

  public static RecordKind fromId(String id) {
    for (RecordKind kind : values()) {
      if (kind.id.equals(id)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown record kind '" + id + "' (expected pin, geo or user)");
  }
}
