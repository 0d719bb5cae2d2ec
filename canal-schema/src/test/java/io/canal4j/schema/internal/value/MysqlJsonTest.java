package io.canal4j.schema.internal.value;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MysqlJsonTest {
  /** Expected texts are what MySQL 8.0.31 printed for these doubles inside JSON values. */
  @ParameterizedTest
  @CsvSource({
    "1.5, 1.5",
    "3.0, 3",
    "-0.25, -0.25",
    "1e100, 1e100",
    "1e-7, 0.0000001",
    "1.2345678901234566e29, 1.2345678901234566e29",
    "0.1, 0.1",
    "1e15, 1e15",
    "1e16, 1e16",
    "12345.678, 12345.678",
    "1e300, 1e300",
    "5e-324, 5e-324",
    "100.0, 100",
    "1.7976931348623157e308, 1.7976931348623157e308",
    "123456.789e3, 123456789",
    "0.000123, 0.000123",
    "1e-5, 0.00001",
    "-1.2345678901234567e-14, -0.000000000000012345678901234567",
    "1e-15, 0.000000000000001",
    "1e-16, 1e-16",
    "-0.0, -0",
    "0.30000000000000004, 0.30000000000000004",
  })
  void gcvt_printsDoublesLikeMySql(double value, String expected) {
    assertEquals(expected, MysqlJson.gcvt(value));
  }
}
