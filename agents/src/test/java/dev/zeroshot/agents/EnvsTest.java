package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextOverrides;
import dev.zeroshot.env.context.ContextSpace;
import dev.zeroshot.env.context.LevelRange;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvsTest {

  private static final ContextSpace MAZE = Envs.spec("procgen/maze-easy-v0").contextSpace();

  @Test
  void levelRangesBecomeProcgenContextFeatures() {
    assertEquals(MAZE.with(Map.of("start_level", 0.0, "num_levels", 200.0)),
        ContextOverrides.NONE.resolve(MAZE, LevelRange.parse("0:200")));
    assertEquals(MAZE.with(Map.of("max_maze_dim", 11.0, "start_level", 10000.0, "num_levels", 50.0)),
        ContextOverrides.parse("max_maze_dim=11").resolve(MAZE, LevelRange.parse("10000:10050")));
    assertEquals(MAZE.parse("max_maze_dim=11"), ContextOverrides.parse("max_maze_dim=11").resolve(MAZE, null));
    for (String bad : new String[] {"5:5", "-1:3", "a:b", "1:2:3"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LevelRange.parse(bad));
      assertTrue(e.getMessage().contains("level range '" + bad + "'"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class,
        () -> ContextOverrides.parse("num_levels=3").resolve(MAZE, LevelRange.parse("0:10")));
  }

  @Test
  void configJsonRoundTripsAndKeepsContextsReadable() {
    PpoConfig c = PpoConfig.procgen();
    c.envId = "procgen/maze-easy-v0";
    c.context = LevelRange.parse("0:200").apply(MAZE.defaults());
    String json = c.toJson();
    assertTrue(json.contains("\"start_level\": 0,"), json); // integer knobs as integers
    assertTrue(json.contains("\"num_levels\": 200,"), json);
    PpoConfig back = PpoConfig.fromJson(json);
    assertEquals(c.context, back.context);
    assertEquals(json, back.toJson());
    assertThrows(IllegalArgumentException.class, () -> PpoConfig.fromJson(json.replace("\"numEnvs\": 64", "\"numEnvs\": 0")));
  }

  @Test
  void configJsonWithoutContextMeansTheDefaults() {
    PpoConfig c = PpoConfig.controlDiscrete();
    assertTrue(!c.toJson().contains("context"), c.toJson());
    PpoConfig back = PpoConfig.fromJson(c.toJson());
    assertNull(back.context);
    assertEquals(Envs.spec("CartPole-v1").contextSpace().defaults(), Envs.context(back));
  }

  /** Run folders and checkpoints written before the typed context hold it as {@code k=v,...} text. */
  @Test
  void oldConfigJsonWithTheContextAsTextStillLoads() {
    PpoConfig c = PpoConfig.procgen();
    c.envId = "procgen/maze-easy-v0";
    String old = c.toJson().replace("\"envId\": \"procgen/maze-easy-v0\",",
        "\"envId\": \"procgen/maze-easy-v0\",\n  \"context\": \"max_maze_dim=11,start_level=0,num_levels=200\",");
    assertTrue(old.contains("\"context\": \"max_maze_dim"), old);
    Context expected = MAZE.with(Map.of("max_maze_dim", 11.0, "start_level", 0.0, "num_levels", 200.0));
    assertEquals(expected, PpoConfig.fromJson(old).context);
    assertNull(PpoConfig.fromJson(old.replace("max_maze_dim=11,start_level=0,num_levels=200", "")).context);
    assertThrows(IllegalArgumentException.class,
        () -> PpoConfig.fromJson(old.replace("max_maze_dim=11", "max_maze_dimm=11")));
  }

  @Test
  void aContextOfAnotherEnvIsRefused() {
    PpoConfig c = PpoConfig.controlDiscrete();
    c.context = MAZE.defaults();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::validate);
    assertTrue(e.getMessage().contains("CartPole-v1"), e.getMessage());
  }

  /** The config.json of the CoinRun run in docs/examples, written with the context as text. */
  @Test
  void theDocsCoinRunConfigStillLoads() throws Exception {
    String json = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/examples/agents/coinrun-gpu/config.json"));
    assertTrue(json.contains("\"context\": \"start_level=0,num_levels=200\""), json);
    PpoConfig c = PpoConfig.fromJson(json);
    ContextSpace coinrun = Envs.spec("procgen/coinrun-easy-v0").contextSpace();
    assertEquals(coinrun.with(Map.of("start_level", 0.0, "num_levels", 200.0)), c.context);
  }
}
