package io.canal4j;

import io.canal4j.schema.Position;

/**
 * The server moved on to a new binlog file.
 *
 * @param nextFile the new file's name
 * @param position where reading continues: the start of {@code nextFile}
 */
public record RotateEvent(String nextFile, Position position) {}
