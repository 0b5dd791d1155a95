package dev.zeroshot.env.xland;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Samples rulesets from a seed, following XLand-MiniGrid's generator (itself after the procedure
 * of "Human-timescale adaptation in an open-ended task space", appendix A.2): a goal first, then
 * the rule chain backwards from it, level by level as a tree (each rule's inputs are made by the
 * next level's rules; a two-input rule branches), the last level's inputs being the initial
 * objects; a branch may be pruned (its object placed at the start instead). Then distractor
 * objects (not used by the chain) and distractor rules (which may consume chain objects: dead
 * ends). Chain objects are all distinct. A ruleset the {@link RuleChainSearch} finds unsolvable
 * (a distractor hold-rule can make one) is thrown away and the next one drawn from the same
 * stream, so the result depends on the seed and the knobs only.
 *
 * @param chainDepth levels of rules between the initial objects and the goal (0: the goal's objects are placed)
 * @param sampleDepth draw the depth uniformly from [0, chainDepth] per ruleset instead
 * @param pruneProb chance that a chain branch stops early at each level
 * @param distractorRules rules that do not lead to the goal
 * @param sampleDistractorRules draw their number uniformly from [0, distractorRules] instead
 * @param distractorObjects objects the chain does not use
 */
public record RulesetGenerator(int chainDepth, boolean sampleDepth, double pruneProb, int distractorRules,
    boolean sampleDistractorRules, int distractorObjects) {

  // XLand-MiniGrid's generator uses ten colours (not black: the floor's; not the empty one)
  private static final int[] COLORS = {Tiles.RED, Tiles.GREEN, Tiles.BLUE, Tiles.PURPLE, Tiles.YELLOW, Tiles.GREY,
      Tiles.WHITE, Tiles.BROWN, Tiles.PINK, Tiles.ORANGE};
  private static final int[] OBJECT_TILES = {Tiles.BALL, Tiles.SQUARE, Tiles.PYRAMID, Tiles.KEY, Tiles.STAR, Tiles.HEX};
  /** Objects the agent can carry. */
  static final List<Integer> PICKABLE = product(OBJECT_TILES);
  /** Objects a near-goal or tile-rule's first input may be: the pickable ones and goal tiles. */
  static final List<Integer> NEAR_LHS = withGoalTiles();
  /** What a rule may produce: a pickable object, or bare floor (the inputs disappear). */
  static final List<Integer> PRODUCTS = withFloor();

  private static final Goal.Kind[] GOAL_NEAR = {Goal.Kind.AGENT_NEAR, Goal.Kind.AGENT_NEAR_UP,
      Goal.Kind.AGENT_NEAR_DOWN, Goal.Kind.AGENT_NEAR_LEFT, Goal.Kind.AGENT_NEAR_RIGHT};
  private static final Goal.Kind[] GOAL_TILE_NEAR = {Goal.Kind.TILE_NEAR, Goal.Kind.TILE_NEAR_UP,
      Goal.Kind.TILE_NEAR_DOWN, Goal.Kind.TILE_NEAR_LEFT, Goal.Kind.TILE_NEAR_RIGHT};
  private static final Rule.Kind[] RULE_NEAR = {Rule.Kind.AGENT_NEAR, Rule.Kind.AGENT_NEAR_UP,
      Rule.Kind.AGENT_NEAR_DOWN, Rule.Kind.AGENT_NEAR_LEFT, Rule.Kind.AGENT_NEAR_RIGHT};
  private static final Rule.Kind[] RULE_TILE_NEAR = {Rule.Kind.TILE_NEAR, Rule.Kind.TILE_NEAR_UP,
      Rule.Kind.TILE_NEAR_DOWN, Rule.Kind.TILE_NEAR_LEFT, Rule.Kind.TILE_NEAR_RIGHT};

  /** XLand-MiniGrid's four benchmarks' knobs (its scripts/generate_benchmarks.sh). */
  public static final RulesetGenerator TRIVIAL = new RulesetGenerator(0, false, 0, 0, false, 3);
  public static final RulesetGenerator SMALL = new RulesetGenerator(1, false, 0.3, 2, true, 2);
  public static final RulesetGenerator MEDIUM = new RulesetGenerator(2, false, 0.1, 3, true, 2);
  public static final RulesetGenerator HIGH = new RulesetGenerator(3, false, 0.1, 4, true, 1);

  /** Largest knob values: a depth-3 tree of two-input rules and the distractors still fit a 9x9 room. */
  public static final int MAX_CHAIN_DEPTH = 3;
  public static final int MAX_DISTRACTOR_RULES = 4;
  public static final int MAX_DISTRACTOR_OBJECTS = 8;
  /** The most objects a ruleset can place: 2 per leaf of a full depth-3 binary tree, 2 per distractor rule, the distractor objects. */
  public static final int MAX_OBJECTS = 2 * (1 << MAX_CHAIN_DEPTH) + 2 * MAX_DISTRACTOR_RULES + MAX_DISTRACTOR_OBJECTS;

  public RulesetGenerator {
    check("chain_depth", chainDepth, MAX_CHAIN_DEPTH);
    check("distractor_rules", distractorRules, MAX_DISTRACTOR_RULES);
    check("distractor_objects", distractorObjects, MAX_DISTRACTOR_OBJECTS);
    if (!(pruneProb >= 0 && pruneProb <= 1)) {
      throw new IllegalArgumentException("prune_prob = " + pruneProb + " must be in [0, 1]");
    }
  }

  private static void check(String name, int value, int max) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(name + " = " + value + " must be in [0, " + max + "]");
    }
  }

  /** The ruleset of {@code seed} under these knobs. */
  public Ruleset generate(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    while (true) {
      Ruleset r = sample(random);
      if (RuleChainSearch.solvable(r)) {
        return r;
      }
    }
  }

  /** One draw, solvable or not (the generator's raw output, for measuring how often it is not). */
  Ruleset sample(SplittableRandom random) {
    List<Integer> used = new ArrayList<>();
    List<Integer> objects = new ArrayList<>();
    List<Rule> rules = new ArrayList<>();

    List<Integer> chain = new ArrayList<>();
    Goal goal = sampleGoal(random, chain);
    used.addAll(chain);

    int levels = sampleDepth ? random.nextInt(chainDepth + 1) : chainDepth;
    if (levels == 0) {
      objects.addAll(chain);
    }
    for (int level = 0; level < levels; level++) {
      List<Integer> next = new ArrayList<>();
      while (!chain.isEmpty()) {
        int product = chain.remove(chain.size() - 1);
        if (pruneProb > 0 && random.nextDouble() < pruneProb) {
          objects.add(product);
          continue;
        }
        List<Integer> inputs = new ArrayList<>();
        rules.add(sampleRule(random, product, used, inputs));
        used.addAll(inputs);
        next.addAll(inputs);
        if (level == levels - 1) {
          objects.addAll(inputs);
        }
      }
      chain = next;
    }

    for (int i = 0; i < distractorObjects; i++) {
      objects.add(pick(random, NEAR_LHS, used));
    }
    int numDistractors = sampleDistractorRules ? random.nextInt(distractorRules + 1) : distractorRules;
    for (int i = 0; i < numDistractors; i++) {
      int product = pick(random, PRODUCTS, used);
      List<Integer> inputs = new ArrayList<>();
      rules.add(sampleRule(random, product, List.of(), inputs));
      objects.addAll(inputs);
    }
    return new Ruleset(goal, rules, objects);
  }

  /** A goal of one of XLand-MiniGrid's eleven generated kinds; its objects go to {@code tiles}. */
  private static Goal sampleGoal(SplittableRandom random, List<Integer> tiles) {
    int k = random.nextInt(11);
    if (k == 0) {
      int a = pick(random, PICKABLE);
      tiles.add(a);
      return Goal.agentHold(a);
    }
    if (k <= 5) {
      int a = pick(random, NEAR_LHS);
      tiles.add(a);
      return Goal.agentNear(GOAL_NEAR[k - 1], a);
    }
    int a = pick(random, NEAR_LHS);
    int b = pick(random, PICKABLE);
    tiles.add(a);
    tiles.add(b);
    return Goal.tileNear(GOAL_TILE_NEAR[k - 6], a, b);
  }

  /** A rule of one of the eleven kinds making {@code product} from objects not in {@code used}. */
  private static Rule sampleRule(SplittableRandom random, int product, List<Integer> used, List<Integer> inputs) {
    int k = random.nextInt(11);
    if (k <= 5) {
      int a = pick(random, PICKABLE, used);
      inputs.add(a);
      return k == 0 ? Rule.agentHold(a, product) : Rule.agentNear(RULE_NEAR[k - 1], a, product);
    }
    int a = pick(random, NEAR_LHS, used);
    int b = pick(random, PICKABLE, used);
    inputs.add(a);
    inputs.add(b);
    return Rule.tileNear(RULE_TILE_NEAR[k - 6], a, b, product);
  }

  private static int pick(SplittableRandom random, List<Integer> from) {
    return from.get(random.nextInt(from.size()));
  }

  /** A uniform pick from {@code from} minus {@code used} (drawn again on a used one; at most 33 of 60+ are used). */
  private static int pick(SplittableRandom random, List<Integer> from, List<Integer> used) {
    while (true) {
      int x = from.get(random.nextInt(from.size()));
      if (!used.contains(x)) {
        return x;
      }
    }
  }

  private static List<Integer> product(int[] tiles) {
    List<Integer> out = new ArrayList<>();
    for (int t : tiles) {
      for (int c : COLORS) {
        out.add(Tiles.cell(t, c));
      }
    }
    return List.copyOf(out);
  }

  private static List<Integer> withGoalTiles() {
    List<Integer> out = new ArrayList<>(product(OBJECT_TILES));
    out.addAll(product(new int[] {Tiles.GOAL}));
    return List.copyOf(out);
  }

  private static List<Integer> withFloor() {
    List<Integer> out = new ArrayList<>(product(OBJECT_TILES));
    out.add(Tiles.FLOOR_CELL);
    return List.copyOf(out);
  }
}
