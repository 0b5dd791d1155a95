package dev.zeroshot.env.procgen;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Registers the Procgen games, one id per game and distribution mode:
 * {@code procgen/NAME-v0} is hard (Python Procgen's default), {@code procgen/NAME-MODE-v0} the
 * others. A mode fixes the defaults of the game's context features (and mode-only rules such
 * as memory mode's centred view); the features can then move each knob away from the mode.
 * The time limit is Procgen's timeout, so it truncates.
 */
public final class ProcgenSuite {

  /** The games this build ships, in Procgen's order of the issue. */
  public static final List<String> GAMES = List.of("maze", "heist", "miner", "coinrun", "bigfish", "chaser", "leaper", "climber",
      "bossfight", "caveflyer", "dodgeball", "fruitbot", "jumper", "ninja", "plunder", "starpilot");

  /**
   * Single-core steps/s of Procgen 0.10.7's C++ (rendering and backgrounds on, 1 env, random
   * actions) measured on the project's build machine kind (2-vCPU Xeon VM); see
   * reference/procgen.md. Keys are {@code game/mode}.
   */
  private static final java.util.Map<String, Double> CPP_STEPS_PER_SECOND = java.util.Map.ofEntries(
      java.util.Map.entry("bigfish/hard", 99e3), java.util.Map.entry("bigfish/easy", 98e3),
      java.util.Map.entry("chaser/hard", 49e3), java.util.Map.entry("chaser/easy", 58e3),
      java.util.Map.entry("climber/hard", 41e3), java.util.Map.entry("climber/easy", 52e3),
      java.util.Map.entry("coinrun/hard", 26.9e3), java.util.Map.entry("coinrun/easy", 43.7e3),
      java.util.Map.entry("heist/hard", 45e3), java.util.Map.entry("heist/easy", 65e3),
      java.util.Map.entry("leaper/hard", 41e3), java.util.Map.entry("leaper/easy", 56e3),
      java.util.Map.entry("maze/hard", 20e3), java.util.Map.entry("maze/easy", 42e3),
      java.util.Map.entry("miner/hard", 21.5e3), java.util.Map.entry("miner/easy", 57e3),
      java.util.Map.entry("bossfight/hard", 17.6e3), java.util.Map.entry("bossfight/easy", 13.4e3),
      java.util.Map.entry("caveflyer/hard", 27e3), java.util.Map.entry("caveflyer/easy", 40e3),
      java.util.Map.entry("dodgeball/hard", 44e3), java.util.Map.entry("dodgeball/easy", 53e3),
      java.util.Map.entry("fruitbot/hard", 21e3), java.util.Map.entry("fruitbot/easy", 41e3),
      java.util.Map.entry("jumper/hard", 25.6e3), java.util.Map.entry("jumper/easy", 24.7e3),
      java.util.Map.entry("ninja/hard", 29.8e3), java.util.Map.entry("ninja/easy", 50e3),
      java.util.Map.entry("plunder/hard", 75e3), java.util.Map.entry("plunder/easy", 81e3),
      java.util.Map.entry("starpilot/hard", 71e3), java.util.Map.entry("starpilot/easy", 64e3));

  /**
   * The grid games that also register a symbolic id, with the context feature that sets their
   * world's side (the symbolic window covers a default-size world from any agent cell).
   */
  public static final java.util.Map<String, String> SYMBOLIC_GAMES = java.util.Map.of(
      "maze", "world_dim", "heist", "world_dim", "miner", "world_dim", "chaser", "maze_dim");

  /** Memory mode's pixel view shows 8 cells across around the agent; its symbolic window, 9. */
  static final int MEMORY_SYMBOLIC_SIDE = 9;

  private ProcgenSuite() {}

  /** Procgen C++'s measured single-core steps/s for a game and mode, or null if not measured. */
  public static Double cppStepsPerSecond(String game, DistributionMode mode) {
    return CPP_STEPS_PER_SECOND.get(game + "/" + mode.id());
  }

  public static void registerAll(EnvRegistry registry) {
    register(registry, "maze", "guide a mouse through a maze to the cheese",
        List.of(DistributionMode.HARD, DistributionMode.EASY, DistributionMode.MEMORY),
        Maze::contextSpace, Maze::new, Maze.TIMEOUT);
    register(registry, "heist", "collect coloured keys to open matching locks and steal the gem",
        List.of(DistributionMode.HARD, DistributionMode.EASY, DistributionMode.MEMORY),
        Heist::contextSpace, Heist::new, Heist.TIMEOUT);
    register(registry, "miner", "dig through dirt, collect every diamond under falling boulders, then exit",
        List.of(DistributionMode.HARD, DistributionMode.EASY, DistributionMode.MEMORY),
        Miner::contextSpace, Miner::new, Miner.TIMEOUT);
    register(registry, "coinrun", "run and jump right past lava, saws and walkers to the coin",
        List.of(DistributionMode.HARD, DistributionMode.EASY),
        CoinRun::contextSpace, CoinRun::new, CoinRun.TIMEOUT);
    register(registry, "bigfish", "eat smaller fish to grow; touching a bigger fish ends the episode",
        List.of(DistributionMode.HARD, DistributionMode.EASY),
        BigFish::contextSpace, BigFish::new, BigFish.TIMEOUT);
    register(registry, "chaser", "eat every orb in a maze while enemies chase you; large orbs make them edible",
        List.of(DistributionMode.HARD, DistributionMode.EASY, DistributionMode.EXTREME),
        Chaser::contextSpace, Chaser::new, Chaser.TIMEOUT);
    register(registry, "leaper", "hop across road lanes of cars and river lanes of logs to the finish line",
        List.of(DistributionMode.HARD, DistributionMode.EASY, DistributionMode.EXTREME),
        Leaper::contextSpace, Leaper::new, Leaper.TIMEOUT);
    register(registry, "climber", "climb a tower of platforms collecting every star while avoiding enemies",
        List.of(DistributionMode.HARD, DistributionMode.EASY),
        Climber::contextSpace, Climber::new, Climber.TIMEOUT);
    register(registry, "bossfight", "shoot down a shielded boss's health round by round, dodging its fire behind meteors",
        List.of(DistributionMode.HARD, DistributionMode.EASY),
        Bossfight::contextSpace, Bossfight::new, Bossfight.TIMEOUT);
    register(registry, "caveflyer", "fly a ship through a cave to the goal, shooting targets and dodging meteors and enemies",
        List.of(DistributionMode.HARD, DistributionMode.EASY, DistributionMode.MEMORY),
        CaveFlyer::contextSpace, CaveFlyer::new, CaveFlyer.TIMEOUT);
    register(registry, "dodgeball", "hit every enemy with a ball while dodging theirs and the lava walls, then leave by the door",
        List.of(DistributionMode.HARD, DistributionMode.EASY, DistributionMode.EXTREME, DistributionMode.MEMORY),
        Dodgeball::contextSpace, Dodgeball::new, Dodgeball.TIMEOUT);
    register(registry, "fruitbot", "steer a robot up a scrolling corridor through wall gaps, eating fruit and avoiding other food",
        List.of(DistributionMode.HARD, DistributionMode.EASY),
        Fruitbot::contextSpace, Fruitbot::new, Fruitbot.TIMEOUT);
    register(registry, "jumper", "double-jump through a cave past spikes to the carrot, guided by a compass",
        List.of(DistributionMode.HARD, DistributionMode.EASY, DistributionMode.MEMORY),
        Jumper::contextSpace, Jumper::new, mode -> mode == DistributionMode.MEMORY ? Jumper.MEMORY_TIMEOUT : Jumper.TIMEOUT);
    register(registry, "ninja", "jump ledge to ledge to the mushroom, charging jumps, avoiding bombs and the fire floor",
        List.of(DistributionMode.HARD, DistributionMode.EASY),
        Ninja::contextSpace, Ninja::new, Ninja.TIMEOUT);
    register(registry, "plunder", "sail along the bottom firing cannonballs at enemy-coloured ships, sparing friendly ones",
        List.of(DistributionMode.HARD, DistributionMode.EASY),
        Plunder::contextSpace, Plunder::new, Plunder.TIMEOUT);
    register(registry, "starpilot", "side-scrolling shooter: shoot enemy ships (+1), dodge their fire, reach the finish line",
        List.of(DistributionMode.HARD, DistributionMode.EASY, DistributionMode.EXTREME),
        StarPilot::contextSpace, StarPilot::new, StarPilot.TIMEOUT);
  }

  /** The registered id of a game's symbolic observation variant in a mode. */
  public static String symbolicId(String game, DistributionMode mode) {
    return "procgen/" + game + (mode == DistributionMode.HARD ? "" : "-" + mode.id()) + "-symbolic-v0";
  }

  /**
   * The side of a symbolic id's window: memory mode's agent-centred view, otherwise
   * 2 * (the mode's default world side) - 1, so the whole default-size level is always in view.
   */
  public static int symbolicSide(ContextSpace space, String worldFeature, DistributionMode mode) {
    return mode == DistributionMode.MEMORY ? MEMORY_SYMBOLIC_SIDE : 2 * (int) space.defaults().get(worldFeature) - 1;
  }

  /** The registered id of a game in a mode. */
  public static String id(String game, DistributionMode mode) {
    return "procgen/" + game + (mode == DistributionMode.HARD ? "" : "-" + mode.id()) + "-v0";
  }

  private static void register(EnvRegistry registry, String game, String description, List<DistributionMode> modes,
      Function<DistributionMode, ContextSpace> space, BiFunction<DistributionMode, Context, ProcgenGame> factory,
      int timeout) {
    register(registry, game, description, modes, space, factory, mode -> timeout);
  }

  /** As above, with a time limit per mode (jumper's memory mode has 2000 steps). */
  private static void register(EnvRegistry registry, String game, String description, List<DistributionMode> modes,
      Function<DistributionMode, ContextSpace> space, BiFunction<DistributionMode, Context, ProcgenGame> factory,
      java.util.function.ToIntFunction<DistributionMode> timeoutOf) {
    for (DistributionMode mode : modes) {
      ContextSpace cs = space.apply(mode);
      registry.register(new EnvSpec(id(game, mode), "Procgen " + game + " (" + mode.id() + "): " + description,
          cs, c -> factory.apply(mode, c), timeoutOf.applyAsInt(mode), null));
    }
    String worldFeature = SYMBOLIC_GAMES.get(game);
    if (worldFeature == null) {
      return;
    }
    for (DistributionMode mode : modes) {
      ContextSpace cs = space.apply(mode).withOwner(symbolicId(game, mode));
      int side = symbolicSide(cs, worldFeature, mode);
      registry.register(new EnvSpec(symbolicId(game, mode), "Procgen " + game + " (" + mode.id() + ", symbolic "
          + side + "x" + side + " cells): " + description, cs, c -> {
            ProcgenGame g = factory.apply(mode, c);
            g.useSymbolicObservation(side);
            return g;
          }, timeoutOf.applyAsInt(mode), null));
    }
  }
}
