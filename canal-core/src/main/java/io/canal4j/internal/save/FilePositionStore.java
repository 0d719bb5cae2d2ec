package io.canal4j.internal.save;

import io.canal4j.Checkpoint;
import io.canal4j.PositionStore;
import io.canal4j.error.CheckpointException;
import io.canal4j.schema.Position;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * A checkpoint in a small text file of {@code key=value} lines, ending with a CRC-32 of the lines
 * before it. Saved by writing a temporary file beside it, fsyncing it, renaming it over the old one
 * and fsyncing the directory: after a crash the file is the old checkpoint or the new one. On load
 * every field is validated; a file that fails is reported, never ignored.
 *
 * <p>The schema history, which can be large and changes only with DDL, lives in a file beside it
 * named after its content's SHA-256 ({@code <file>.schema-<sha256 prefix>}), written (and fsynced)
 * before the checkpoint that names it and never changed afterwards; files that no checkpoint names
 * any more are deleted after the next save.
 */
public final class FilePositionStore implements PositionStore {
  static final String MAGIC = "canal4j-checkpoint";

  private final Path path;
  private final Side history = new Side("schema", "schema history");
  private final Side plan = new Side("snapshot", "snapshot plan");

  public FilePositionStore(Path path) {
    this.path = Objects.requireNonNull(path, "path").toAbsolutePath();
  }

  /**
   * Safe while the canal saves, from another thread or another process (a health check, an
   * operator's tool): a save deletes the side files of the checkpoint it replaced, so a side file
   * found missing is an error only when the position file that names it is still the current one.
   */
  @Override
  public synchronized Optional<Checkpoint> load() {
    String text = readPositionFile();
    for (int attempt = 1; ; attempt++) {
      if (text == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(parse(text));
      } catch (SideFileMissing missing) {
        String now = readPositionFile();
        if (text.equals(now) || attempt == MAX_LOAD_ATTEMPTS) {
          throw missing.report;
        }
        text = now; // replaced by a save while it was read: read the new one
      }
    }
  }

  private static final int MAX_LOAD_ATTEMPTS = 20;

