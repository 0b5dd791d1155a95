package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.space.Box;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The symbolic ids are the pixel games with another observation: the same actions on the same
 * seeds give the same rewards, ends and episode lengths, and the symbolic window shows the grid.
 */
class SymbolicObservationTest {

  static Stream<String> symbolicIds() {
    return EnvRegistry.builtin().specs().stream().map(EnvSpec::id).filter(id -> id.endsWith("-symbolic-v0"));
  }

  @Test
  void everyModeOfTheFourGridGamesHasASymbolicId() {
    assertEquals(12, symbolicIds().count());
    for (String game : ProcgenSuite.SYMBOLIC_GAMES.keySet()) {
      EnvSpec pixel = EnvRegistry.builtin().spec(ProcgenSuite.id(game, DistributionMode.HARD));
      EnvSpec symbolic = EnvRegistry.builtin().spec(ProcgenSuite.symbolicId(game, DistributionMode.HARD));
      assertEquals(pixel.contextSpace().names(), symbolic.contextSpace().names());
      assertEquals(pixel.maxEpisodeSteps(), symbolic.maxEpisodeSteps());
      assertEquals(symbolic.id(), symbolic.contextSpace().owner());
    }
  }

  @Test
  void windowCoversTheDefaultWorldOrMemoryModesView() {
    assertArrayEquals(new int[] {2, 49, 49}, shape("procgen/maze-symbolic-v0"));
    assertArrayEquals(new int[] {2, 29, 29}, shape("procgen/maze-easy-symbolic-v0"));
    assertArrayEquals(new int[] {2, 9, 9}, shape("procgen/maze-memory-symbolic-v0"));
    assertArrayEquals(new int[] {2, 17, 17}, shape("procgen/heist-easy-symbolic-v0"));
    assertArrayEquals(new int[] {2, 39, 39}, shape("procgen/miner-symbolic-v0"));
    assertArrayEquals(new int[] {2, 37, 37}, shape("procgen/chaser-extreme-symbolic-v0"));
  }

  private static int[] shape(String id) {
    EnvSpec spec = EnvRegistry.builtin().spec(id);
    return ((Box) spec.make(spec.contextSpace().defaults()).observationSpace()).shape();
  }

  @ParameterizedTest
  @MethodSource("symbolicIds")
  void sameActionsOnSameSeedsGiveSameRewardsAndEnds(String id) {
    String pixelId = id.replace("-symbolic-v0", "-v0");
    int envs = 12;
    int episodes = 0;
    try (VectorEnv pixel = EnvRegistry.builtin().vector(pixelId).numEnvs(envs).threads(1).build();
        VectorEnv symbolic = EnvRegistry.builtin().vector(id).numEnvs(envs).threads(1).build()) {
      StepBuffers p = StepBuffers.allocate(pixel);
      StepBuffers s = StepBuffers.allocate(symbolic);
      SplittableRandom policy = new SplittableRandom(23);
      pixel.reset(5, p);
      symbolic.reset(5, s);
      for (int t = 0; t < 4000; t++) {
        for (int i = 0; i < envs; i++) {
          int a = policy.nextInt(15);
          p.setDiscreteAction(i, a);
          s.setDiscreteAction(i, a);
        }
        pixel.step(p);
        symbolic.step(s);
        for (int i = 0; i < envs; i++) {
          String at = id + " env " + i + " step " + t;
          assertEquals(p.reward(i), s.reward(i), at);
          assertEquals(p.terminated(i), s.terminated(i), at);
          assertEquals(p.truncated(i), s.truncated(i), at);
          assertEquals(p.episodeEnded(i), s.episodeEnded(i), at);
          if (p.episodeEnded(i)) {
            assertEquals(p.episodeReturn(i), s.episodeReturn(i), at);
            assertEquals(p.episodeLength(i), s.episodeLength(i), at);
            episodes++;
          }
        }
      }
    }
    assertTrue(episodes >= 40, id + ": only " + episodes + " episodes compared");
  }

