package dev.zeroshot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code zeroshot bench --procgen} as a user types it (short rounds: the table, not the speed):
 * one row per registered Procgen id, symbolic twins included, C++'s figure and the ratio where
 * one was measured, none for symbolic ids.
 */
class BenchCommandTest {

  @Test
  void procgenTableHasARowPerProcgenIdWithTheCppFigureWhereOneExists() {
    CliRun r = CliRun.run("bench", "--procgen", "--seconds", "0.01", "--rounds", "1");
    assertEquals(0, r.exit(), r.err());
    Set<String> measured = Set.of("procgen/dodgeball-v0", "procgen/ninja-v0", "procgen/fruitbot-easy-v0");
    int symbolic = 0;
    for (EnvSpec s : EnvRegistry.builtin().specs()) {
      if (!s.id().startsWith("procgen/")) {
        continue;
      }
      String row = r.out().lines().filter(l -> l.startsWith(s.id() + " ")).findFirst().orElse(null);
      assertNotNull(row, s.id() + " missing from:\n" + r.out());
      String[] cols = row.trim().split("\\s+");
      if (measured.contains(s.id())) {
        assertTrue(cols[3].matches("\\d+") && cols[4].endsWith("x"), "a C++ figure and ratio for " + row);
      }
      if (s.id().contains("-symbolic")) {
        symbolic++;
        assertEquals("-", cols[3], "symbolic ids have no C++ figure: " + row);
      }
    }
    assertTrue(symbolic > 0, "the registry has symbolic ids, and they are benched");
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("procgen/dodgeball-v0 ") && l.contains("44000") && l.endsWith("x")),
        "dodgeball hard beside C++'s 44,000 steps/s:\n" + r.out());
  }
}
