package io.pinpipe.contract;

/**
 * The three record kinds of one posting event (docs/design.md#data-contract): the emulator posts one record
 * of each, and the jobs read, clean and join them. Their schemas are the transforms' ({@code
 * transforms/.../schema/RecordSchemas}).
 */
public enum RecordKind {
  PIN("pin", "index"),
  GEO("geo", "ind"),
  USER("user", "ind");

  private final String id;
  private final String rowNumberField;

  RecordKind(String id, String rowNumberField) {
    this.id = id;
    this.rowNumberField = rowNumberField;
  }

  /** Lower-case name: topics are {@code <prefix>.<id>}, streams {@code streaming-<prefix>-<id>}, tables are named after it. */
  public String id() {
    return id;
  }

  /** {@code index} for pins, {@code ind} for geo and user records (the original's naming). */
  public String rowNumberField() {
    return rowNumberField;
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
