package io.canal4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.PositionStore;
import io.canal4j.SnapshotMethod;
import io.canal4j.error.ConfigurationException;
import io.canal4j.error.ServerException;
import io.canal4j.internal.save.SnapshotPlan;
import io.canal4j.internal.server.ServerInfo;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.GtidSet;
import io.canal4j.schema.Position;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The start decision without a server, as decision tables: (saved checkpoint, server facts,
 * settings) to the way an unfinished snapshot goes on, or the exception that stops the canal.
 */
class StartDecisionTest {
  private static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final String OTHER_UUID = "8a94f357-aab4-11df-86ab-c80aa9429562";

  private static final ServerInfo MARIADB =
      new ServerInfo(Flavor.MARIADB, "10.11.6-MariaDB", 10, 11, true, null, "FULL", false);
  private static final ServerInfo MARIADB_MINIMAL =
      new ServerInfo(Flavor.MARIADB, "10.11.6-MariaDB", 10, 11, true, null, "MINIMAL", false);
  private static final ServerInfo MYSQL_GTID =
      new ServerInfo(Flavor.MYSQL, "8.0.31", 8, 0, true, UUID, "FULL", false);
  private static final ServerInfo MYSQL_NO_GTID =
      new ServerInfo(Flavor.MYSQL, "8.0.31", 8, 0, false, UUID, "FULL", false);

  private static final Position MARIADB_AT =
      new Position(Flavor.MARIADB, "binlog.000002", 4, gtids(Flavor.MARIADB, "0-1-50"), null);
  private static final Position MYSQL_AT =
      new Position(Flavor.MYSQL, "binlog.000002", 4, gtids(Flavor.MYSQL, UUID + ":1-50"), UUID);
  private static final Position MYSQL_AT_NO_GTIDS =
      new Position(Flavor.MYSQL, "binlog.000002", 4, null, UUID);

  private static final SnapshotPlan LOCK_FREE = new SnapshotPlan(List.of(), new BitSet(), true);
  private static final SnapshotPlan AT_ONE_POINT = new SnapshotPlan(List.of(), new BitSet(), false);

  private static GtidSet gtids(Flavor flavor, String text) {
    return GtidSet.parse(flavor, text);
  }

  /** plan, method, server, position: whether the unfinished snapshot goes on lock-free. */
  static Stream<Arguments> resumeChoices() {
    return Stream.of(
        // A lock-free plan stays lock-free, unless POINT is asked or the server no longer allows
        // it.
        Arguments.of(LOCK_FREE, SnapshotMethod.AUTO, MARIADB, MARIADB_AT, true),
        Arguments.of(LOCK_FREE, SnapshotMethod.WATERMARKS, MYSQL_GTID, MYSQL_AT, true),
        Arguments.of(LOCK_FREE, SnapshotMethod.POINT, MARIADB, MARIADB_AT, false),
        Arguments.of(LOCK_FREE, SnapshotMethod.AUTO, MYSQL_NO_GTID, MYSQL_AT_NO_GTIDS, false),
        Arguments.of(LOCK_FREE, SnapshotMethod.AUTO, MARIADB_MINIMAL, MARIADB_AT, false),
        Arguments.of(LOCK_FREE, SnapshotMethod.AUTO, MYSQL_GTID, MYSQL_AT_NO_GTIDS, false),
        // A plan at one point, or none, goes on lock-free only when WATERMARKS is asked.
        Arguments.of(AT_ONE_POINT, SnapshotMethod.AUTO, MARIADB, MARIADB_AT, false),
        Arguments.of(AT_ONE_POINT, SnapshotMethod.POINT, MYSQL_NO_GTID, MYSQL_AT_NO_GTIDS, false),
        Arguments.of(AT_ONE_POINT, SnapshotMethod.WATERMARKS, MARIADB, MARIADB_AT, true),
        Arguments.of(null, SnapshotMethod.AUTO, MYSQL_GTID, MYSQL_AT, false),
        Arguments.of(null, SnapshotMethod.WATERMARKS, MYSQL_GTID, MYSQL_AT, true));
  }

