package io.canal4j.schema.internal.value;

/**
 * Reads the row images of one rows event from a byte array. The connector's stream checks block
 * boundaries on every byte; the row images of a rows event are read into an array once and decoded
 * here by {@link BinlogCells}.
 */
public final class BinlogCursor {
  private final byte[] b;
  private int p;

  /** A cursor at the start of {@code bytes}: the first row image of a rows event. */
  public BinlogCursor(byte[] bytes) {
    this.b = bytes;
  }

  /** Whether another row image follows. */
  public boolean hasRemaining() {
    return p < b.length;
  }

  int u8() {
    return b[p++] & 0xFF;
  }

  /** Little-endian unsigned integer of {@code n} (1–8) bytes; 8 bytes may be negative. */
  long le(int n) {
    long v = 0;
    for (int i = 0; i < n; i++) {
      v |= (long) (b[p + i] & 0xFF) << (8 * i);
    }
    p += n;
    return v;
  }

  /** Big-endian unsigned integer of {@code n} (1–8) bytes. */
  long be(int n) {
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = (v << 8) | (b[p + i] & 0xFF);
    }
    p += n;
    return v;
  }

  byte[] bytes(int n) {
    if (n < 0 || p + n > b.length) {
      throw new IllegalStateException(
          "rows event ends inside a value (" + n + " bytes wanted, " + (b.length - p) + " left)");
    }
    byte[] out = new byte[n];
    System.arraycopy(b, p, out, 0, n);
    p += n;
    return out;
  }

  /** Skips a bitmap of {@code bits} bits; returns where it starts, for {@link #bit}. */
  int skipBitmap(int bits) {
    int at = p;
    p += (bits + 7) >> 3;
    return at;
  }

  /** Bit {@code i} of the bitmap at {@code at}: bit i of byte i/8, least significant first. */
  boolean bit(int at, int i) {
    return (b[at + (i >> 3)] & (1 << (i & 7))) != 0;
  }
}
