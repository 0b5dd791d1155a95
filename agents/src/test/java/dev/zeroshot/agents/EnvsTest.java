package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EnvsTest {

  @Test
  void levelRangesBecomeProcgenContextFeatures() {
    assertEquals("start_level=0,num_levels=200", Envs.withLevels("", "0:200"));
    assertEquals("max_maze_dim=11,start_level=10000,num_levels=50", Envs.withLevels("max_maze_dim=11", "10000:10050"));
    assertEquals("g=3", Envs.withLevels("g=3", null));
    for (String bad : new String[] {"200", "5:5", "-1:3", "a:b", "1:2:3"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Envs.withLevels("", bad));
      assertTrue(e.getMessage().contains("--levels"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> Envs.withLevels("num_levels=3", "0:10"));
  }

  @Test
  void configJsonRoundTripsAndKeepsContextsReadable() {
    PpoConfig c = PpoConfig.procgen();
    c.context = Envs.withLevels("", "0:200");
    String json = c.toJson();
    assertTrue(json.contains("\"start_level=0,num_levels=200\""), json);
    PpoConfig back = PpoConfig.fromJson(json);
    assertEquals(json, back.toJson());
    assertThrows(IllegalArgumentException.class, () -> PpoConfig.fromJson(json.replace("\"numEnvs\": 64", "\"numEnvs\": 0")));
  }
}
