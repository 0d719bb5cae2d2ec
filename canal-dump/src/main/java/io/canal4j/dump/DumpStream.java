package io.canal4j.dump;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the SQL text a dump tool writes, as a stream: every {@code INSERT} becomes rows of cells,
 * and the comment lines that carry the binlog position (and the GTID position) are remembered.
 *
 * <h2>Design</h2>
 *
 * <p>One pass over the bytes with a 64 KiB buffer; memory holds one row's cells, never a statement
 * or the dump. A cell is kept as the bytes the server sent for it: a number's or temporal's text, a
 * quoted string with its MySQL escapes undone, a {@code 0x…} hex literal (the tool's {@code
 * --hex-blob}, which under {@code SET NAMES binary} covers text columns too) or a {@code b'…'} bit
 * literal as bytes. Everything outside {@code INSERT} statements is read line by line and only the
 * position lines are looked at:
 *
 * <ul>
 *   <li>{@code -- CHANGE MASTER TO MASTER_LOG_FILE='f', MASTER_LOG_POS=n;} (MariaDB, MySQL before
 *       8.0.23), {@code -- CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='f', SOURCE_LOG_POS=n;}
 *       (MySQL 8.0.23+), commented or not;
 *   <li>{@code -- SET GLOBAL gtid_slave_pos='0-1-5';} (MariaDB's {@code --gtid});
 *   <li>{@code SET @@GLOBAL.GTID_PURGED=/*!80000 '+'*}{@code / 'uuid:1-5,…';} (MySQL's mysqldump,
 *       may span lines);
 *   <li>{@code -- Server version\t10.11.6-MariaDB-log}, for the server's flavor.
 * </ul>
 */
final class DumpStream {
  private static final Pattern POSITION =
      Pattern.compile(
          "CHANGE (?:MASTER|REPLICATION SOURCE) TO (?:MASTER|SOURCE)_LOG_FILE='((?:[^'\\\\]|\\\\.)*)',"
              + "\\s*(?:MASTER|SOURCE)_LOG_POS=(\\d+)");
  private static final Pattern MARIADB_GTID = Pattern.compile("gtid_slave_pos\\s*=\\s*'([^']*)'");
  private static final Pattern MYSQL_GTID = Pattern.compile("'([^']*)'\\s*;\\s*$");
  private static final byte[] INSERT = bytes("INSERT INTO ");
  private static final byte[] VALUES = bytes("VALUES");
  private static final byte[] NULL = bytes("NULL");
  private static final byte[] HEX = bytes("0x");
  private static final byte[] BITS = bytes("b'");
  private static final byte[] BINARY = bytes("_binary");
  private static final String GTID_PURGED = "SET @@GLOBAL.GTID_PURGED=";
  private static final String SERVER_VERSION = "-- Server version";

  /** Receives each row: its table's name, the column names the INSERT lists, its cells. */
  interface Rows<E extends Exception> {
    void row(String table, List<String> columns, byte[][] cells) throws E;
  }

  /** What the dump said besides its rows; fields are null when the dump did not say. */
  record Summary(String file, Long offset, String mariaDbGtids, String mySqlGtids, String server) {}

  /** The dump is not in the form expected; names the byte offset. */
  static final class MalformedDumpException extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedDumpException(String message) {
      super(message);
    }
  }

  private final InputStream in;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private long consumed; // bytes before buf[0]
  private byte[] scratch = new byte[256];
  private int scratchLength;

  private String file;
  private Long offset;
  private String mariaDbGtids;
  private String mySqlGtids;
  private String server;
  private String lastTable;
  private List<String> lastColumns = List.of();

  DumpStream(InputStream in) {
    this.in = in;
  }

  /** Reads the whole stream, handing every row to {@code rows}. */
  <E extends Exception> Summary read(Rows<E> rows) throws IOException, E {
    while (peek() >= 0) {
      if (lookingAt(INSERT)) {
        pos += INSERT.length;
        insert(rows);
      } else {
        line(readLine());
      }
    }
    return new Summary(file, offset, mariaDbGtids, mySqlGtids, server);
  }

  private void line(String line) throws IOException {
    if (line.startsWith(SERVER_VERSION)) {
      server = line.substring(SERVER_VERSION.length()).trim();
    } else if (line.contains("_LOG_FILE=")) {
      Matcher m = POSITION.matcher(line);
      if (!m.find()) {
        throw malformed("unreadable binlog position line: " + line);
      }
      file = m.group(1).replace("\\", "");
      offset = Long.parseLong(m.group(2));
    } else if (line.contains("gtid_slave_pos")) {
      Matcher m = MARIADB_GTID.matcher(line);
      if (m.find()) {
        mariaDbGtids = m.group(1);
      }
    } else if (line.startsWith(GTID_PURGED)) {
      StringBuilder statement = new StringBuilder(line);
      while (!statement.toString().stripTrailing().endsWith(";") && peek() >= 0) {
        statement.append(readLine());
      }
      Matcher m = MYSQL_GTID.matcher(statement);
      if (!m.find()) {
        throw malformed("unreadable GTID_PURGED statement: " + statement);
      }
      mySqlGtids = m.group(1).replaceAll("\\s", "");
    }
  }

  private <E extends Exception> void insert(Rows<E> rows) throws IOException, E {
    String table = identifier();
    skipWhitespace();
    List<String> columns = new ArrayList<>();
    if (peek() == '(') {
      pos++;
      do {
        skipWhitespace();
        columns.add(identifier());
        skipWhitespace();
      } while (accept(','));
      expect(')');
      skipWhitespace();
    }
    if (table.equals(lastTable) && columns.equals(lastColumns)) {
      columns = lastColumns; // one list per table, so the caller can compare by identity
    } else {
      columns = List.copyOf(columns);
      lastTable = table;
      lastColumns = columns;
    }
    expect(VALUES);
    List<byte[]> cells = new ArrayList<>(Math.max(columns.size(), 8));
    while (true) {
      skipWhitespace();
      expect('(');
      cells.clear();
      do {
        skipWhitespace();
        cells.add(cell());
        skipWhitespace();
      } while (accept(','));
      expect(')');
      rows.row(table, columns, cells.toArray(new byte[0][]));
      skipWhitespace();
      if (accept(';')) {
        return;
      }
      expect(',');
    }
  }

  /** One value: null for NULL, else its bytes. */
  private byte[] cell() throws IOException {
    int c = peek();
    if (c == '\'') {
      pos++;
      return quoted();
    }
    if (c == 'N') {
      expect(NULL);
      return null;
    }
    if (c == '0' && lookingAt(HEX)) {
      pos += 2;
      return hex();
    }
    if ((c == 'x' || c == 'X') && lookingAt(new byte[] {(byte) c, '\''})) {
      pos += 2;
      byte[] b = hex();
      expect('\'');
      return b;
    }
    if (c == 'b' && lookingAt(BITS)) {
      pos += 2;
      return bits();
    }
    if (c == '_' && lookingAt(BINARY)) {
      pos += BINARY.length;
      skipWhitespace();
      return cell();
    }
    scratchLength = 0;
    while ((c = peek()) >= 0 && c != ',' && c != ')' && !isWhitespace(c)) {
      if (!(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
        throw malformed("unexpected character '" + (char) c + "' in a value");
      }
      append(c);
      pos++;
    }
    if (scratchLength == 0) {
      throw malformed("empty value");
    }
    return Arrays.copyOf(scratch, scratchLength);
  }

  /** A quoted string after its opening quote, with MySQL's escapes undone byte by byte. */
  private byte[] quoted() throws IOException {
    scratchLength = 0;
    while (true) {
      int c = next();
      if (c < 0) {
        throw malformed("end of dump inside a string");
      }
      if (c == '\'') {
        if (peek() != '\'') {
          return Arrays.copyOf(scratch, scratchLength);
        }
        pos++; // '' stands for one quote
      } else if (c == '\\') {
        int e = next();
        c =
            switch (e) {
              case '0' -> 0;
              case 'b' -> '\b';
              case 'n' -> '\n';
              case 'r' -> '\r';
              case 't' -> '\t';
              case 'Z' -> 26;
              case -1 -> throw malformed("end of dump inside a string");
              default -> e;
            };
      }
      append(c);
    }
  }

  /** Hex digits, as bytes; an odd count has an implied leading zero. */
  private byte[] hex() throws IOException {
    scratchLength = 0;
    int c;
    while ((c = Character.digit(peek(), 16)) >= 0) {
      pos++;
      append(c);
    }
    byte[] out = new byte[(scratchLength + 1) / 2];
    for (int i = 0, j = out.length * 2 - scratchLength; i < scratchLength; i++, j++) {
      out[j / 2] |= (byte) (j % 2 == 0 ? scratch[i] << 4 : scratch[i]);
    }
    return out;
  }

  /** {@code b'0101'} after {@code b'}: the bits as big-endian bytes, as few as hold them. */
  private byte[] bits() throws IOException {
    StringBuilder digits = new StringBuilder();
    int c;
    while ((c = next()) == '0' || c == '1') {
      digits.append((char) c);
    }
    if (c != '\'') {
      throw malformed("bad bit literal");
    }
    byte[] out = new byte[Math.max(1, (digits.length() + 7) / 8)];
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(digits.length() - 1 - i) == '1') {
        out[out.length - 1 - i / 8] |= (byte) (1 << (i % 8));
      }
    }
    return out;
  }

  /** A back-quoted identifier, with doubled back quotes inside. */
  private String identifier() throws IOException {
    expect('`');
    scratchLength = 0;
    while (true) {
      int c = next();
      if (c < 0) {
        throw malformed("end of dump inside an identifier");
      }
      if (c == '`') {
        if (peek() != '`') {
          return new String(scratch, 0, scratchLength, StandardCharsets.UTF_8);
        }
        pos++;
      }
      append(c);
    }
  }

  private String readLine() throws IOException {
    scratchLength = 0;
    int c;
    while ((c = next()) >= 0 && c != '\n') {
      append(c);
    }
    return new String(scratch, 0, scratchLength, StandardCharsets.UTF_8);
  }

  private void append(int b) {
    if (scratchLength == scratch.length) {
      scratch = Arrays.copyOf(scratch, scratch.length * 2);
    }
    scratch[scratchLength++] = (byte) b;
  }

  private void skipWhitespace() throws IOException {
    while (isWhitespace(peek())) {
      pos++;
    }
  }

  private static boolean isWhitespace(int c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private boolean accept(char c) throws IOException {
    if (peek() == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) throws IOException {
    int got = peek();
    if (got != c) {
      throw malformed(
          "expected '" + c + "' but found " + (got < 0 ? "the end" : "'" + (char) got + "'"));
    }
    pos++;
  }

  private void expect(byte[] word) throws IOException {
    for (byte b : word) {
      expect((char) b);
    }
  }

  private MalformedDumpException malformed(String what) {
    return new MalformedDumpException(
        "cannot read the dump at byte " + (consumed + pos) + ": " + what);
  }

  private int peek() throws IOException {
    if (pos == limit && !fill(1)) {
      return -1;
    }
    return buf[pos] & 0xff;
  }

  private int next() throws IOException {
    int c = peek();
    if (c >= 0) {
      pos++;
    }
    return c;
  }

  /** Whether the next bytes are {@code prefix}; consumes nothing. */
  private boolean lookingAt(byte[] prefix) throws IOException {
    if (limit - pos < prefix.length && !fill(prefix.length)) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (buf[pos + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Makes at least {@code n} bytes available; false at the end of the stream. */
  private boolean fill(int n) throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      consumed += pos;
      limit -= pos;
      pos = 0;
    }
    while (limit < n) {
      int r = in.read(buf, limit, buf.length - limit);
      if (r < 0) {
        return false;
      }
      limit += r;
    }
    return true;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
