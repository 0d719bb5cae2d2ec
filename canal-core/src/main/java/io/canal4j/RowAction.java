package io.canal4j;

/** What happened to the rows of a {@link RowsEvent}. */
public enum RowAction {
  /** Rows inserted; each change has only an after image. */
  INSERT,
  /** Rows updated; each change has a before and an after image. */
  UPDATE,
  /** Rows deleted; each change has only a before image. */
  DELETE,
  /** Existing rows read by the initial snapshot; each change has only an after image. */
  SNAPSHOT
}
