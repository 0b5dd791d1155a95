package dev.zeroshot.env.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.control.CartPole;
import dev.zeroshot.env.control.MountainCar;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ContextTest {

  private static final ContextSpace SPACE = CartPole.CONTEXT;

  private static void assertRefused(Executable make, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' should mention '" + f + "'");
    }
  }

  @Test
  void defaultsAreTheDeclaredDefaults() {
    Context c = SPACE.defaults();
    assertEquals(9.8, c.get("gravity"));
    assertEquals(0.1, c.get("masspole"));
    assertEquals(SPACE.size(), c.values().length);
  }

  @Test
  void parseOverridesOnlyTheNamedFeatures() {
    Context c = SPACE.parse(" masscart=2.5 , length=1");
    assertEquals(2.5, c.get("masscart"));
    assertEquals(1.0, c.get("length"));
    assertEquals(9.8, c.get("gravity"));
    assertEquals(SPACE.defaults(), SPACE.parse(""));
  }

  @Test
  void badContextsAreRefusedNamingFeatureValueAndRange() {
    assertRefused(() -> SPACE.parse("mass=2"), "unknown context feature 'mass'", "CartPole-v1", "masscart");
    assertRefused(() -> SPACE.parse("masscart=20"), "'masscart' = 20.0", "[0.1, 10.0]");
    assertRefused(() -> SPACE.parse("gravity=0"), "'gravity' = 0.0", "[0.1, inf)");
    assertRefused(() -> SPACE.parse("length=NaN"), "'length' is NaN");
    // unbounded features (gravity's upper bound, MountainCar's force) still take finite values only
    assertRefused(() -> SPACE.parse("gravity=Infinity"), "'gravity' = Infinity is not finite", "[0.1, inf)");
    assertRefused(() -> SPACE.parse("gravity=1e999"), "'gravity' = Infinity is not finite");
    assertRefused(() -> MountainCar.CONTEXT.parse("force=-Infinity"), "'force' = -Infinity is not finite", "(-inf, inf)");
    assertRefused(() -> SPACE.with(Map.of("gravity", Double.POSITIVE_INFINITY)), "not finite");
    assertRefused(() -> SPACE.parse("length=long"), "non-numeric", "long");
    assertRefused(() -> SPACE.parse("length"), "expected name=value");
    assertRefused(() -> SPACE.parse("tau=0.01,tau=0.02"), "given twice");
    assertRefused(() -> SPACE.parse("initial_state_lower=0.1,initial_state_upper=0.0"),
        "initial_state_lower must not exceed initial_state_upper");
    assertRefused(() -> MountainCar.CONTEXT.parse("min_position=1"), "min_position must be below max_position");
    assertRefused(() -> SPACE.with(Map.of("masscart", 0.0)), "masscart");
  }

  @Test
  void badFeatureDeclarationsAreRefused() {
    assertRefused(() -> new ContextFeature("2x", 0, 0, 1, ""), "identifier");
    assertRefused(() -> new ContextFeature("x", 2, 0, 1, ""), "default 2.0", "[0.0, 1.0]");
    assertRefused(() -> new ContextFeature("x", 0, 1, 0, ""), "bad bounds");
    ContextFeature f = new ContextFeature("x", 0, 0, 1, "");
    assertRefused(() -> new ContextSpace("T-v0", List.of(f, f)), "twice");
  }

  @Test
  void jsonRoundTripsAndRefusesBadJson() {
    Context c = SPACE.parse("masscart=3,tau=0.01");
    Context back = Context.fromJson(SPACE, c.toJson());
    assertEquals(c, back);
    assertEquals(SPACE.parse("length=2"), Context.fromJson(SPACE, "{\"length\": 2}"));
    assertRefused(() -> Context.fromJson(SPACE, "[1,2]"), "must be an object");
    assertRefused(() -> Context.fromJson(SPACE, "{\"length\": \"x\"}"), "'length' must be a number");
    assertRefused(() -> Context.fromJson(SPACE, "{\"size\": 1}"), "unknown context feature 'size'");
    assertRefused(() -> Context.fromJson(SPACE, "{\"length\": 99}"), "'length' = 99.0");
    assertRefused(() -> Context.fromJson(SPACE, "{"), "does not parse");
  }

  @Test
  void infiniteValuesSurviveJson() {
    Context c = MountainCar.CONTEXT.parse("min_position=-1e308");
    assertEquals(c, Context.fromJson(MountainCar.CONTEXT, c.toJson()));
  }

  @Test
  void gridIsLinspaceOfOneFeature() {
    List<Context> grid = ContextSampler.grid(SPACE.defaults(), "masscart", 0.1, 10, 100);
    assertEquals(100, grid.size());
    assertEquals(0.1, grid.get(0).get("masscart"));
    assertEquals(10.0, grid.get(99).get("masscart"));
    assertEquals(0.1 + 9.9 * 50 / 99, grid.get(50).get("masscart"), 1e-12);
    assertEquals(SPACE.defaults().get("length"), grid.get(50).get("length"));
    assertRefused(() -> ContextSampler.grid(SPACE.defaults(), "masscart", 0.1, 20, 5), "grid end", "20.0");
    assertRefused(() -> ContextSampler.grid(SPACE.defaults(), "masscart", 0.1, 1, 0), "at least 1");
  }

  @Test
  void gridValuesReadAsTyped() {
    List<Context> grid = ContextSampler.grid(SPACE.defaults(), "length", 0.1, 2.0, 20);
    for (int i = 0; i < 20; i++) { // 0.1, 0.2, ..., 2.0; in doubles 0.7999999999999999 and 1.4000000000000001 appear
      String typed = new java.math.BigDecimal("0.1").multiply(java.math.BigDecimal.valueOf(i + 1)).toPlainString();
      assertEquals(typed, Double.toString(grid.get(i).get("length")), "task " + i);
    }
    assertTrue(grid.get(13).toJson().contains("\"length\":1.4,"), grid.get(13).toJson());
    assertEquals(List.of(0.0, 0.5, 1.0), List.of(ContextSampler.gridValue(0, 1, 0, 3), ContextSampler.gridValue(0, 1, 1, 3),
        ContextSampler.gridValue(0, 1, 2, 3)));
    assertEquals(0.48, ContextSampler.gridValue(0.2, 1.6, 1, 6), 0.0, "not 0.48000000000000004");
    // a value that is no short decimal is the double nearest the exact one: 0.1 + 1.9 * 2 / 7
    assertEquals(new java.math.BigDecimal("0.1").add(new java.math.BigDecimal("3.8").divide(new java.math.BigDecimal(7),
        java.math.MathContext.DECIMAL128)).doubleValue(), ContextSampler.gridValue(0.1, 2.0, 2, 8), 0.0);
    assertEquals(0.6428571428571429, ContextSampler.gridValue(0.1, 2.0, 2, 8), 0.0);
  }

  @Test
  void uniformSamplerStaysInBoundsAndRefusesUnboundedFeatures() {
    ContextSampler s = ContextSampler.uniform(SPACE.defaults(), List.of("masscart", "length"));
    SplittableRandom rng = new SplittableRandom(3);
    Set<Double> seen = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      Context c = s.sample(0, i, rng);
      assertTrue(c.get("masscart") >= 0.1 && c.get("masscart") <= 10);
      assertTrue(c.get("length") >= 0.05 && c.get("length") <= 5);
      assertEquals(9.8, c.get("gravity"));
      seen.add(c.get("masscart"));
    }
    assertTrue(seen.size() > 400, "samples should vary");
    assertRefused(() -> ContextSampler.uniform(SPACE.defaults(), List.of("gravity")), "'gravity'", "unbounded");
    assertRefused(() -> ContextSampler.uniform(SPACE.defaults(), List.of("nope")), "unknown context feature 'nope'");
  }

  @Test
  void listSamplerRoundRobinsPerEnvAndReset() {
    List<Context> grid = ContextSampler.grid(SPACE.defaults(), "length", 0.1, 1, 3);
    ContextSampler s = ContextSampler.list(grid, true);
    assertEquals(grid.get(0), s.sample(0, 0, null));
    assertEquals(grid.get(1), s.sample(1, 0, null));
    assertEquals(grid.get(2), s.sample(1, 1, null));
    assertEquals(grid.get(0), s.sample(2, 1, null));
    ContextSampler r = ContextSampler.list(grid, false);
    Context a = r.sample(0, 0, new SplittableRandom(1));
    assertEquals(a, r.sample(5, 9, new SplittableRandom(1)));
    assertRefused(() -> ContextSampler.list(List.of(), true), "empty");
    assertRefused(() -> ContextSampler.list(List.of(SPACE.defaults(), MountainCar.CONTEXT.defaults()), true), "mixes");
  }

  @Test
  void withMakesValidatedCopies() {
    Context base = SPACE.defaults();
    Context changed = base.with("masspole", 0.5);
    assertNotEquals(base, changed);
    assertEquals(0.1, base.get("masspole"));
    assertEquals("gravity=9.8,masscart=1.0,masspole=0.5,length=0.5,force_mag=10.0,tau=0.02,"
        + "initial_state_lower=-0.05,initial_state_upper=0.05", changed.toString());
    assertEquals(changed, SPACE.parse(changed.toString()));
  }
}
