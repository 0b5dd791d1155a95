package dev.zeroshot.offline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Minari dataset id, {@code [namespace/]name-vN}, and where it lives: {@code <root>/<id>/data}
 * with the root {@code $MINARI_DATASETS_PATH} or {@code ~/.minari/datasets} (Minari's rule, so
 * {@code minari.load_dataset(id)} finds what Zeroshot writes).
 *
 * <p>Ids often come from other machines (the server's DatasetService), so this class is the one
 * place that confines them to the root: every part of an id starts with a letter, digit or
 * {@code _} (so no {@code .}, {@code ..}, hidden folder or leading {@code /}), and
 * {@link #dataDir} refuses an id whose folder a symbolic link takes outside the root.
 */
public record DatasetId(String namespace, String name, int version) {

  /** Echoed ids are cut to this many characters: error messages stay readable and fit gRPC metadata. */
  public static final int MAX_ECHO = 100;

  private static final String PART = "[A-Za-z0-9_][A-Za-z0-9_.\\-]*";
  private static final Pattern ID = Pattern.compile("^(?:(" + PART + "(?:/" + PART + ")*)/)?(" + PART + "?)-v(\\d+)$");
  private static final String FORM = "must look like NAMESPACE/NAME-vN (e.g. procgen/maze-expert-v0): parts separated by"
      + " '/', each starting with a letter, digit or '_' and made of letters, digits, '_', '.' and '-'";

  public static DatasetId parse(String id) {
    String s = id == null ? "" : id;
    if (s.startsWith("/") || s.startsWith("\\") || s.matches("^[A-Za-z]:.*")) {
      throw new IllegalArgumentException("dataset id '" + echo(s) + "' is an absolute path; ids are relative to the"
          + " datasets root and " + FORM);
    }
    for (String part : s.split("/", -1)) {
      if (part.equals("..") || part.equals(".")) {
        throw new IllegalArgumentException("dataset id '" + echo(s) + "' has a '" + part + "' part; ids may not leave"
            + " the datasets root and " + FORM);
      }
    }
    Matcher m = ID.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("dataset id '" + echo(s) + "' " + FORM);
    }
    int version;
    try {
      version = Integer.parseInt(m.group(3));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("dataset id '" + echo(s) + "': version " + echo(m.group(3))
          + " must be in [0, " + Integer.MAX_VALUE + "]");
    }
    return new DatasetId(m.group(1), m.group(2), version);
  }

  /** {@code s} as error messages quote it: at most {@link #MAX_ECHO} characters, then an ellipsis. */
  public static String echo(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= MAX_ECHO ? s : s.substring(0, MAX_ECHO) + "...";
  }

  /** The id as Minari writes it in {@code dataset_id}. */
  public String id() {
    return (namespace == null ? "" : namespace + "/") + name + "-v" + version;
  }

  /**
   * {@code <root>/<id>/data}, the folder holding metadata.json and the episodes. Where part of
   * that folder exists, its real path (symbolic links followed) must still lie under the root's
   * real path; otherwise this throws IllegalArgumentException (the message names no path).
   */
  public Path dataDir(Path root) {
    Path dir = root.resolve(id()).resolve("data");
    Path existing = dir;
    while (existing != null && !existing.equals(root) && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing != null && !existing.equals(root) && Files.exists(root)) {
      boolean inside;
      try {
        inside = existing.toRealPath().startsWith(root.toRealPath());
      } catch (IOException e) {
        inside = false; // a dangling link, or a folder we may not read: nothing we can confine
      }
      if (!inside) {
        throw new IllegalArgumentException("dataset id '" + echo(id()) + "' leads outside the datasets root through a"
            + " symbolic link; ids must stay under the root");
      }
    }
    return dir;
  }

  /** Minari's default root. */
  public static Path defaultRoot() {
    String env = System.getenv("MINARI_DATASETS_PATH");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".minari", "datasets");
  }

  @Override
  public String toString() {
    return id();
  }
}
