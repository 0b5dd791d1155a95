package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.context.ContextSpace;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Context features: bad values refused with a clear message; each knob changes the levels as it claims. */
class ProcgenContextTest {

  private static ContextSpace space(String id) {
    return EnvRegistry.builtin().spec(id).contextSpace();
  }

  @Test
  void outOfBoundsAndFractionalKnobsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> space("procgen/maze-v0").with(Map.of("world_dim", 100.0)));
    assertTrue(e.getMessage().contains("world_dim") && e.getMessage().contains("100") && e.getMessage().contains("[3, 64]"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> space("procgen/maze-v0").with(Map.of("world_dim", 12.5)));
    assertTrue(e.getMessage().contains("whole number"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> space("procgen/maze-v0").with(Map.of("max_maze_dim", 8.0)));
    assertTrue(e.getMessage().contains("odd"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> space("procgen/maze-easy-v0").with(Map.of("max_maze_dim", 17.0)));
    assertTrue(e.getMessage().contains("max_maze_dim must not exceed world_dim"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> space("procgen/heist-v0").with(Map.of("max_keys", 4.0)));
    assertThrows(IllegalArgumentException.class,
        () -> space("procgen/miner-v0").with(Map.of("diamond_fraction", 0.4, "boulder_fraction", 0.4)));
    assertThrows(IllegalArgumentException.class, () -> space("procgen/bigfish-v0").with(Map.of("spawn_one_in", 1.0)));
    assertThrows(IllegalArgumentException.class, () -> space("procgen/maze-v0").with(Map.of("use_backgrounds", 0.5)));
    assertThrows(IllegalArgumentException.class,
        () -> space("procgen/maze-v0").with(Map.of("start_level", (double) Integer.MAX_VALUE, "num_levels", 2.0)));
  }

  @Test
  void integerKnobsPrintAndWriteAsIntegers() {
    ContextSpace maze = space("procgen/maze-easy-v0");
    var c = maze.with(Map.of("num_levels", 200.0, "world_dim", 11.0, "max_maze_dim", 11.0));
    assertEquals("num_levels=200,start_level=0,use_backgrounds=1,restrict_themes=0,world_dim=11,min_maze_dim=3,"
        + "max_maze_dim=11", c.toString());
    assertEquals("{\"num_levels\":200,\"start_level\":0,\"use_backgrounds\":1,\"restrict_themes\":0,\"world_dim\":11,"
        + "\"min_maze_dim\":3,\"max_maze_dim\":11}", c.toJson());
    assertEquals("num_levels=200,world_dim=11,max_maze_dim=11", c.changes().toString());
    assertEquals(c, maze.parse(c.toString()), "the printed form parses back");
    assertTrue(maze.toString().contains("num_levels             default 0            [0, 2147483647]"), maze.toString());
    // real knobs keep their fraction
    var miner = space("procgen/miner-v0").defaults();
    assertTrue(miner.toString().contains("diamond_fraction=0.03,") && miner.toString().contains("num_levels=0,"),
        miner.toString());
  }

  @Test
  void modeDefaultsReproduceProcgensSizes() {
    assertEquals(15, space("procgen/maze-easy-v0").defaults().get("world_dim"));
    assertEquals(25, space("procgen/maze-v0").defaults().get("world_dim"));
    assertEquals(31, space("procgen/maze-memory-v0").defaults().get("world_dim"));
    assertEquals(9, space("procgen/heist-easy-v0").defaults().get("world_dim"));
    assertEquals(20, space("procgen/miner-v0").defaults().get("world_dim"));
    assertEquals(1, space("procgen/bigfish-easy-v0").defaults().get("start_radius"));
  }

  @Test
  void mazeDimKnobsFixTheMazeSize() {
    GameDriver d = new GameDriver("procgen/maze-v0", Map.of("min_maze_dim", 7.0, "max_maze_dim", 7.0));
    Set<Integer> defaultSizes = new HashSet<>();
    GameDriver plain = new GameDriver("procgen/maze-v0");
    for (int s = 0; s < 100; s++) {
      assertEquals(7, ((Maze) d.level(s).game).mazeDim());
      defaultSizes.add(((Maze) plain.level(s).game).mazeDim());
    }
    assertTrue(defaultSizes.size() > 5, "default maze sizes vary: " + defaultSizes);
  }

  @Test
  void maxKeysZeroRemovesLocks() {
    GameDriver none = new GameDriver("procgen/heist-v0", Map.of("max_keys", 0.0));
    GameDriver plain = new GameDriver("procgen/heist-v0");
    int withThree = 0;
    for (int s = 0; s < 200; s++) {
      assertEquals(0, ((Heist) none.level(s).game).numDoors());
      if (((Heist) plain.level(s).game).numDoors() == 3) {
        withThree++;
      }
    }
    assertTrue(withThree > 0, "hard heist has levels with three locks");
  }

  @Test
  void minerFractionsSetTheCounts() {
    GameDriver d = new GameDriver("procgen/miner-v0", Map.of("diamond_fraction", 0.1, "boulder_fraction", 0.0));
    for (int s = 0; s < 20; s++) {
      Miner m = (Miner) d.level(s).game;
      int diamonds = 0;
      int boulders = 0;
      for (int i = 0; i < m.grid().size(); i++) {
        diamonds += m.grid().get(i) == Miner.DIAMOND ? 1 : 0;
        boulders += m.grid().get(i) == Miner.BOULDER ? 1 : 0;
      }
      assertEquals(40, diamonds);
      assertEquals(0, boulders);
    }
  }

  @Test
  void bigfishStartRadius() {
    GameDriver d = new GameDriver("procgen/bigfish-v0", Map.of("start_radius", 1.5));
    assertEquals(1.5f, d.level(3).game.agent().rx);
    assertEquals(0.5f, new GameDriver("procgen/bigfish-v0").level(3).game.agent().rx);
  }

  @Test
  void levelRangeBoundsTheLevelSeeds() {
    GameDriver one = new GameDriver("procgen/maze-v0", Map.of("num_levels", 1.0, "start_level", 42.0));
    one.level(0);
    byte[] first = one.obs.array().clone();
    for (int k = 0; k < 5; k++) {
      one.game.reset(one.obs, 0);
      assertEquals(42, one.game.levelSeed());
      assertTrue(java.util.Arrays.equals(first, one.obs.array()), "one level: every reset shows the same level");
    }
    GameDriver five = new GameDriver("procgen/heist-v0", Map.of("num_levels", 5.0, "start_level", 100.0));
    five.game.seed(1);
    Set<Long> seen = new HashSet<>();
    for (int k = 0; k < 100; k++) {
      five.game.reset(five.obs, 0);
      long seed = five.game.levelSeed();
      assertTrue(seed >= 100 && seed < 105, "seed " + seed);
      seen.add(seed);
    }
    assertEquals(5, seen.size());
  }

  @Test
  void backgroundsAndThemesCanBeTurnedOff() {
    GameDriver black = new GameDriver("procgen/bigfish-v0", Map.of("use_backgrounds", 0.0));
    GameDriver water = new GameDriver("procgen/bigfish-v0");
    black.level(5);
    water.level(5);
    assertEquals(0, black.game.pixel(10, 10));
    assertTrue(water.game.pixel(10, 10) != 0);

    GameDriver fixed = new GameDriver("procgen/maze-v0", Map.of("restrict_themes", 1.0));
    GameDriver varied = new GameDriver("procgen/maze-v0");
    Set<Integer> themes = new HashSet<>();
    for (int s = 0; s < 50; s++) {
      assertEquals(0, fixed.level(s).game.theme());
      themes.add(varied.level(s).game.theme());
    }
    assertTrue(themes.size() > 1, "levels differ in colour theme");
  }

  @Test
  void docsListEveryFeature() throws Exception {
    java.nio.file.Path doc = java.nio.file.Path.of("../docs/procgen.md");
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(doc), "docs/procgen.md not beside this module");
    String text = java.nio.file.Files.readString(doc);
    for (dev.zeroshot.env.EnvSpec spec : EnvRegistry.builtin().specs()) {
      if (spec.id().startsWith("procgen/")) {
        assertTrue(text.contains(spec.id().substring("procgen/".length())), spec.id() + " missing from docs/procgen.md");
        for (String name : spec.contextSpace().names()) {
          assertTrue(text.contains("`" + name + "`"), name + " of " + spec.id() + " missing from docs/procgen.md");
        }
      }
    }
  }

  @Test
  void framesAreChannelFirst() {
    GameDriver d = new GameDriver("procgen/bigfish-v0").level(1);
    boolean anyColour = false;
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        int p = d.game.pixel(x, y);
        assertEquals((p >> 16) & 255, d.obs.get(y * 64 + x) & 255);
        assertEquals((p >> 8) & 255, d.obs.get(4096 + y * 64 + x) & 255);
        assertEquals(p & 255, d.obs.get(8192 + y * 64 + x) & 255);
        anyColour |= ((p >> 16) & 255) != (p & 255);
      }
    }
    assertTrue(anyColour);
    assertFalse(d.game.terminated());
  }
}