  @ParameterizedTest
  @MethodSource("symbolicIds")
  void observationShowsTheGridAroundTheAgent(String id) {
    GameDriver d = new GameDriver(id);
    ProcgenGame g = d.game;
    Box box = (Box) g.observationSpace();
    int side = box.shape()[1];
    boolean wholeWorld = !id.contains("-memory-");
    SplittableRandom policy = new SplittableRandom(3);
    d.level(1);
    int levels = 1;
    for (int t = 0; t < 1500; t++) {
      checkWindow(id + " step " + t, g, d.obs, side, (int) box.high()[0], wholeWorld);
      d.step(policy.nextInt(15));
      if (g.terminated() || t % 400 == 399) {
        g.reset(d.obs, 0);
        levels++;
      }
    }
    assertTrue(levels >= 4);
  }

  private static void checkWindow(String at, ProcgenGame g, ByteBuffer obs, int side, int high, boolean wholeWorld) {
    int plane = side * side;
    int half = side / 2;
    int ax = (int) Math.floor(g.agent().x);
    int ay = (int) Math.floor(g.agent().y);
    int agents = 0;
    int[] cellCounts = new int[high + 1];
    int[] entityCounts = new int[high + 1];
    for (int row = 0; row < side; row++) {
      for (int col = 0; col < side; col++) {
        int cell = obs.get(row * side + col) & 0xFF;
        int entity = obs.get(plane + row * side + col) & 0xFF;
        assertTrue(cell <= high && entity <= high, at + ": code above the box's high");
        // Row 0 is the top (highest y), column 0 the left, centred on the agent's cell.
        assertEquals(g.symbolicCell(g.getObj(ax - half + col, ay + half - row)), cell, at + " cell " + row + "," + col);
        cellCounts[cell]++;
        entityCounts[entity]++;
        if (entity == SymbolicView.AGENT_CODE) {
          agents++;
          assertEquals(half, row, at);
          assertEquals(half, col, at);
        }
      }
    }
    assertEquals(1, agents, at + ": exactly one agent cell");
    for (int i = 0; i < g.entityCount(); i++) {
      Entity e = g.entity(i);
      int col = (int) Math.floor(e.x) - ax + half;
      int row = ay + half - (int) Math.floor(e.y);
      if (e != g.agent() && g.symbolicEntity(e) != 0 && col >= 0 && col < side && row >= 0 && row < side) {
        assertNotEquals(0, obs.get(plane + row * side + col), at + ": entity " + e.type + " not shown");
      }
    }
    if (!wholeWorld) {
      return;
    }
    // With the whole level in view, the window's counts are the level's.
    if (g instanceof Maze) {
      int goals = 0;
      for (int i = 0; i < g.grid().size(); i++) {
        goals += g.grid().get(i) == Maze.GOAL ? 1 : 0;
      }
      assertEquals(goals, cellCounts[2], at + ": cheese");
    } else if (g instanceof Miner m) {
      assertEquals(m.diamondsRemaining(), cellCounts[3] + cellCounts[5], at + ": diamonds");
      assertEquals(inAgentCell(m, exitOf(m)) ? 0 : 1, entityCounts[2], at + ": exit (hidden under the robot)");
    } else if (g instanceof Chaser c) {
      assertEquals(c.totalOrbs() - c.orbsCollected(), cellCounts[2], at + ": small orbs");
    } else if (g instanceof Heist h) {
      int gems = 0;
      for (int i = 0; i < h.entityCount(); i++) {
        gems += h.entity(i).type == Heist.EXIT && !inAgentCell(h, h.entity(i)) ? 1 : 0;
      }
      assertEquals(gems, entityCounts[8], at + ": gem");
    }
  }

  private static boolean inAgentCell(ProcgenGame g, Entity e) {
    return Math.floor(e.x) == Math.floor(g.agent().x) && Math.floor(e.y) == Math.floor(g.agent().y);
  }

  private static Entity exitOf(Miner m) {
    for (int i = 0; i < m.entityCount(); i++) {
      if (m.entity(i).type == Miner.EXIT) {
        return m.entity(i);
      }
    }
    throw new AssertionError("miner level without an exit");
  }

  @Test
  void pixelIdsKeepTheirFrames() {
    EnvSpec spec = EnvRegistry.builtin().spec("procgen/maze-easy-v0");
    assertEquals(ProcgenGame.OBSERVATION, spec.make(spec.contextSpace().defaults()).observationSpace());
  }
}
