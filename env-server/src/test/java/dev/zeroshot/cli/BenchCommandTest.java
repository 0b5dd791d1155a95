package dev.zeroshot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import org.junit.jupiter.api.Test;

/** {@code bench --procgen}: one row per Procgen pixel id (symbolic twins left out), C++'s figure where measured. */
class BenchCommandTest {

  @Test
  void procgenTableHasARowPerPixelId() {
    CliRun r = CliRun.run("bench", "--procgen", "--seconds", "0.01", "--rounds", "1");
    assertEquals(0, r.exit(), r.err());
    for (EnvSpec s : EnvRegistry.builtin().specs()) {
      if (s.id().startsWith("procgen/") && !s.id().endsWith("-symbolic-v0")) {
        assertTrue(r.out().contains(s.id() + " "), s.id() + " missing:\n" + r.out());
      }
    }
    assertFalse(r.out().contains("symbolic"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("procgen/dodgeball-v0 ") && l.contains("44000") && l.endsWith("x")),
        "dodgeball hard beside C++'s 44,000 steps/s:\n" + r.out());
  }
}
