package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Jumper: the carrot reachable and spikes on open floor over 1,000 levels per mode; jumps, spikes, carrot, compass; its knobs. */
class JumperTest {

  @ParameterizedTest
  @ValueSource(strings = {"procgen/jumper-easy-v0", "procgen/jumper-v0", "procgen/jumper-memory-v0"})
  void theCarrotIsReachableAndNothingStartsInAWall(String id) {
    GameDriver d = new GameDriver(id);
    boolean memory = id.contains("memory");
    int side = id.contains("easy") ? 20 : memory ? 45 : 40;
    assertEquals(memory ? 2000 : 1000, EnvRegistry.builtin().spec(id).maxEpisodeSteps());
    int spikes = 0;
    for (int s = 0; s < 1000; s++) {
      Jumper j = (Jumper) d.level(s).game;
      Grid g = j.grid();
      assertEquals(side, g.width());
      int[] path = j.goalPath();
      assertEquals(j.agentCell(), path[0]);
      int goalCell = (int) j.goal().x + (int) j.goal().y * side;
      assertEquals(goalCell, path[path.length - 1], id + " level " + s + ": the path ends at the carrot");
      for (int k = 0; k < path.length; k++) {
        assertEquals(ProcgenGame.SPACE, g.get(path[k]), id + " level " + s + ": the path is open");
        if (k > 0) {
          assertEquals(1, Math.abs(path[k] % side - path[k - 1] % side) + Math.abs(path[k] / side - path[k - 1] / side));
        }
      }
      assertEquals(j.agentCell() % side + .5f, j.agent().x);
      assertEquals(j.agentCell() / side + .4f, j.agent().y);
      Set<Integer> spikeCells = new HashSet<>();
      for (int i = 0; i < j.entityCount(); i++) {
        Entity e = j.entity(i);
        int cell = (int) e.x + (int) e.y * side;
        assertEquals(ProcgenGame.SPACE, g.get(cell), id + " level " + s + ": entity " + e.type + " in a wall");
        if (e.type == Jumper.SPIKE) {
          assertEquals((int) e.y, e.y - e.ry, 1e-6, "a spike stands on its cell's floor");
          spikeCells.add(cell);
        }
      }
      for (int cell : spikeCells) {
        assertFalse(spikeCells.contains(cell + 1), id + " level " + s + ": spikes are never side by side");
      }
      spikes += spikeCells.size();
      for (int x = 0; x < side; x++) {
        assertTrue(Jumper.isWall(g.get(x, 0)) && Jumper.isWall(g.get(x, side - 1)), "cave wall along the bottom and top");
      }
    }
    assertEquals(memory, spikes == 0, id + ": spikes only outside memory mode (" + spikes + ")");
  }

  /** Level {@code seed} with every cell open but a floor row, and only the bunny, standing on it. */
  private static Jumper openLevel(GameDriver d, long seed) {
    Jumper j = (Jumper) d.level(seed).game;
    for (int i = 0; i < j.grid().size(); i++) {
      j.setObj(i, i < j.grid().width() ? Jumper.CAVEWALL_TOP : ProcgenGame.SPACE);
    }
    for (int i = j.entityCount() - 1; i >= 0; i--) {
      if (j.entity(i) != j.agent() && j.entity(i) != j.goal()) {
        j.entities.remove(i);
      }
    }
    j.goal().x = 30.5f;
    j.goal().y = 30.5f;
    j.agent().x = 10.5f;
    j.agent().y = 1.4f;
    j.agent().vx = 0;
    j.agent().vy = 0;
    return j;
  }

  /** The highest the bunny gets pressing UP for 40 steps from the floor. */
  private static float peak(GameDriver d, Jumper j) {
    float top = j.agent().y;
    for (int t = 0; t < 40; t++) {
      d.step(GameRulesTest.UP);
      top = Math.max(top, j.agent().y);
    }
    return top;
  }

  @Test
  void jumpsAfterACooldownAndOnceMoreInTheAir() {
    GameDriver d = new GameDriver("procgen/jumper-v0");
    Jumper j = openLevel(d, 1);
    for (int t = 1; t <= 3; t++) {
      d.step(GameRulesTest.UP);
      assertEquals(1.4f, j.agent().y, 1e-5, "no jump in the first 3 steps");
    }
    d.step(GameRulesTest.UP);
    assertTrue(j.agent().y > 2, "the first jump: " + j.agent().y);
    assertEquals(1, j.jumpsLeft());
    assertEquals(.85f, j.agent().vy, 1e-6, "jump speed 1, less gravity 0.15");
    for (int t = 5; t <= 7; t++) {
      d.step(GameRulesTest.UP);
      assertEquals(1, j.jumpsLeft(), "no second jump within 3 steps of the first");
    }
    d.step(GameRulesTest.UP);
    assertEquals(0, j.jumpsLeft());
    assertEquals(.85f, j.agent().vy, 1e-6, "the second jump restarts the rise");
    float vy = j.agent().vy;
    d.step(GameRulesTest.UP);
    assertEquals(vy - .15f, j.agent().vy, 1e-6, "no third jump");
    for (int t = 0; t < 60; t++) {
      d.step(GameRulesTest.NOOP);
      assertTrue(j.agent().vy >= -2.15f, "falls no faster than about 2 cells a step");
    }
    assertEquals(1.4f, j.agent().y, 1e-4, "landed on the floor");
    d.step(GameRulesTest.NOOP);
    assertEquals(2, j.jumpsLeft(), "landing restores both jumps");
    assertFalse(j.terminated());
  }

