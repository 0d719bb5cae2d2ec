package io.canal4j.schema.internal.ddl;

/**
 * A DDL statement that may change a table's layout could not be understood, so the tables it
 * touches cannot be derived from the statement. The message names what was not understood and shows
 * the statement around that point. When {@link DdlParser#apply} throws this, it has not changed its
 * {@link DdlTarget}.
 */
public final class DdlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DdlException(String message) {
    super(message);
  }
}
