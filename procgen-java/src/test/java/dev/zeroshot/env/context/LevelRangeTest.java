package dev.zeroshot.env.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.zeroshot.env.EnvRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LevelRangeTest {

  @Test
  void threeFormsParse() {
    assertEquals(new LevelRange(0, 200), LevelRange.parse("0:200"));
    assertEquals(new LevelRange(10000, 50), LevelRange.parse("10000:10050"));
    assertEquals(new LevelRange(250, Integer.MAX_VALUE - 250L), LevelRange.parse("250:"));
    assertEquals(new LevelRange(0, 200), LevelRange.parse("200"));
    assertEquals(new LevelRange(3, 4), LevelRange.parse(" 3 : 7 "));
  }

  @Test
  void toStringParsesBack() {
    for (String s : new String[] {"0:200", "250:", "5:6"}) {
      assertEquals(s, LevelRange.parse(s).toString());
      assertEquals(LevelRange.parse(s), LevelRange.parse(LevelRange.parse(s).toString()));
    }
    assertEquals("0:200", LevelRange.parse("200").toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ":", ":5", "5:5", "7:3", "-1:4", "a:b", "1:2:3", "0", "-3", "0:2147483648", "x"})
  void badFormsAreRefusedWithOneMessage(String bad) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LevelRange.parse(bad));
    assertEquals(LevelRange.usage(bad), e.getMessage());
  }

  @Test
  void appliesToLevelFeaturesOnly() {
    ContextSpace space = EnvRegistry.builtin().spec("procgen/maze-easy-v0").contextSpace();
    Context base = space.parse("max_maze_dim=11");
    Context c = LevelRange.parse("10:60").apply(base);
    assertEquals(10, c.get("start_level"));
    assertEquals(50, c.get("num_levels"));
    assertEquals(11, c.get("max_maze_dim"));
    Context cartPole = EnvRegistry.builtin().spec("CartPole-v1").contextSpace().defaults();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LevelRange.parse("0:5").apply(cartPole));
    assertEquals("CartPole-v1 has no levels (no num_levels/start_level context features)", e.getMessage());
  }
}
