package dev.zeroshot.env.xland;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Named benchmark files: determinism, load == generate, solvability, the env's levels, the split. */
class XLandBenchmarkTest {

  @Test
  void theSameSeedGivesTheSameBytes() {
    byte[] a = XLandBenchmark.generate("medium", 300, 5).toBytes();
    assertArrayEquals(a, XLandBenchmark.generate("medium", 300, 5).toBytes());
    assertFalse(Arrays.equals(a, XLandBenchmark.generate("medium", 300, 6).toBytes()));
    assertFalse(Arrays.equals(a, XLandBenchmark.generate("high", 300, 5).toBytes()));
  }

  /** 10,000 rulesets of each benchmark: written, read back equal, each solvable by the chain search. */
  @ParameterizedTest
  @ValueSource(strings = {"trivial", "small", "medium", "high"})
  void tenThousandRulesetsLoadAsGeneratedAndAreSolvable(String name, @TempDir Path dir) throws Exception {
    XLandBenchmark generated = XLandBenchmark.generate(name, 10_000, 0);
    Path file = dir.resolve(name + ".xlb");
    generated.write(file);
    XLandBenchmark loaded = XLandBenchmark.read(file);
    assertEquals(generated, loaded);
    assertEquals(10_000, loaded.size());
    int maxRules = 0;
    for (Ruleset r : loaded.rulesets()) {
      assertTrue(RuleChainSearch.solvable(r), r.toString());
      maxRules = Math.max(maxRules, r.rules().size());
    }
    assertTrue(maxRules <= RulesetCodec.MAX_RULES);
  }

  /** Ruleset i of a benchmark is what an env with that benchmark plays on level first + i. */
  @Test
  void theFilesRulesetsAreTheEnvsLevels() {
    XLandBenchmark small = XLandBenchmark.generate("small", 20, 100);
    EnvSpec spec = EnvRegistry.builtin().spec("XLand-MiniGrid-R1-9x9-v0");
    for (int i = 0; i < 20; i += 7) {
      XLandEnv env = (XLandEnv) spec.make(spec.contextSpace().parse("benchmark=2,num_levels=1,start_level=" + (100 + i)));
      env.reset(ByteBuffer.allocateDirect(50), 0);
      assertEquals(small.rulesets().get(i), env.ruleset(), "level " + (100 + i));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> spec.contextSpace().parse("benchmark=2,chain_depth=1"));
    assertTrue(e.getMessage().contains("benchmark = 2 sets the generator knobs"), e.getMessage());
  }

  @Test
  void splitKeepsTheFirstRulesetsForTrainingAndHoldsOutTheRest() {
    XLandBenchmark b = XLandBenchmark.generate("trivial", 50, 1000);
    List<XLandBenchmark> parts = b.split(30);
    assertEquals(b.rulesets().subList(0, 30), parts.get(0).rulesets());
    assertEquals(1000, parts.get(0).firstLevel());
    assertEquals(b.rulesets().subList(30, 50), parts.get(1).rulesets());
    assertEquals(1030, parts.get(1).firstLevel());
    assertEquals(XLandBenchmark.generate("trivial", 20, 1030), parts.get(1));
    assertThrows(IllegalArgumentException.class, () -> b.split(50));
  }

