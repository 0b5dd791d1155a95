package dev.zeroshot.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The id rules that keep a dataset id under its root, and their messages. */
class DatasetIdTest {

  private static String refusal(String id) {
    return assertThrows(IllegalArgumentException.class, () -> DatasetId.parse(id)).getMessage();
  }

  @Test
  void refusesTraversalAndAbsoluteIdsNamingTheRule() {
    assertTrue(refusal("../outside/secret/leak-v0").contains("has a '..' part"), refusal("../outside/secret/leak-v0"));
    assertTrue(refusal("a/../../b-v0").contains("'..' part"));
    assertTrue(refusal("a/./b-v0").contains("'.' part"));
    assertTrue(refusal("/etc/passwd-v0").contains("is an absolute path"));
    assertTrue(refusal("C:/x/y-v0").contains("is an absolute path"));
    // a part starting with '.' (hidden folder, or '..' smuggled as '...') breaks the form
    assertTrue(refusal("a/.hidden/b-v0").contains("each starting with a letter, digit or '_'"));
    assertTrue(refusal("a//b-v0").contains("must look like NAMESPACE/NAME-vN"));
    assertTrue(refusal("a\\..\\b-v0").contains("must look like"));
    // ids of the documented form still parse
    assertEquals("procgen/maze-expert-v0", DatasetId.parse("procgen/maze-expert-v0").id());
    assertEquals("D4RL/door/human-v2", DatasetId.parse("D4RL/door/human-v2").id());
    assertEquals("x.y-v1", DatasetId.parse("x.y-v1").id());
  }

  @Test
  void aHugeVersionNamesTheAllowedRange() {
    String m = refusal("test/maze-v99999999999");
    assertEquals("dataset id 'test/maze-v99999999999': version 99999999999 must be in [0, 2147483647]", m);
    assertEquals(Integer.MAX_VALUE, DatasetId.parse("a-v2147483647").version());
  }

  @Test
  void echoedIdsAreCut() {
    String m = refusal("x".repeat(10_000));
    assertTrue(m.length() < 400, m);
    assertTrue(m.contains("x".repeat(100) + "..."), m);
    assertFalse(m.contains("x".repeat(101)), m);
    assertTrue(refusal("a-v" + "9".repeat(10_000)).length() < 400);
  }

  @Test
  void aSymbolicLinkOutOfTheRootIsRefused(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path outside = Files.createDirectories(tmp.resolve("outside/leak-v0/data"));
    Files.createSymbolicLink(root.resolve("evil"), tmp.resolve("outside"));
    Files.createSymbolicLink(root.resolve("dangling"), tmp.resolve("nowhere"));
    Files.createDirectories(root.resolve("real/inner-v0/data"));
    Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));
    Path inside = DatasetId.parse("alias/inner-v0").dataDir(root); // a link that stays inside is fine
    assertEquals(root.resolve("alias/inner-v0/data"), inside);
    assertEquals(root.resolve("new/thing-v0/data"), DatasetId.parse("new/thing-v0").dataDir(root));
    for (String id : new String[] {"evil/leak-v0", "evil/not-there-v0", "dangling/x-v0"}) {
      String m = assertThrows(IllegalArgumentException.class, () -> DatasetId.parse(id).dataDir(root)).getMessage();
      assertTrue(m.contains("leads outside the datasets root through a symbolic link"), m);
      assertFalse(m.contains(tmp.toString()), m);
    }
    assertTrue(Files.isDirectory(outside));
  }
}
