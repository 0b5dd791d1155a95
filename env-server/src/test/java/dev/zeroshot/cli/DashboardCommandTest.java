package dev.zeroshot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zeroshot dashboard}'s input mistakes: one line and exit code 2 (the page: mbtl's Dashboard tests). */
class DashboardCommandTest {

  @TempDir
  Path tmp;

  @Test
  void badInputGetsOneLine() throws Exception {
    CliRun missing = CliRun.run("dashboard", tmp.resolve("nope").toString(), "--port", "0");
    assertEquals(2, missing.exit());
    assertEquals("error: dashboard: " + tmp.resolve("nope") + " is not a folder\n", missing.err());

    CliRun port = CliRun.run("dashboard", tmp.toString(), "--port", "70000");
    assertEquals(2, port.exit());
    assertEquals("error: --port must be in 0..65535, got 70000\n", port.err());

    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliRun busy = CliRun.run("dashboard", tmp.toString(), "--port", Integer.toString(taken.getLocalPort()));
      assertEquals(2, busy.exit());
      assertEquals(1, busy.err().lines().count(), busy.err());
      assertEquals(true, busy.err().startsWith("error: --port " + taken.getLocalPort() + " on 127.0.0.1: "), busy.err());
    }
  }
}
