package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.proto.v1.SharedMemory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared-memory data plane: layout, header, same-host rule, file lifetime, stale files. */
class SharedMemoryTest {

  @Test
  void layoutIsAlignedAndTheHeaderDescribesIt() throws Exception {
    SharedMemory d = SharedRegion.layout(5, 3 * 64 * 64 + 4, 8).build();
    assertEquals(64, d.getObservationsOffset());
    assertEquals(0, d.getActionsOffset() % 64);
    assertEquals(0, d.getResultsOffset() % 64);
    assertTrue(d.getActionsOffset() >= 64 + 5L * (3 * 64 * 64 + 4));
    assertTrue(d.getResultsOffset() >= d.getActionsOffset() + 5 * 8);
    assertEquals(d.getResultsOffset() + 5 * 32, d.getSize());

    try (SharedRegion r = SharedRegion.create("t1", 5, 12, 8)) {
      SharedMemory w = r.description();
      assertTrue(Files.exists(r.path()));
      ByteBuffer h = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
      try (FileChannel ch = FileChannel.open(r.path(), StandardOpenOption.READ)) {
        assertEquals(w.getSize(), ch.size());
        ch.read(h, 0);
      }
      assertEquals(SharedRegion.MAGIC, h.getInt(0));
      assertEquals("ZSHM", new String(h.array(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
      assertEquals(1, h.getInt(4));
      assertEquals(w.getNonce(), h.getLong(8));
      assertEquals(0, h.getLong(16));
      assertEquals(5, h.getInt(24));
      assertEquals(12, h.getInt(28));
      assertEquals(8, h.getInt(32));
      assertEquals(32, h.getInt(36));
      assertEquals(w.getObservationsOffset(), h.getLong(40));
      assertEquals(w.getActionsOffset(), h.getLong(48));
      assertEquals(w.getResultsOffset(), h.getLong(56));
      // the envs write into the file: a result record lands at results_offset + i * 32
      r.buffers().setResult(2, 1.5, true, false);
      r.publish(7);
      ByteBuffer rec = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
      ByteBuffer seq = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      try (FileChannel ch = FileChannel.open(r.path(), StandardOpenOption.READ)) {
        ch.read(rec, w.getResultsOffset() + 2 * 32);
        ch.read(seq, 16);
      }
      assertEquals(1.5, rec.getDouble(0));
      assertEquals(1, rec.get(20));
      assertEquals(0, rec.get(21));
      assertEquals(1, rec.get(22));
      assertEquals(7, seq.getLong(0));
      r.close();
      assertFalse(Files.exists(r.path()));
    }
  }

  @Test
  void onlyLoopbackPeersAreLocal() throws Exception {
    assertTrue(SharedRegion.isLocal(new InetSocketAddress(InetAddress.getLoopbackAddress(), 5000)));
    assertTrue(SharedRegion.isLocal(new InetSocketAddress(InetAddress.getByName("::1"), 5000)));
    assertFalse(SharedRegion.isLocal(new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 5000)));
    assertFalse(SharedRegion.isLocal(null));
  }

  @Test
  void regionFileLivesExactlyAsLongAsTheSession() throws Exception {
    try (TestServer ts = new TestServer()) {
      RemoteVectorEnv env = RemoteVectorEnv.builder(ts.target(), "CartPole-v1").numEnvs(3).sharedMemory(true).build();
      Path path = Path.of(env.sharedMemoryPath());
      assertTrue(Files.exists(path));
      assertTrue(path.getFileName().toString().startsWith("zeroshot-shm-" + ProcessHandle.current().pid() + "-"));
      StepBuffers b = env.sharedBuffers();
      assertNotNull(b);
      env.reset(0, b);
      b.setDiscreteAction(0, 1);
      env.step(b);
      env.close();
      TestServer.await("region file deleted", () -> Files.exists(path) ? 1 : 0, 0);
      TestServer.await("live envs", ts.server::liveEnvs, 0);
      try (RemoteVectorEnv plain = RemoteVectorEnv.builder(ts.target(), "CartPole-v1").build()) {
        assertNull(plain.sharedBuffers());
        assertNull(plain.sharedMemoryPath());
      }
    }
  }

  @Test
  void aSessionEndedByTheServerIsReportedOnTheNextStep() throws Exception {
    try (TestServer ts = new TestServer(ServerLimits.DEFAULTS.withIdleTimeout(java.time.Duration.ofMillis(300)))) {
      RemoteVectorEnv env = RemoteVectorEnv.builder(ts.target(), "CartPole-v1").numEnvs(2).sharedMemory(true).build();
      StepBuffers b = env.sharedBuffers();
      env.reset(0, b);
      for (int t = 0; t < 50; t++) {
        env.step(b); // completions seen in the region; their responses are taken before each next request
      }
      Path path = Path.of(env.sharedMemoryPath());
      TestServer.await("region file deleted after the idle timeout", () -> Files.exists(path) ? 1 : 0, 0);
      io.grpc.StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(
          io.grpc.StatusRuntimeException.class, () -> env.step(b));
      assertEquals(io.grpc.Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
      assertTrue(e.getStatus().getDescription().contains("idle"), e.toString());
      env.close();
      TestServer.await("live envs", ts.server::liveEnvs, 0);
    }
  }

  @Test
  void filesOfDeadServersAreDeletedAtStart(@TempDir Path dir) throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path stale = Files.createFile(dir.resolve("zeroshot-shm-" + gone.pid() + "-s1-abcd"));
    Path live = Files.createFile(dir.resolve("zeroshot-shm-" + ProcessHandle.current().pid() + "-s2-abcd"));
    Path other = Files.createFile(dir.resolve("someone-else"));
    assertEquals(1, SharedRegion.deleteStale(dir));
    assertFalse(Files.exists(stale));
    assertTrue(Files.exists(live));
    assertTrue(Files.exists(other));
  }
}
