package io.canal4j.testkit;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One column of every type canal4j supports, with the Java class it is delivered as, and rows of
 * edge values as SQL literals: the type matrix the value tests of canal4j run on every reader
 * (binlog, JDBC, snapshot, dump tool), for your own tests too.
 */
public final class TypeMatrix {
  private TypeMatrix() {}

  /**
   * A matrix column.
   *
   * @param name the column name
   * @param sql its SQL type
   * @param javaType the class canal4j delivers its values as (README's values table)
   */
  public record Column(String name, String sql, Class<?> javaType) {}

  /** {@code CREATE TABLE table (id INT PRIMARY KEY, <every matrix column>)}. */
  public static String createTable(String table, List<Column> columns) {
    StringBuilder create = new StringBuilder("CREATE TABLE " + table + " (id INT PRIMARY KEY");
    columns.forEach(c -> create.append(", ").append(c.name()).append(' ').append(c.sql()));
    return create.append(')').toString();
  }

  public static List<Column> columns(ServerFlavor flavor) {
    List<Column> cols =
        new ArrayList<>(
            List.of(
                new Column("ti", "TINYINT", Integer.class),
                new Column("tiu", "TINYINT UNSIGNED", Integer.class),
                new Column("si", "SMALLINT", Integer.class),
                new Column("siu", "SMALLINT UNSIGNED", Integer.class),
                new Column("mi", "MEDIUMINT", Integer.class),
                new Column("miu", "MEDIUMINT UNSIGNED", Integer.class),
                new Column("i", "INT", Integer.class),
                new Column("iu", "INT UNSIGNED", Long.class),
                new Column("bi", "BIGINT", Long.class),
                new Column("biu", "BIGINT UNSIGNED", BigInteger.class),
                new Column("de", "DECIMAL(65,30)", BigDecimal.class),
                new Column("d2", "DECIMAL(10,2)", BigDecimal.class),
                new Column("d9", "DECIMAL(9,9)", BigDecimal.class),
                new Column("d18", "DECIMAL(18,0)", BigDecimal.class),
                new Column("f", "FLOAT", Float.class),
                new Column("db", "DOUBLE", Double.class),
                new Column("b1", "BIT(1)", Boolean.class),
                new Column("b10", "BIT(10)", byte[].class),
                new Column("b64", "BIT(64)", byte[].class),
                new Column("dt", "DATE", LocalDate.class),
                new Column("yr", "YEAR", Integer.class)));
    for (int fsp = 0; fsp <= 6; fsp++) {
      cols.add(new Column("dt" + fsp, "DATETIME(" + fsp + ")", LocalDateTime.class));
      cols.add(new Column("ts" + fsp, "TIMESTAMP(" + fsp + ") NULL DEFAULT NULL", Instant.class));
      cols.add(new Column("tm" + fsp, "TIME(" + fsp + ")", Duration.class));
    }
    cols.addAll(
        List.of(
            new Column("c", "CHAR(5) CHARACTER SET utf8mb4", String.class),
            new Column("vc", "VARCHAR(300) CHARACTER SET utf8mb4", String.class),
            new Column("tx", "TEXT CHARACTER SET utf8mb4", String.class),
            new Column("l1", "VARCHAR(20) CHARACTER SET latin1", String.class),
            new Column("gb", "VARCHAR(20) CHARACTER SET gbk", String.class),
            new Column("u16", "VARCHAR(10) CHARACTER SET utf16", String.class),
            new Column("bn", "BINARY(4)", byte[].class),
            new Column("vb", "VARBINARY(10)", byte[].class),
            new Column("bl", "BLOB", byte[].class),
            new Column("lb", "LONGBLOB", byte[].class),
            new Column("e", "ENUM('a','b,c','it''s')", String.class),
            new Column("e2", "ENUM('','x')", String.class),
            new Column("st", "SET('x','y','z')", String.class),
            new Column("js", "JSON", String.class),
            new Column("g", "GEOMETRY", byte[].class),
            new Column("pt", "POINT", byte[].class)));
    if (flavor == ServerFlavor.MYSQL) {
      cols.add(new Column("g18", "VARCHAR(20) CHARACTER SET gb18030", String.class)); // not MariaDB
    }
    return cols;
  }

