package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Episodes recorded from Procgen 0.10.7's C++ build (resources {@code cpp-episodes/GAME-MODE.txt},
 * written by {@code cpp-episodes/episodes.c}): each line is a level seed and the length, return
 * and completion of one episode played with random actions from a splitmix64 stream seeded
 * {@code episode * 1000003}. Replaying the same level seed and actions here must give the same
 * episode: a check of level generation and dynamics against the reference implementation.
 */
final class CppEpisodes {

  private CppEpisodes() {}

  /** Replays every episode of the file on {@code id} (the file's game and mode), at most maxSteps steps each. */
  static void assertSameAsCpp(String id, String file, int maxSteps) throws Exception {
    var in = CppEpisodes.class.getResourceAsStream("cpp-episodes/" + file);
    assertTrue(in != null, "missing resource cpp-episodes/" + file);
    int episodes = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] f = line.trim().split(" ");
        int seed = Integer.parseInt(f[0]);
        GameDriver d = new GameDriver(id, Map.of("num_levels", 1.0, "start_level", (double) seed)).level(0);
        long state = episodes * 1000003L;
        int length = 0;
        double ret = 0;
        while (length < maxSteps) {
          state += 0x9E3779B97F4A7C15L;
          long z = state;
          z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
          z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
          int action = (int) (((z ^ (z >>> 31)) >>> 32) % 15);
          ret += d.step(action);
          length++;
          if (d.game.terminated()) {
            break;
          }
        }
        String where = id + " level " + seed + " (episode " + episodes + ")";
        assertEquals(Integer.parseInt(f[1]), length, where + ": length");
        assertEquals(Double.parseDouble(f[2]), ret, 1e-3, where + ": return");
        assertEquals(f[3].equals("1"), d.game.levelComplete(), where + ": completion");
        episodes++;
      }
    }
    assertTrue(episodes >= 100, file + " has " + episodes + " episodes");
  }
}
