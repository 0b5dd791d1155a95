package dev.zeroshot.env.xland;

import dev.zeroshot.env.Env;
import dev.zeroshot.env.LevelInfo;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.context.ContextSpace;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.env.space.Space;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * An XLand-MiniGrid world as an {@link Env}. Each reset draws a level seed from
 * {@code [start_level, start_level + num_levels)} (0 levels: any non-negative int), generates that
 * level's ruleset with the context's generator knobs (so a level is a task: train on one range,
 * test on another), builds the layout and places the ruleset's objects and the agent on distinct
 * free cells, all from the env's stream. A step applies the action, then the rules in order, then
 * checks the goal; meeting it terminates with reward {@code 1 - 0.9 * steps / max_steps}
 * (XLand-MiniGrid's), where {@code max_steps = 3 * width * height} is also the registered time limit.
 *
 * <p>The observation is the agent's view, {@code view x view} cells ahead of it with the agent at the
 * bottom row's middle facing up, as a uint8 {@code [2, view, view]} array: channel 0 the tile ids,
 * channel 1 the colour ids ({@link Tiles}); cells outside the world read 0. As in XLand-MiniGrid's
 * default, walls do not hide what is behind them and neither the agent nor its pocket is drawn.
 */
public final class XLandEnv implements Env, LevelInfo {

  public static final Space ACTION = new Discrete(World.NUM_ACTIONS);

  /** A level's ruleset depends on the knobs and the seed only; generating one costs far more than an episode's steps. */
  private record Level(RulesetGenerator generator, long seed) {}

  private static final int MAX_CACHED = 100_000;
  private static final Map<Level, Ruleset> RULESETS = new ConcurrentHashMap<>();

  private final Layout layout;
  private final int view;
  private final Space observation;
  private final World world;
  private final int maxSteps;
  /** Free cells of the built layout, shuffled in part to place objects. */
  private final int[] free;

  private Context context;
  private RulesetGenerator generator;
  private long levelLow;
  private long levelHigh;
  private SplittableRandom random = new SplittableRandom(0);

  private long levelSeed = -1;
  private Ruleset ruleset;
  private Rule[] rules;
  private Goal goal;
  private int steps;
  private boolean terminated;

  public XLandEnv(Context context, Layout layout, int width, int height, int view) {
    layout.checkSize(width, height);
    if (view < 3 || view % 2 == 0) {
      throw new IllegalArgumentException("view size must be odd and >= 3, got " + view);
    }
    this.layout = layout;
    this.view = view;
    this.observation = Box.uniform(0, Tiles.NUM_TILES - 1, new int[] {2, view, view}, DType.UINT8);
    this.world = new World(width, height);
    this.maxSteps = maxSteps(width, height);
    this.free = new int[width * height];
    setContext(context);
  }

  /** XLand-MiniGrid's episode length: three times the number of cells. */
  public static int maxSteps(int width, int height) {
    return 3 * width * height;
  }

  /** The context features of an XLand env registered as {@code owner}; the defaults are the trivial benchmark's knobs. */
  public static ContextSpace contextSpace(String owner) {
    return contextSpace(owner, List.of());
  }

  /** The same, with {@code extra} features (a variant's own) after the generator's. */
  static ContextSpace contextSpace(String owner, List<ContextFeature> extra) {
    double maxInt = Integer.MAX_VALUE;
    List<ContextFeature> f = new ArrayList<>(List.of(
        new ContextFeature("num_levels", 0, 0, maxInt, "number of distinct rulesets (0 = unbounded)", true),
        new ContextFeature("start_level", 0, 0, maxInt, "first ruleset seed", true),
        new ContextFeature("chain_depth", 0, 0, RulesetGenerator.MAX_CHAIN_DEPTH,
            "levels of rules between the initial objects and the goal", true),
        new ContextFeature("sample_depth", 0, 0, 1, "draw the depth from [0, chain_depth] per ruleset (0 or 1)", true),
        new ContextFeature("prune_prob", 0, 0, 1, "chance a chain branch stops early, its object placed at the start"),
        new ContextFeature("distractor_rules", 0, 0, RulesetGenerator.MAX_DISTRACTOR_RULES,
            "rules that do not lead to the goal", true),
        new ContextFeature("sample_distractor_rules", 0, 0, 1,
            "draw the number of distractor rules from [0, distractor_rules] (0 or 1)", true),
        new ContextFeature("distractor_objects", 3, 0, RulesetGenerator.MAX_DISTRACTOR_OBJECTS,
            "objects no rule of the chain uses", true),
        new ContextFeature("benchmark", 0, 0, XLandBenchmark.NAMES.size(),
            "0: the knobs above; 1-4: the trivial, small, medium or high benchmark's knobs", true)));
    f.addAll(extra);
    List<Function<Context, String>> rules = new ArrayList<>();
    List<String> whole = new ArrayList<>(List.of("num_levels", "start_level", "chain_depth", "sample_depth",
        "distractor_rules", "sample_distractor_rules", "distractor_objects", "benchmark"));
    extra.forEach(e -> whole.add(e.name()));
    for (String name : whole) {
      rules.add(c -> c.get(name) == Math.rint(c.get(name)) ? null
          : "context feature '" + name + "' = " + c.get(name) + " must be a whole number");
    }
    rules.add(c -> c.get("start_level") + c.get("num_levels") <= maxInt ? null
        : "start_level + num_levels must not exceed " + (long) maxInt);
    List<ContextFeature> knobs = List.copyOf(f.subList(2, 8)); // chain_depth ... distractor_objects
    rules.add(c -> c.get("benchmark") == 0 || knobs.stream().allMatch(k -> c.get(k.name()) == k.defaultValue()) ? null
        : "benchmark = " + (int) c.get("benchmark") + " sets the generator knobs; leave "
            + String.join(", ", knobs.stream().map(ContextFeature::name).toList()) + " at their defaults");
    return new ContextSpace(owner, f, rules);
  }

  @Override
  public Space observationSpace() {
    return observation;
  }

  @Override
  public Space actionSpace() {
    return ACTION;
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public void setContext(Context c) {
    this.context = c;
    long numLevels = (long) c.get("num_levels");
    levelLow = numLevels == 0 ? 0 : (long) c.get("start_level");
    levelHigh = numLevels == 0 ? Integer.MAX_VALUE : levelLow + numLevels;
    int benchmark = (int) c.get("benchmark");
    generator = benchmark != 0 ? XLandBenchmark.generator(benchmark)
        : new RulesetGenerator((int) c.get("chain_depth"), c.get("sample_depth") != 0, c.get("prune_prob"),
            (int) c.get("distractor_rules"), c.get("sample_distractor_rules") != 0, (int) c.get("distractor_objects"));
    levelSeed = -1; // the knobs may have changed: regenerate at the next reset
  }

  @Override
  public void seed(long seed) {
    random = new SplittableRandom(seed);
  }

  @Override
  public void reset(ByteBuffer obs, int obsOffset) {
    long seed = random.nextLong(levelLow, levelHigh);
    if (seed != levelSeed || ruleset == null) {
      levelSeed = seed;
      ruleset = RULESETS.computeIfAbsent(new Level(generator, seed), l -> l.generator().generate(l.seed()));
      if (RULESETS.size() > MAX_CACHED) {
        RULESETS.clear(); // a bound on memory; rulesets are a pure function of the level, so this changes no result
      }
      rules = ruleset.rules().toArray(new Rule[0]);
      goal = ruleset.goal();
    }
    restart(obs, obsOffset);
  }

  /**
   * Starts a new episode of the current ruleset: the layout built again and the objects and the
   * agent placed again from the env's stream (XLand-MiniGrid's reset within a trial).
   */
  void restart(ByteBuffer obs, int obsOffset) {
    layout.build(world, random);
    place();
    steps = 0;
    terminated = false;
    writeView(obs, obsOffset);
  }

  /** Puts the ruleset's objects, then the agent, on distinct free cells drawn uniformly. */
  private void place() {
    int n = 0;
    for (int i = 0; i < free.length; i++) {
      if (Tiles.free(world.cells[i] & 0xFF)) {
        free[n++] = i;
      }
    }
    List<Integer> objects = ruleset.objects();
    if (objects.size() + 1 > n) {
      throw new IllegalStateException(objects.size() + " objects and the agent do not fit the " + n
          + " free cells of a " + world.width + "x" + world.height + " " + layout + " world");
    }
    for (int k = 0; k <= objects.size(); k++) {
      int j = k + random.nextInt(n - k); // partial Fisher-Yates: free[k] is a fresh uniform pick
      int cell = free[j];
      free[j] = free[k];
      free[k] = cell;
      if (k < objects.size()) {
        world.cells[cell] = (byte) (int) objects.get(k);
      } else {
        world.placeAgent(cell % world.width, cell / world.width, random.nextInt(4));
      }
    }
  }

  @Override
  public double step(ByteBuffer actions, int actionOffset, ByteBuffer obs, int obsOffset) {
    int action = (int) actions.getLong(actionOffset);
    world.act(action);
    for (Rule r : rules) {
      r.apply(world, action);
    }
    steps++;
    terminated = goal.met(world, action);
    writeView(obs, obsOffset);
    return terminated ? 1.0 - 0.9 * steps / maxSteps : 0.0;
  }

  /** Row r, column c of the view is f = view-1-r cells ahead and l = c - view/2 cells to the right. */
  void writeView(ByteBuffer obs, int offset) {
    int d = world.direction;
    int fx = World.DX[d];
    int fy = World.DY[d];
    int rx = World.DX[(d + 1) & 3];
    int ry = World.DY[(d + 1) & 3];
    int half = view / 2;
    int plane = view * view;
    for (int row = 0; row < view; row++) {
      int ahead = view - 1 - row;
      for (int col = 0; col < view; col++) {
        int right = col - half;
        int cell = world.get(world.agentX + ahead * fx + right * rx, world.agentY + ahead * fy + right * ry);
        int at = offset + row * view + col;
        obs.put(at, (byte) Tiles.tile(cell));
        obs.put(at + plane, (byte) Tiles.color(cell));
      }
    }
  }

  @Override
  public boolean terminated() {
    return terminated;
  }

  @Override
  public long levelSeed() {
    return levelSeed;
  }

  /** Whether the last step met the goal (the only way an XLand episode terminates). */
  @Override
  public boolean levelComplete() {
    return terminated;
  }

  /** The current episode's ruleset (null before the first reset). */
  public Ruleset ruleset() {
    return ruleset;
  }

  /** The live world, for tests and renderers; do not change it between steps. */
  public World world() {
    return world;
  }

  public int maxSteps() {
    return maxSteps;
  }

  /** Steps taken in the current episode. */
  public int episodeSteps() {
    return steps;
  }
}
