package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Caveflyer and jumper levels 0-4 of every mode are Procgen's, bit for bit: the grid and every
 * entity's type, position, velocity, radii and health. The digests come from Procgen 0.10.7
 * built from source (Qt 5.15.8), each level made with {@code num_levels=1,start_level=L}, its
 * state read through the C ABI's {@code get_state}, and the same text hashed as here.
 */
class CaveLevelParityTest {

  /** One character per cell, row by row from the bottom, as the C++ dump writes them. */
  private static char cell(int t) {
    return switch (t) {
      case ProcgenGame.SPACE -> '.';
      case ProcgenGame.WALL_OBJ -> 'W';
      case CaveFlyer.CAVEWALL, Jumper.CAVEWALL -> '#';
      case Jumper.CAVEWALL_TOP -> '=';
      default -> '?';
    };
  }

  static String levelText(ProcgenGame g) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < g.grid().size(); i++) {
      sb.append(cell(g.grid().get(i)));
    }
    sb.append("|E").append(g.entityCount());
    for (int i = 0; i < g.entityCount(); i++) {
      Entity e = g.entity(i);
      sb.append(" [").append(e.type);
      for (float f : new float[] {e.x, e.y, e.vx, e.vy, e.rx, e.ry, e.health}) {
        sb.append(String.format(" %08x", Float.floatToRawIntBits(f)));
      }
      sb.append(']');
    }
    return sb.toString();
  }

  @ParameterizedTest
  @CsvSource({
      "procgen/caveflyer-v0, c131fad5b73314f8 7cc019553b5f2720 c41e54f59235d394 75c2de3d4af3ef04 19a163a6c0e935c8",
      "procgen/caveflyer-easy-v0, 8edd96ece05ff48d b49772db68df083a f386440511254c97 7cb6befa2ba02556 22669700ee4a52df",
      "procgen/caveflyer-memory-v0, 8e8ebd79a2a3952b 2390d03d0a441df8 87f3c672180dbd5e 6309456add5259aa 191a3d8a4ed6e792",
      "procgen/jumper-v0, c47f074b16086457 353a7bc766d00ca9 a04fa9ef2a286b63 fa5a400381dff2d8 6537b43f0035f860",
      "procgen/jumper-easy-v0, 814c016cd01b6824 b579cfb45c4d0447 b077ed822fb52003 9ec826c1780900bf 2518d57ccca9fdd0",
      "procgen/jumper-memory-v0, f725887a93c93918 537a565f24b69f2f 11ea6a5dd904c6ba a27c8db18424a024 2661a65b76f8aad5"})
  void levelsMatchProcgensCpp(String id, String digests) throws Exception {
    String[] expected = digests.split(" ");
    for (int level = 0; level < expected.length; level++) {
      GameDriver d = new GameDriver(id, Map.of("num_levels", 1.0, "start_level", (double) level));
      String text = levelText(d.level(0).game);
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
      assertEquals(expected[level], HexFormat.of().formatHex(hash).substring(0, 16), id + " level " + level);
    }
  }
}
