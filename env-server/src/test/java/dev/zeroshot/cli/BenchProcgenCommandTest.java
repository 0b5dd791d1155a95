package dev.zeroshot.cli;

import static dev.zeroshot.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import org.junit.jupiter.api.Test;

/** {@code zeroshot bench --procgen} as a user types it (short rounds: the table, not the speed). */
class BenchProcgenCommandTest {

  @Test
  void listsEveryProcgenIdWithTheCppFigureWhereOneExists() {
    CliRun r = run("bench", "--procgen", "--seconds", "0.01", "--rounds", "1");
    assertEquals(0, r.exit(), r.err());
    for (EnvSpec s : EnvRegistry.builtin().specs()) {
      if (!s.id().startsWith("procgen/")) {
        continue;
      }
      String row = r.out().lines().filter(l -> l.startsWith(s.id() + " ")).findFirst().orElse(null);
      assertTrue(row != null, s.id() + " missing from:\n" + r.out());
      String[] cols = row.trim().split("\\s+");
      boolean measured = s.id().equals("procgen/ninja-v0") || s.id().equals("procgen/fruitbot-easy-v0");
      if (measured) {
        assertTrue(cols[3].matches("\\d+") && cols[4].endsWith("x"), "a C++ figure and ratio for " + row);
      }
      if (s.id().contains("-symbolic")) {
        assertEquals("-", cols[3], "symbolic ids have no C++ figure: " + row);
      }
    }
  }
}