  /** SQL literals by column; columns left out are NULL. */
  public static List<Map<String, String>> rows() {
    Map<String, String> min =
        values(
            "ti",
            "-128",
            "tiu",
            "0",
            "si",
            "-32768",
            "siu",
            "0",
            "mi",
            "-8388608",
            "miu",
            "0",
            "i",
            "-2147483648",
            "iu",
            "0",
            "bi",
            "-9223372036854775808",
            "biu",
            "0",
            "de",
            "-99999999999999999999999999999999999.999999999999999999999999999999",
            "d2",
            "-99999999.99",
            "d9",
            "-0.999999999",
            "d18",
            "-999999999999999999",
            "f",
            "-3.40282e38",
            "db",
            "-1.7976931348623157E308",
            "b1",
            "b'0'",
            "b10",
            "b'0'",
            "b64",
            "b'0'",
            "dt",
            "'1000-01-01'",
            "yr",
            "1901",
            "c",
            "''",
            "vc",
            "''",
            "tx",
            "''",
            "l1",
            "''",
            "gb",
            "''",
            "u16",
            "''",
            "g18",
            "''",
            "bn",
            "x'00000000'",
            "vb",
            "x''",
            "bl",
            "x''",
            "lb",
            "x'00'",
            "e",
            "'a'",
            "e2",
            "''",
            "st",
            "''",
            "js",
            "'[]'",
            "g",
            "ST_GeomFromText('POINT(0 0)')",
            "pt",
            "ST_GeomFromText('POINT(0 0)')");
    Map<String, String> max =
        values(
            "ti",
            "127",
            "tiu",
            "255",
            "si",
            "32767",
            "siu",
            "65535",
            "mi",
            "8388607",
            "miu",
            "16777215",
            "i",
            "2147483647",
            "iu",
            "4294967295",
            "bi",
            "9223372036854775807",
            "biu",
            "18446744073709551615",
            "de",
            "99999999999999999999999999999999999.999999999999999999999999999999",
            "d2",
            "99999999.99",
            "d9",
            "0.999999999",
            "d18",
            "999999999999999999",
            "f",
            "3.40282e38",
            "db",
            "1.7976931348623157E308",
            "b1",
            "b'1'",
            "b10",
            "b'1111111111'",
            "b64",
            "x'FFFFFFFFFFFFFFFF'",
            "dt",
            "'9999-12-31'",
            "yr",
            "2155",
            "c",
            "'ab  '",
            "vc",
            "'ünï 😀 中文'",
            "tx",
            "REPEAT('t', 1000)",
            "l1",
            "'café €'",
            "gb",
            "'中文'",
            "u16",
            "'😀a'",
            "g18",
            "'中文\uD840\uDC00€'",
            "bn",
            "x'00010000'",
            "vb",
            "x'00FF00'",
            "bl",
            "x'000102'",
            "lb",
            "REPEAT(x'00FF', 40000)",
            "e",
            "'it''s'",
            "e2",
            "'x'",
            "st",
            "'x,y,z'",
            "js",
            "'{\"a\": [1, 2.5, \"s\", null, true, false], \"b\": {\"c\": \"é😀\\\\n\"},"
                + " \"n\": -0.0, \"u\": 18446744073709551615, \"m\": -9223372036854775808,"
                + " \"f\": 1e-7, \"g\": 1.5e300}'",
            "g",
            "ST_GeomFromText('POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))')",
            "pt",
            "ST_GeomFromText('POINT(1.5 -2)', 4326)");
    Map<String, String> odd =
        values(
            "ti",
            "-1",
            "tiu",
            "200",
            "si",
            "-1",
            "siu",
            "40000",
            "mi",
            "-1",
            "miu",
            "9000000",
            "i",
            "-1",
            "iu",
            "3000000000",
            "bi",
            "-1",
            "biu",
            "9223372036854775808",
            "de",
            "-0.000000000000000000000000000001",
            "d2",
            "-0.01",
            "d9",
            "0.000000001",
            "d18",
            "-1",
            "f",
            "3.1415927",
            "db",
            "0.1",
            "b1",
            "b'1'",
            "b10",
            "b'1000000001'",
            "b64",
            "x'0000000000000001'",
            "dt",
            "'2024-02-29'",
            "yr",
            "0",
            "c",
            "'  x  '",
            "vc",
            "'tab\there'",
            "tx",
            "'line\\nbreak'",
            "l1",
            "'a'",
            "gb",
            "'汉字'",
            "u16",
            "'x'",
            "g18",
            "'啊'",
            "bn",
            "x'61'",
            "vb",
            "x'0000'",
            "bl",
            "x'00'",
            "lb",
            "x''",
            "e",
            "'b,c'",
            "e2",
            "''",
            "st",
            "'z,x'",
            "js",
            "'\"scalar\"'",
            "g",
            "ST_GeomFromText('LINESTRING(0 0, 1 1, -2.5 3)')",
            "pt",
            "ST_GeomFromText('POINT(-0.5 1e-3)')");
    Map<String, String> hours = values("e", "'b,c'", "js", "'null'");
    for (int fsp = 0; fsp <= 6; fsp++) {
      String zeros = fsp == 0 ? "" : "." + "0".repeat(fsp);
      String nines = fsp == 0 ? "" : "." + "9".repeat(fsp);
      String digits = fsp == 0 ? "" : "." + "123456".substring(0, fsp);
      String tiniest = fsp == 0 ? "" : "." + "0".repeat(fsp - 1) + "1";
      min.put("dt" + fsp, "'1000-01-01 00:00:00" + zeros + "'");
      min.put("ts" + fsp, "'1970-01-01 00:00:01" + zeros + "'");
      min.put("tm" + fsp, "'-838:59:59" + zeros + "'");
      max.put("dt" + fsp, "'9999-12-31 23:59:59" + nines + "'");
      max.put("ts" + fsp, "'2038-01-19 03:14:07" + nines + "'");
      max.put("tm" + fsp, "'838:59:59" + zeros + "'");
      odd.put("dt" + fsp, "'2024-02-29 12:34:56" + digits + "'");
      odd.put("ts" + fsp, "'2024-06-30 23:59:59" + tiniest + "'");
      odd.put("tm" + fsp, fsp == 0 ? "'-00:00:01'" : "'-00:00:00" + tiniest + "'");
      hours.put("dt" + fsp, "'1582-10-04 23:59:59" + tiniest + "'");
      hours.put("ts" + fsp, "'1970-01-01 00:00:01" + tiniest + "'");
      hours.put("tm" + fsp, "'100:00:00" + digits + "'");
    }
    Map<String, String> negativeHours = new LinkedHashMap<>();
    for (int fsp = 0; fsp <= 6; fsp++) {
      negativeHours.put("tm" + fsp, "'-25:59:58" + (fsp == 0 ? "" : "." + "9".repeat(fsp)) + "'");
    }
    return List.of(min, max, odd, hours, negativeHours, values());
  }

  public static Map<String, String> values(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  public static String insert(String table, List<Column> cols, int id, Map<String, String> row) {
    StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES (" + id);
    for (Column c : cols) {
      sql.append(", ").append(row.getOrDefault(c.name(), "NULL"));
    }
    return sql.append(')').toString();
  }
}
