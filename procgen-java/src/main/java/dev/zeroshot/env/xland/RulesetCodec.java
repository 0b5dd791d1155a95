package dev.zeroshot.env.xland;

import java.util.ArrayList;
import java.util.List;

/**
 * XLand-MiniGrid's integer encoding of goals and rules (its {@code encode()} methods), used by the
 * ruleset-in-observation envs and the benchmark files. Every value fits a byte.
 *
 * <ul>
 *   <li>A goal is 5 values: its id (XLand-MiniGrid's: 1 agent_hold, 2 agent_on_tile, 3 agent_near,
 *       4 tile_near, 5 tile_on_position, 6 agent_on_position, 7-10 tile_near_up/right/down/left,
 *       11-14 agent_near_up/right/down/left), then its objects as (tile, colour) pairs, a position
 *       as (row, column); zeros pad. 0 0 0 0 0 is no goal.
 *   <li>A rule is 7 values: its id (1 agent_hold, 2 agent_near, 3 tile_near, 4-7
 *       tile_near_up/right/down/left, 8-11 agent_near_up/right/down/left), its input objects, then
 *       its product, each a (tile, colour) pair; zeros pad. All zeros is no rule.
 *   <li>An object is 2 values: tile, colour.
 * </ul>
 */
public final class RulesetCodec {

  public static final int GOAL_LENGTH = 5;
  public static final int RULE_LENGTH = 7;
  /** The most rules a generated ruleset has: 2 + 4 + 8 in a full depth-3 chain, plus the distractors. */
  public static final int MAX_RULES = (2 << RulesetGenerator.MAX_CHAIN_DEPTH) - 2 + RulesetGenerator.MAX_DISTRACTOR_RULES;

  /** XLand-MiniGrid's rule id of each {@link Rule.Kind}, by ordinal. */
  private static final int[] RULE_IDS = new int[Rule.Kind.values().length];

  static {
    Rule.Kind[] order = {null, Rule.Kind.AGENT_HOLD, Rule.Kind.AGENT_NEAR, Rule.Kind.TILE_NEAR,
        Rule.Kind.TILE_NEAR_UP, Rule.Kind.TILE_NEAR_RIGHT, Rule.Kind.TILE_NEAR_DOWN, Rule.Kind.TILE_NEAR_LEFT,
        Rule.Kind.AGENT_NEAR_UP, Rule.Kind.AGENT_NEAR_RIGHT, Rule.Kind.AGENT_NEAR_DOWN, Rule.Kind.AGENT_NEAR_LEFT};
    for (int id = 1; id < order.length; id++) {
      RULE_IDS[order[id].ordinal()] = id;
    }
  }

  private static final Rule.Kind[] RULE_KINDS = new Rule.Kind[12];

  static {
    for (Rule.Kind k : Rule.Kind.values()) {
      RULE_KINDS[RULE_IDS[k.ordinal()]] = k;
    }
  }

  private RulesetCodec() {}

  /** Writes {@code g}'s 5 values at {@code out[at]}. */
  public static void encodeGoal(Goal g, byte[] out, int at) {
    java.util.Arrays.fill(out, at, at + GOAL_LENGTH, (byte) 0);
    out[at] = (byte) (g.kind().ordinal() + 1); // Goal.Kind is declared in XLand-MiniGrid's id order
    switch (g.kind()) {
      case TILE_ON_POSITION -> {
        object(g.a(), out, at + 1);
        out[at + 3] = (byte) g.y();
        out[at + 4] = (byte) g.x();
      }
      case AGENT_ON_POSITION -> {
        out[at + 1] = (byte) g.y();
        out[at + 2] = (byte) g.x();
      }
      default -> {
        object(g.a(), out, at + 1);
        if (g.kind().pair()) {
          object(g.b(), out, at + 3);
        }
      }
    }
  }

  /** The goal whose 5 values are at {@code in[at]}. */
  public static Goal decodeGoal(byte[] in, int at) {
    int id = in[at] & 0xFF;
    if (id < 1 || id > Goal.Kind.values().length) {
      throw new IllegalArgumentException("goal id " + id + " at byte " + at + " must be in [1, " + Goal.Kind.values().length + "]");
    }
    Goal.Kind kind = Goal.Kind.values()[id - 1];
    return switch (kind) {
      case TILE_ON_POSITION -> Goal.tileOnPosition(object(in, at + 1), in[at + 4] & 0xFF, in[at + 3] & 0xFF);
      case AGENT_ON_POSITION -> Goal.agentOnPosition(in[at + 2] & 0xFF, in[at + 1] & 0xFF);
      default -> new Goal(kind, object(in, at + 1), kind.pair() ? object(in, at + 3) : Tiles.NOTHING, 0, 0);
    };
  }

  /** Writes {@code r}'s 7 values at {@code out[at]}. */
  public static void encodeRule(Rule r, byte[] out, int at) {
    java.util.Arrays.fill(out, at, at + RULE_LENGTH, (byte) 0);
    out[at] = (byte) RULE_IDS[r.kind().ordinal()];
    object(r.a(), out, at + 1);
    if (r.kind().inputs == 2) {
      object(r.b(), out, at + 3);
      object(r.product(), out, at + 5);
    } else {
      object(r.product(), out, at + 3);
    }
  }

  /** The rule whose 7 values are at {@code in[at]}. */
  public static Rule decodeRule(byte[] in, int at) {
    int id = in[at] & 0xFF;
    if (id < 1 || id >= RULE_KINDS.length) {
      throw new IllegalArgumentException("rule id " + id + " at byte " + at + " must be in [1, " + (RULE_KINDS.length - 1) + "]");
    }
    Rule.Kind kind = RULE_KINDS[id];
    return kind.inputs == 2
        ? new Rule(kind, object(in, at + 1), object(in, at + 3), object(in, at + 5))
        : new Rule(kind, object(in, at + 1), Tiles.NOTHING, object(in, at + 3));
  }

  /**
   * The goal and the rules in a fixed-size vector, as XLand-MiniGrid's rules-and-goals
   * observation: {@code GOAL_LENGTH + MAX_RULES * RULE_LENGTH} values, unused rule slots zero.
   */
  public static byte[] encodeGoalAndRules(Ruleset r) {
    if (r.rules().size() > MAX_RULES) {
      throw new IllegalArgumentException("a ruleset with " + r.rules().size() + " rules does not fit the "
          + MAX_RULES + " rule slots of the observation");
    }
    byte[] out = new byte[GOAL_LENGTH + MAX_RULES * RULE_LENGTH];
    encodeGoal(r.goal(), out, 0);
    for (int i = 0; i < r.rules().size(); i++) {
      encodeRule(r.rules().get(i), out, GOAL_LENGTH + i * RULE_LENGTH);
    }
    return out;
  }

  /** The objects of {@code r} as (tile, colour) pairs. */
  static byte[] encodeObjects(List<Integer> objects) {
    byte[] out = new byte[2 * objects.size()];
    for (int i = 0; i < objects.size(); i++) {
      object(objects.get(i), out, 2 * i);
    }
    return out;
  }

  static List<Integer> decodeObjects(byte[] in, int at, int count) {
    List<Integer> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(object(in, at + 2 * i));
    }
    return out;
  }

  private static void object(int cell, byte[] out, int at) {
    out[at] = (byte) Tiles.tile(cell);
    out[at + 1] = (byte) Tiles.color(cell);
  }

  private static int object(byte[] in, int at) {
    return Tiles.cell(in[at] & 0xFF, in[at + 1] & 0xFF);
  }
}
