package dev.zeroshot.env.xland;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The generator (deterministic, within its knobs, solvable) and the rule-chain search it relies on. */
class RulesetGeneratorTest {

  static final int A = RuleTest.A;
  static final int B = RuleTest.B;
  static final int C = Tiles.cell(Tiles.PYRAMID, Tiles.PURPLE);
  static final int D = Tiles.cell(Tiles.STAR, Tiles.WHITE);

  @Test
  void searchFindsChainsAndRefusesDeadEnds() {
    assertTrue(RuleChainSearch.solvable(new Ruleset(Goal.agentHold(A), List.of(), List.of(A))));
    assertFalse(RuleChainSearch.solvable(new Ruleset(Goal.agentHold(A), List.of(), List.of(B))), "nothing makes a");
    assertFalse(RuleChainSearch.solvable(new Ruleset(Goal.agentHold(A), List.of(Rule.agentHold(A, B)), List.of(A))),
        "picking a up always turns it into b");
    assertTrue(RuleChainSearch.solvable(new Ruleset(Goal.agentHold(A),
        List.of(Rule.agentHold(A, B), Rule.agentHold(B, A)), List.of(A))), "...unless a later rule turns it back");
    assertFalse(RuleChainSearch.solvable(new Ruleset(Goal.agentHold(A),
        List.of(Rule.agentHold(B, A), Rule.agentHold(A, B)), List.of(A))), "in that order it cannot");

    Goal near = Goal.tileNear(Goal.Kind.TILE_NEAR_LEFT, A, B);
    assertFalse(RuleChainSearch.solvable(new Ruleset(near, List.of(), List.of(A))), "b missing");
    assertTrue(RuleChainSearch.solvable(new Ruleset(near, List.of(), List.of(A, B))));
    Rule makeA = Rule.tileNear(Rule.Kind.TILE_NEAR, C, D, A);
    Rule makeB = Rule.agentNear(Rule.Kind.AGENT_NEAR_UP, C, B);
    assertTrue(RuleChainSearch.solvable(new Ruleset(near, List.of(makeA, makeB), List.of(C, D, C))),
        "two levels: c+d make a, the other c makes b");
    assertFalse(RuleChainSearch.solvable(new Ruleset(near, List.of(makeA, makeB), List.of(C, D))),
        "one c cannot make both a and b");
    assertFalse(RuleChainSearch.solvable(new Ruleset(Goal.tileNear(Goal.Kind.TILE_NEAR,
        Tiles.cell(Tiles.GOAL, Tiles.RED), Tiles.cell(Tiles.GOAL, Tiles.BLUE)), List.of(),
        List.of(Tiles.cell(Tiles.GOAL, Tiles.RED), Tiles.cell(Tiles.GOAL, Tiles.BLUE)))), "goal tiles cannot be moved");
  }

  @Test
  void sameSeedSameRulesetAndSeedsGiveManyRulesets() {
    Set<String> distinct = new HashSet<>();
    for (long seed = 0; seed < 1000; seed++) {
      Ruleset r = RulesetGenerator.MEDIUM.generate(seed);
      assertEquals(r, RulesetGenerator.MEDIUM.generate(seed));
      distinct.add(r.toString());
    }
    assertTrue(distinct.size() > 990, "only " + distinct.size() + " distinct rulesets in 1000 seeds");
  }

  /**
   * 10,000 raw draws per benchmark (before the generator throws unsolvable ones away): few are
   * unsolvable (a broken chain construction would make many), all are within the object bound,
   * and the rule count stays within a full tree plus the distractors.
   */
  @Test
  void benchmarkDrawsAreAlmostAlwaysSolvableAndWithinBounds() {
    Map<String, RulesetGenerator> benchmarks = Map.of("trivial", RulesetGenerator.TRIVIAL,
        "small", RulesetGenerator.SMALL, "medium", RulesetGenerator.MEDIUM, "high", RulesetGenerator.HIGH);
    benchmarks.forEach((name, gen) -> {
      SplittableRandom random = new SplittableRandom(11);
      long t0 = System.nanoTime();
      int unsolvable = 0;
      int maxRules = 0;
      for (int i = 0; i < 10_000; i++) {
        Ruleset r = gen.sample(random);
        unsolvable += RuleChainSearch.solvable(r) ? 0 : 1;
        assertTrue(r.objects().size() <= RulesetGenerator.MAX_OBJECTS, name + ": too many objects in " + r);
        maxRules = Math.max(maxRules, r.rules().size());
      }
      System.out.printf("xland %s: %d of 10000 raw draws unsolvable, at most %d rules, %.0f us per draw and search%n",
          name, unsolvable, maxRules, (System.nanoTime() - t0) / 1e7);
      assertTrue(unsolvable < 200, name + ": " + unsolvable + " of 10000 draws unsolvable");
      int chainRules = (1 << (gen.chainDepth() + 1)) - 2; // a full binary tree below a two-object goal
      assertTrue(maxRules <= chainRules + gen.distractorRules(), name + ": " + maxRules + " rules");
      assertTrue(gen.chainDepth() == 0 || maxRules >= gen.chainDepth(), name + ": the chain never reached its depth");
    });
  }

  @Test
  void withoutPruningOrDistractorsEveryChainObjectFeedsOneRule() {
    RulesetGenerator gen = new RulesetGenerator(2, false, 0, 0, false, 0);
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 2000; i++) {
      Ruleset r = gen.sample(random);
      int goalObjects = r.goal().kind().pair() ? 2 : 1;
      // each level has one rule per object of the level above, and each rule reads 1 or 2 objects
      assertTrue(r.rules().size() >= 2 && r.rules().size() <= goalObjects * 3, r.toString());
      // the chain is connected: every placed object feeds a rule, every product but the goal's feeds another
      Set<Integer> inputs = new HashSet<>();
      r.rules().forEach(x -> inputs.addAll(List.of(x.a(), x.b())));
      assertTrue(inputs.containsAll(r.objects()), "an object feeds no rule: " + r);
      for (Rule x : r.rules()) {
        assertTrue(inputs.contains(x.product()) || x.product() == r.goal().a() || x.product() == r.goal().b(),
            "a product leads nowhere: " + r);
      }
    }
  }

  @Test
  void knobsOutsideTheirRangeAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RulesetGenerator(4, false, 0, 0, false, 0));
    assertEquals("chain_depth = 4 must be in [0, 3]", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RulesetGenerator(1, false, 1.5, 0, false, 0));
    assertThrows(IllegalArgumentException.class, () -> new RulesetGenerator(1, false, 0, 5, false, 0));
  }
}
