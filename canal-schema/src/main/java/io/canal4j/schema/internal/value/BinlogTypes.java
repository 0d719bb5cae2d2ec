package io.canal4j.schema.internal.value;

/**
 * MySQL's binlog column type codes ({@code enum_field_types}) as TABLE_MAP events carry them, and
 * the decoding of the real type that ENUM, SET and long CHAR columns hide in their metadata.
 */
public final class BinlogTypes {
  public static final int DECIMAL = 0;
  public static final int TINY = 1;
  public static final int SHORT = 2;
  public static final int LONG = 3;
  public static final int FLOAT = 4;
  public static final int DOUBLE = 5;
  public static final int TIMESTAMP = 7;
  public static final int LONGLONG = 8;
  public static final int INT24 = 9;
  public static final int DATE = 10;
  public static final int TIME = 11;
  public static final int DATETIME = 12;
  public static final int YEAR = 13;
  public static final int NEWDATE = 14;
  public static final int VARCHAR = 15;
  public static final int BIT = 16;
  public static final int TIMESTAMP2 = 17;
  public static final int DATETIME2 = 18;
  public static final int TIME2 = 19;
  public static final int JSON = 245;
  public static final int NEWDECIMAL = 246;
  public static final int ENUM = 247;
  public static final int SET = 248;
  public static final int TINY_BLOB = 249;
  public static final int MEDIUM_BLOB = 250;
  public static final int LONG_BLOB = 251;
  public static final int BLOB = 252;
  public static final int VAR_STRING = 253;
  public static final int STRING = 254;
  public static final int GEOMETRY = 255;

  private BinlogTypes() {}

  /**
   * The real type of a column: ENUM and SET columns are written as STRING (254) with the real type
   * in the high byte of their metadata (the connector's big-endian reading of the two metadata
   * bytes); CHAR columns longer than 255 bytes borrow bits of that byte for the length.
   */
  public static int realType(int type, int metadata) {
    if (type == STRING && metadata >= 256) {
      int high = metadata >> 8;
      if ((high & 0x30) != 0x30) {
        return STRING;
      }
      return high == ENUM || high == SET ? high : STRING;
    }
    return type;
  }

  /** The width in bits of a BIT column from its metadata (bytes in the high byte, bits in low). */
  public static int bitWidth(int metadata) {
    return (metadata >> 8) * 8 + (metadata & 0xFF);
  }

  /** DECIMAL precision from NEWDECIMAL metadata. */
  public static int decimalPrecision(int metadata) {
    return metadata & 0xFF;
  }

  /** DECIMAL scale from NEWDECIMAL metadata. */
  public static int decimalScale(int metadata) {
    return metadata >> 8;
  }

  /** The byte length of a BINARY/CHAR column from STRING metadata. */
  public static int stringLength(int metadata) {
    if (metadata < 256) {
      return metadata;
    }
    int high = metadata >> 8;
    int low = metadata & 0xFF;
    if ((high & 0x30) != 0x30) {
      return low | (((high & 0x30) ^ 0x30) << 4);
    }
    return low;
  }

  /** A type as a message names it, e.g. {@code NEWDECIMAL(10,2)} or {@code DATETIME2(6)}. */
  public static String describe(int type, int metadata) {
    int real = realType(type, metadata);
    return switch (real) {
      case DECIMAL -> "DECIMAL";
      case TINY -> "TINY";
      case SHORT -> "SHORT";
      case LONG -> "LONG";
      case FLOAT -> "FLOAT";
      case DOUBLE -> "DOUBLE";
      case TIMESTAMP -> "TIMESTAMP";
      case LONGLONG -> "LONGLONG";
      case INT24 -> "INT24";
      case DATE -> "DATE";
      case TIME -> "TIME";
      case DATETIME -> "DATETIME";
      case YEAR -> "YEAR";
      case NEWDATE -> "NEWDATE";
      case VARCHAR -> "VARCHAR";
      case BIT -> "BIT(" + bitWidth(metadata) + ")";
      case TIMESTAMP2 -> "TIMESTAMP2(" + metadata + ")";
      case DATETIME2 -> "DATETIME2(" + metadata + ")";
      case TIME2 -> "TIME2(" + metadata + ")";
      case JSON -> "JSON";
      case NEWDECIMAL ->
          "NEWDECIMAL(" + decimalPrecision(metadata) + "," + decimalScale(metadata) + ")";
      case ENUM -> "ENUM";
      case SET -> "SET";
      case TINY_BLOB, MEDIUM_BLOB, LONG_BLOB, BLOB -> "BLOB";
      case VAR_STRING -> "VAR_STRING";
      case STRING -> "STRING";
      case GEOMETRY -> "GEOMETRY";
      default -> "type " + real;
    };
  }
}