  @ParameterizedTest
  @MethodSource("resumeChoices")
  void anUnfinishedSnapshot_goesOnAsTheTableSays(
      SnapshotPlan plan, SnapshotMethod method, ServerInfo server, Position at, boolean lockFree) {
    assertEquals(
        lockFree, SnapshotChoice.resumeLockFree(plan, method, server, at, "db:3306", "canal"));
  }

  /** plan, server, position, a part of the message: WATERMARKS asked where it cannot be taken. */
  static Stream<Arguments> watermarksRefused() {
    return Stream.of(
        Arguments.of(LOCK_FREE, MYSQL_GTID, MYSQL_AT_NO_GTIDS, "has no GTID set"),
        Arguments.of(AT_ONE_POINT, MYSQL_NO_GTID, MYSQL_AT_NO_GTIDS, "needs gtid_mode=ON"),
        Arguments.of(null, MARIADB_MINIMAL, MARIADB_AT, "needs binlog_row_image=FULL"));
  }

  @ParameterizedTest
  @MethodSource("watermarksRefused")
  void watermarksAskedWhereTheyCannotBeTaken_stopWithTheFix(
      SnapshotPlan plan, ServerInfo server, Position at, String says) {
    ServerException e =
        assertThrows(
            ServerException.class,
            () ->
                SnapshotChoice.resumeLockFree(
                    plan, SnapshotMethod.WATERMARKS, server, at, "db:3306", "canal"));
    assertTrue(e.getMessage().contains(says), e.getMessage());
    assertFalse(e.isTransient());
  }

  @Test
  void aCheckpointFromTheOtherFlavor_isRefused_namingBoth() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                CheckpointChecks.requireSameFlavor(
                    MYSQL_AT, MARIADB, PositionStore.inMemory(), "db:3306"));
    assertTrue(e.getMessage().contains("written by a MYSQL server"), e.getMessage());
    assertTrue(e.getMessage().contains("db:3306 is MariaDB 10.11.6-MariaDB"), e.getMessage());
    CheckpointChecks.requireSameFlavor(MARIADB_AT, MARIADB, PositionStore.inMemory(), "db:3306");
  }

  @Test
  void aCheckpointWithGtidsTheServerLacks_isRefused_namingBothSets() {
    Position behind = MYSQL_AT.withGtids(gtids(Flavor.MYSQL, UUID + ":1-40"));
    ServerException e =
        assertThrows(
            ServerException.class,
            () ->
                CheckpointChecks.requireHistory(
                    MYSQL_AT, behind, PositionStore.inMemory(), "db:3306"));
    assertTrue(e.getMessage().contains("has GTIDs " + UUID + ":1-50"), e.getMessage());
    assertTrue(e.getMessage().contains("(it has " + UUID + ":1-40)"), e.getMessage());
    assertFalse(e.isTransient());
    ServerException none =
        assertThrows(
            ServerException.class,
            () ->
                CheckpointChecks.requireHistory(
                    MYSQL_AT, MYSQL_AT_NO_GTIDS, PositionStore.inMemory(), "db:3306"));
    assertTrue(none.getMessage().contains("(it has none)"), none.getMessage());
    Position ahead = MYSQL_AT.withGtids(gtids(Flavor.MYSQL, UUID + ":1-90"));
    CheckpointChecks.requireHistory(MYSQL_AT, ahead, PositionStore.inMemory(), "db:3306");
  }

  @Test
  void aFileAndOffsetFromAnotherServer_isRefused_namingBothUuids() {
    ServerInfo other =
        new ServerInfo(Flavor.MYSQL, "8.0.31", 8, 0, false, OTHER_UUID, "FULL", false);
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> CheckpointChecks.requireSameServer(MYSQL_AT_NO_GTIDS, other, "db:3306"));
    assertTrue(e.getMessage().contains("server with UUID " + UUID), e.getMessage());
    assertTrue(e.getMessage().contains("db:3306 is " + OTHER_UUID), e.getMessage());
    // Same server, or a side without a UUID (MariaDB): nothing to tell them apart by.
    CheckpointChecks.requireSameServer(MYSQL_AT_NO_GTIDS, MYSQL_NO_GTID, "db:3306");
    CheckpointChecks.requireSameServer(
        Position.of(Flavor.MARIADB, "binlog.000002", 4), MARIADB, "db:3306");
  }
}
