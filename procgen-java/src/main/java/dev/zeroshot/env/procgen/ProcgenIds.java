package dev.zeroshot.env.procgen;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The Procgen pixel ids a registry holds ({@code procgen/NAME-v0}, {@code procgen/NAME-MODE-v0};
 * not the symbolic twins), read from the registry itself so that every game
 * {@link ProcgenSuite} registers is covered, and the game and mode an id names.
 */
public final class ProcgenIds {

  private static final String PREFIX = "procgen/";
  private static final String SUFFIX = "-v0";

  private ProcgenIds() {}

  /** Every registered Procgen pixel id, in registration order (game by game, hard first). */
  public static List<String> pixelIds(EnvRegistry registry) {
    List<String> ids = new ArrayList<>();
    for (EnvSpec s : registry.specs()) {
      if (isPixelId(s.id())) {
        ids.add(s.id());
      }
    }
    return ids;
  }

  /** The registered games, in registration order. */
  public static List<String> games(EnvRegistry registry) {
    LinkedHashSet<String> games = new LinkedHashSet<>();
    for (String id : pixelIds(registry)) {
      games.add(game(id));
    }
    return List.copyOf(games);
  }

  /** Whether {@code id} has the form of a Procgen pixel id. */
  public static boolean isPixelId(String id) {
    return id.startsWith(PREFIX) && id.endsWith(SUFFIX) && !id.contains("-symbolic");
  }

  /** The game an id names: {@code maze} for {@code procgen/maze-easy-v0}. */
  public static String game(String id) {
    String name = name(id);
    int dash = name.indexOf('-');
    return dash < 0 ? name : name.substring(0, dash);
  }

  /** The mode an id names: hard for {@code procgen/NAME-v0}. */
  public static DistributionMode mode(String id) {
    String name = name(id);
    int dash = name.indexOf('-');
    return dash < 0 ? DistributionMode.HARD : DistributionMode.parse(name.substring(dash + 1));
  }

  private static String name(String id) {
    if (!isPixelId(id)) {
      throw new IllegalArgumentException("'" + id + "' is not a Procgen pixel id (procgen/NAME-v0 or procgen/NAME-MODE-v0)");
    }
    return id.substring(PREFIX.length(), id.length() - SUFFIX.length());
  }
}