  /** The position file's text, or null when there is none. */
  private String readPositionFile() {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new CheckpointException("cannot read position file " + path + ": " + e, e);
    }
  }

  /** A side file named by the position file was not found; {@code report} says so to the user. */
  private static final class SideFileMissing extends RuntimeException {
    final CheckpointException report;

    SideFileMissing(CheckpointException report) {
      super(report.getMessage(), null, false, false);
      this.report = report;
    }
  }

  private Checkpoint parse(String text) {
    Map<String, String> fields = new LinkedHashMap<>();
    StringBuilder checked = new StringBuilder();
    String crc = null;
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw corrupt("line '" + abbreviate(line) + "' is not key=value");
      }
      String key = line.substring(0, eq);
      if (key.equals("crc32")) {
        crc = line.substring(eq + 1);
        continue;
      }
      if (crc != null) {
        throw corrupt("field '" + key + "' follows the crc32 line");
      }
      fields.put(key, line.substring(eq + 1));
      checked.append(line).append('\n');
    }
    if (crc == null) {
      throw corrupt("the crc32 line is missing (the file is truncated or was edited)");
    }
    if (!crc.equals(crc32(checked.toString()))) {
      throw corrupt("its crc32 does not match its content (the file is damaged or was edited)");
    }
    if (!MAGIC.equals(fields.get("format"))) {
      throw corrupt("it does not start with format=" + MAGIC);
    }
    String version = fields.get("version");
    if (!String.valueOf(Checkpoint.VERSION).equals(version)) {
      throw new CheckpointException(
          "position file "
              + path
              + " has checkpoint version "
              + version
              + ", this canal4j reads version "
              + Checkpoint.VERSION
              + "; upgrade canal4j or restore a file written by this version");
    }
    Position position;
    Instant savedAt;
    try {
      position = Position.parse(required(fields, "position"));
      savedAt = Instant.parse(required(fields, "saved.at"));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw corrupt(e.getMessage());
    }
    return new Checkpoint(
        position,
        history.read(fields.get("schema.history.file"), fields.get("schema.history.crc32")),
        progress(
            emptyToNull(fields.get("snapshot.progress")),
            plan.read(fields.get("snapshot.plan.file"), fields.get("snapshot.plan.crc32"))),
        savedAt);
  }

  private static String progress(String head, String planText) {
    return head == null || planText == null ? head : head + "\n" + planText;
  }

  /**
   * A large part of the checkpoint that changes rarely (the schema history, a snapshot's plan),
   * kept in a file beside the position file named by its content's hash: written before the
   * checkpoint that names it and never changed afterwards.
   */
  private final class Side {
    private final String kind;
    private final String what;
    private String last; // the text last written or read
    private String lastFile;

    Side(String kind, String what) {
      this.kind = kind;
      this.what = what;
    }

    private String prefix() {
      return path.getFileName() + "." + kind + "-";
    }

    /** The file that holds {@code text}: the last one while it is unchanged. */
    String fileFor(String text) {
      return text.equals(last) ? lastFile : prefix() + sha256(text);
    }

    boolean isNew(String text) {
      return text != null && !text.equals(last);
    }

    /** After the checkpoint naming {@code file} was saved: older files of this kind go. */
    void saved(Path dir, String text, String file) {
      last = text;
      lastFile = file;
      deleteOthers(dir, prefix(), file);
    }

    String read(String file, String crc) {
      if (file == null) {
        return null;
      }
      if (crc == null || file.contains("/") || !file.startsWith(prefix())) {
        throw corrupt("its " + what + " fields are not valid");
      }
      Path sidePath = path.resolveSibling(file);
      String text;
      try {
        text = Files.readString(sidePath, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new SideFileMissing(
            corrupt(
                "the "
                    + what
                    + " file "
                    + sidePath
                    + " it names is missing (a position file and the files beside it are restored"
                    + " or moved together)"));
      } catch (IOException e) {
        throw new CheckpointException("cannot read " + what + " file " + sidePath + ": " + e, e);
      }
      if (!crc.equals(crc32(text))) {
        throw corrupt("the " + what + " file " + sidePath + " does not match its crc32");
      }
      last = text;
      lastFile = file;
      return text;
    }
  }

  @Override
  public synchronized void save(Checkpoint checkpoint) {
    StringBuilder body = new StringBuilder();
    body.append("format=").append(MAGIC).append('\n');
    body.append("version=").append(Checkpoint.VERSION).append('\n');
    body.append("position=").append(checkpoint.position().format()).append('\n');
    String historyText = checkpoint.schemaHistory();
    String historyFile = null;
    if (historyText != null) {
      historyFile = history.fileFor(historyText);
      body.append("schema.history.file=").append(historyFile).append('\n');
      body.append("schema.history.crc32=").append(crc32(historyText)).append('\n');
    }
    String progress = checkpoint.snapshotProgress();
    String planText = null;
    String planFile = null;
    if (progress != null) {
      int nl = progress.indexOf('\n');
      if (nl >= 0) {
        planText = progress.substring(nl + 1);
        progress = progress.substring(0, nl);
        planFile = plan.fileFor(planText);
      }
      body.append("snapshot.progress=").append(oneLine(progress)).append('\n');
      if (planFile != null) {
        body.append("snapshot.plan.file=").append(planFile).append('\n');
        body.append("snapshot.plan.crc32=").append(crc32(planText)).append('\n');
      }
    }
    body.append("saved.at=").append(checkpoint.savedAt()).append('\n');
    String content =
        "# canal4j checkpoint: written atomically by canal4j. Do not edit while the canal runs.\n"
            + body
            + "crc32="
            + crc32(body.toString())
            + "\n";
    try {
      Path dir = path.getParent();
      Files.createDirectories(dir);
      boolean newHistory = history.isNew(historyText);
      boolean newPlan = plan.isNew(planText);
      if (newHistory) {
        writeAtomically(dir, path.resolveSibling(historyFile), historyText);
      }
      if (newPlan) {
        writeAtomically(dir, path.resolveSibling(planFile), planText);
      }
      writeAtomically(dir, path, content);
      if (newHistory) {
        history.saved(dir, historyText, historyFile);
      }
      if (newPlan || (planText == null && plan.last != null)) {
        plan.saved(dir, planText, planFile); // no plan any more: its files go too
      }
    } catch (IOException e) {
      throw new CheckpointException("cannot save position file " + path + ": " + e, e);
    }
  }

  /** Writes a temporary file, fsyncs it, renames it over {@code target} and fsyncs the folder. */
  private static void writeAtomically(Path dir, Path target, String content) throws IOException {
    Path tmp = dir.resolve(target.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new CheckpointException(
          "the file system of "
              + dir
              + " cannot rename atomically; put the position file on a"
              + " local file system",
          e);
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException ignored) {
      // Some file systems cannot fsync a directory; the rename is still atomic there.
    }
  }

  /** Deletes the side files of earlier checkpoints; a failure only leaves a file behind. */
  private static void deleteOthers(Path dir, String prefix, String keep) {
    DirectoryStream.Filter<Path> old =
        f -> {
          String name = f.getFileName().toString();
          return name.startsWith(prefix) && !name.equals(keep);
        };
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, old)) {
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
    } catch (IOException ignored) {
      // An old history file left behind is harmless; the next save tries again.
    }
  }

  private CheckpointException corrupt(String what) {
    return new CheckpointException(
        "position file "
            + path
            + " is corrupt: "
            + what
            + ". Restore it from a backup, or delete it to start again from the server's current"
            + " position (changes made since the last good save would then be missed)");
  }

  private static String required(Map<String, String> fields, String key) {
    String v = fields.get(key);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("field '" + key + "' is missing");
    }
    return v;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String oneLine(String s) {
    if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("checkpoint fields must be single-line");
    }
    return s;
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  /** The first 16 hex digits of the text's SHA-256: history files are named by their content. */
  private static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }

  static String crc32(String s) {
    CRC32 crc = new CRC32();
    crc.update(s.getBytes(StandardCharsets.UTF_8));
    return String.format("%08x", crc.getValue());
  }

  @Override
  public String toString() {
    return "position file " + path;
  }
}