  @Test
  void badNamesAndFilesGetOneClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> XLandBenchmark.generate("huge", 10, 0));
    assertEquals("unknown benchmark 'huge'; known: trivial, small, medium, high", e.getMessage());
    byte[] bytes = XLandBenchmark.generate("small", 10, 0).toBytes();
    e = assertThrows(IllegalArgumentException.class,
        () -> XLandBenchmark.fromBytes(Arrays.copyOf(bytes, bytes.length - 3)));
    assertTrue(e.getMessage().contains("ends early"), e.getMessage());
    byte[] wrong = bytes.clone();
    wrong[0] = 'Y';
    e = assertThrows(IllegalArgumentException.class, () -> XLandBenchmark.fromBytes(wrong));
    assertTrue(e.getMessage().contains("XLANDBM1"), e.getMessage());
  }

  /** The encodings are XLand-MiniGrid's (values from its goals.py and rules.py encode methods). */
  @Test
  void goalsAndRulesEncodeAsXLandMiniGrid() {
    int redBall = Tiles.cell(Tiles.BALL, Tiles.RED);
    int blueKey = Tiles.cell(Tiles.KEY, Tiles.BLUE);
    byte[] g = new byte[5];
    RulesetCodec.encodeGoal(Goal.agentHold(redBall), g, 0);
    assertArrayEquals(new byte[] {1, 3, 1, 0, 0}, g);
    RulesetCodec.encodeGoal(Goal.tileNear(Goal.Kind.TILE_NEAR_UP, redBall, blueKey), g, 0);
    assertArrayEquals(new byte[] {7, 3, 1, 7, 3}, g);
    RulesetCodec.encodeGoal(Goal.agentNear(Goal.Kind.AGENT_NEAR_LEFT, blueKey), g, 0);
    assertArrayEquals(new byte[] {14, 7, 3, 0, 0}, g);
    RulesetCodec.encodeGoal(Goal.tileOnPosition(redBall, 2, 5), g, 0);
    assertArrayEquals(new byte[] {5, 3, 1, 5, 2}, g, "the position is (row, column)");
    byte[] r = new byte[7];
    RulesetCodec.encodeRule(Rule.agentNear(Rule.Kind.AGENT_NEAR_DOWN, redBall, blueKey), r, 0);
    assertArrayEquals(new byte[] {10, 3, 1, 7, 3, 0, 0}, r);
    RulesetCodec.encodeRule(Rule.tileNear(Rule.Kind.TILE_NEAR, redBall, blueKey, Tiles.FLOOR_CELL), r, 0);
    assertArrayEquals(new byte[] {3, 3, 1, 7, 3, 1, 7}, r);
    RulesetCodec.encodeRule(Rule.agentHold(blueKey, redBall), r, 0);
    assertArrayEquals(new byte[] {1, 7, 3, 3, 1, 0, 0}, r);
    for (Goal.Kind k : Goal.Kind.values()) {
      Goal goal = switch (k) {
        case TILE_ON_POSITION -> Goal.tileOnPosition(redBall, 3, 4);
        case AGENT_ON_POSITION -> Goal.agentOnPosition(3, 4);
        default -> new Goal(k, redBall, k.pair() ? blueKey : Tiles.NOTHING, 0, 0);
      };
      RulesetCodec.encodeGoal(goal, g, 0);
      assertEquals(goal, RulesetCodec.decodeGoal(g, 0));
    }
    for (Rule.Kind k : Rule.Kind.values()) {
      Rule rule = new Rule(k, redBall, k.inputs == 2 ? blueKey : Tiles.NOTHING, Tiles.FLOOR_CELL);
      RulesetCodec.encodeRule(rule, r, 0);
      assertEquals(rule, RulesetCodec.decodeRule(r, 0));
    }
  }

  /** The RulesetObs variant: the same view as the plain env, then the episode's goal and rules. */
  @Test
  void theRulesetObservationShowsTheViewAndTheRules() {
    String context = "benchmark=4,num_levels=20";
    EnvSpec visible = EnvRegistry.builtin().spec("XLand-MiniGrid-R1-9x9-RulesetObs-v0");
    EnvSpec plain = EnvRegistry.builtin().spec("XLand-MiniGrid-R1-9x9-v0");
    XLandRulesetObservationEnv env = (XLandRulesetObservationEnv) visible.make(visible.contextSpace().parse(context));
    XLandEnv base = (XLandEnv) plain.make(plain.contextSpace().parse(context));
    int n = 50 + 5 + 7 * RulesetCodec.MAX_RULES;
    assertEquals(List.of(n), Arrays.stream(((dev.zeroshot.env.space.Box) env.observationSpace()).shape()).boxed().toList());
    ByteBuffer a = ByteBuffer.allocateDirect(n);
    ByteBuffer b = ByteBuffer.allocateDirect(50);
    ByteBuffer action = ByteBuffer.allocateDirect(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    env.seed(4);
    base.seed(4);
    java.util.SplittableRandom policy = new java.util.SplittableRandom(1);
    for (int episode = 0; episode < 5; episode++) {
      env.reset(a, 0);
      base.reset(b, 0);
      for (int t = 0; t < 60 && !env.terminated(); t++) {
        byte[] expected = RulesetCodec.encodeGoalAndRules(env.episode().ruleset());
        byte[] got = new byte[n];
        a.get(0, got);
        byte[] view = new byte[50];
        b.get(0, view);
        assertArrayEquals(view, Arrays.copyOf(got, 50));
        assertArrayEquals(expected, Arrays.copyOfRange(got, 50, n));
        assertEquals(env.episode().ruleset().goal(), RulesetCodec.decodeGoal(got, 50));
        action.putLong(0, policy.nextInt(6));
        env.step(action, 0, a, 0);
        base.step(action, 0, b, 0);
      }
    }
  }
}