  @Test
  void maxJumpsOneTakesTheDoubleJumpAway() {
    GameDriver two = new GameDriver("procgen/jumper-v0");
    GameDriver one = new GameDriver("procgen/jumper-v0", Map.of("max_jumps", 1.0));
    float high = peak(two, openLevel(two, 2)) - 1.4f;
    float low = peak(one, openLevel(one, 2)) - 1.4f;
    assertTrue(low > 3 && high > low + 2, "single jump " + low + ", double " + high);
  }

  @Test
  void theCarrotPaysAndSpikesKill() {
    GameDriver d = new GameDriver("procgen/jumper-v0");
    Jumper j = openLevel(d, 3);
    j.goal().x = j.agent().x + .6f;
    j.goal().y = j.agent().y;
    assertEquals(10.0, d.step(GameRulesTest.NOOP));
    assertTrue(j.terminated() && j.levelComplete());
    j = openLevel(d, 3);
    j.addEntity(j.agent().x + .4f, j.agent().y, 0, 0, .23f, .4f, Jumper.SPIKE);
    assertEquals(0.0, d.step(GameRulesTest.NOOP));
    assertTrue(j.terminated() && !j.levelComplete());
  }

  @Test
  void wallsStopTheBunny() {
    GameDriver d = new GameDriver("procgen/jumper-v0");
    Jumper j = openLevel(d, 4);
    j.setObj(13, 1, Jumper.CAVEWALL);
    for (int t = 0; t < 20; t++) {
      d.step(GameRulesTest.RIGHT);
    }
    assertEquals(13 - j.agent().rx, j.agent().x, 1e-4);
    assertFalse(j.terminated());
  }

  @Test
  void theCompassIsDrawnAtTheTopRightOutsideMemoryMode() {
    GameDriver with = new GameDriver("procgen/jumper-v0");
    GameDriver without = new GameDriver("procgen/jumper-v0", Map.of("show_compass", 0.0));
    for (int s = 0; s < 5; s++) {
      with.level(s);
      without.level(s);
      int differing = 0;
      for (int y = 0; y < 64; y++) {
        for (int x = 0; x < 64; x++) {
          if (with.game.pixel(x, y) != without.game.pixel(x, y)) {
            differing++;
            assertTrue(x >= 48 && y < 16, "the compass stays in the top right corner: " + x + "," + y);
          }
        }
      }
      assertTrue(differing > 20, "the compass shows: " + differing + " pixels");
    }
    assertEquals(0, EnvRegistry.builtin().spec("procgen/jumper-memory-v0").contextSpace().defaults().get("show_compass"));
  }

  @Test
  void knobsShapeTheCave() {
    GameDriver none = new GameDriver("procgen/jumper-v0", Map.of("spike_prob", 0.0));
    GameDriver many = new GameDriver("procgen/jumper-v0", Map.of("spike_prob", 1.0));
    GameDriver plain = new GameDriver("procgen/jumper-v0");
    GameDriver uncut = new GameDriver("procgen/jumper-v0", Map.of("prune_to_path", 0.0));
    GameDriver small = new GameDriver("procgen/jumper-v0", Map.of("world_dim", 12.0));
    int some = 0;
    int all = 0;
    int pruned = 0;
    int whole = 0;
    for (int s = 0; s < 50; s++) {
      assertEquals(2, none.level(s).game.entityCount(), "spike_prob 0: only the bunny and the carrot");
      all += many.level(s).game.entityCount() - 2;
      some += plain.level(s).game.entityCount() - 2;
      pruned += open(plain.game.grid());
      whole += open(uncut.level(s).game.grid());
      assertEquals(12, small.level(s).game.grid().width());
    }
    assertTrue(all > some && some > 0, "spike_prob 1 places more spikes: " + all + " vs " + some);
    assertTrue(pruned < whole, "cutting to the path leaves fewer open cells: " + pruned + " vs " + whole);
  }

  private static int open(Grid g) {
    int n = 0;
    for (int i = 0; i < g.size(); i++) {
      n += g.get(i) == ProcgenGame.SPACE ? 1 : 0;
    }
    return n;
  }
}
