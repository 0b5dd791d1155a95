package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.context.ContextOverrides;
import dev.zeroshot.env.context.LevelRange;
import org.junit.jupiter.api.Test;

/** An offline run's config.json (and checkpoint header): typed values, and files written before them. */
class OfflineConfigJsonTest {

  @Test
  void roundTripsTyped() {
    OfflineConfig c = new OfflineConfig();
    c.dataset = "/data/maze";
    c.evalLevels = LevelRange.parse("250:");
    c.context = ContextOverrides.parse("world_dim=9,max_maze_dim=9");
    String json = c.toJson();
    assertTrue(json.contains("\"evalLevels\": \"250:\""), json);
    assertTrue(json.contains("\"world_dim\": 9.0"), json);
    OfflineConfig back = OfflineConfig.fromJson(json);
    assertEquals(c.evalLevels, back.evalLevels);
    assertEquals(c.context, back.context);
    assertEquals(json, back.toJson());
  }

  /** Before, both were text: {@code "evalLevels": "0:200"}, {@code "context": "k=v,..."} (Gson escaped '='). */
  @Test
  void oldTextFormStillLoads() {
    String old = "{\"algo\": \"cql\", \"dataset\": \"/data/maze\", \"envId\": \"procgen/maze-easy-v0\", "
        + "\"evalLevels\": \"0:200\", \"context\": \"world_dim\\u003d9,max_maze_dim\\u003d9\", \"steps\": 5}";
    OfflineConfig c = OfflineConfig.fromJson(old);
    assertEquals(new LevelRange(0, 200), c.evalLevels);
    assertEquals(ContextOverrides.parse("world_dim=9,max_maze_dim=9"), c.context);
    assertEquals(5, c.steps);
    OfflineConfig empty = OfflineConfig.fromJson("{\"dataset\": \"d\", \"context\": \"\"}");
    assertTrue(empty.context.isEmpty());
    assertNull(empty.evalLevels);
    assertThrows(IllegalArgumentException.class, () -> OfflineConfig.fromJson("{\"evalLevels\": \"5:5\"}"));
  }
}
