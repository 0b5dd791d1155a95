package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.proto.v1.MakeRequest;
import dev.zeroshot.proto.v1.ResetRequest;
import dev.zeroshot.proto.v1.SessionRequest;
import dev.zeroshot.proto.v1.SharedMemory;
import dev.zeroshot.wire.DoorbellProtocol;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 defect 8: connections to a session's doorbell that stall before showing the nonce
 * neither block the real client nor stay open.
 */
class DoorbellAttachTest {

  /** Blocking reads of the test, each on a thread of its own. */
  private static final java.util.concurrent.ExecutorService THREADS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "doorbell-test");
    t.setDaemon(true);
    return t;
  });

  @Test
  void stalledConnectionsAreDroppedAndDoNotHoldUpTheRealClient() throws Exception {
    try (TestServer ts = new TestServer(); TestServer.Probe p = ts.probe()) {
      SharedMemory shm = p.send(SessionRequest.newBuilder().setMake(MakeRequest.newBuilder().setEnvId("CartPole-v1")
          .setNumEnvs(2).setSharedMemory(true)).build()).getMake().getSharedMemory();
      p.send(SessionRequest.newBuilder().setReset(ResetRequest.newBuilder().setSeed(1)).build());

      // alone, a half-sent nonce is dropped after the timeout
      long start = System.nanoTime();
      try (SocketChannel half = connect(shm)) {
        half.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertEquals(-1, readWithin(half, 10), "the server closes a connection that stalls in its nonce");
      }
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(tookMillis >= Doorbell.NONCE_TIMEOUT_MILLIS - 100, "dropped after the timeout, took " + tookMillis);

      // two stalled connections ahead of the real client: it attaches and steps at once
      try (SocketChannel silent = connect(shm); SocketChannel half = connect(shm)) {
        half.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        Thread.sleep(100); // both accepted before the real client connects
        try (SocketChannel bell = TestServer.doorbell(shm, shm.getNonce())) {
          long before = TestServer.sequence(shm);
          int answer = CompletableFuture.supplyAsync(() -> TestServer.ring(bell, DoorbellProtocol.STEP), THREADS)
              .get(Doorbell.NONCE_TIMEOUT_MILLIS / 2, TimeUnit.MILLISECONDS);
          assertEquals(DoorbellProtocol.DONE, answer, "the real client steps before the stalled ones time out");
          assertEquals(before + 1, TestServer.sequence(shm));
          // once attached, the doorbell closes the others
          assertEquals(-1, readWithin(silent, 10));
          assertEquals(-1, readWithin(half, 10));
        }
      }
      p.close();
      TestServer.await("live sessions", ts.server::liveSessions, 0);
      TestServer.await("doorbell threads", TestServer::doorbellThreads, 0);
    }
  }

  private static SocketChannel connect(SharedMemory shm) throws Exception {
    return SocketChannel.open(UnixDomainSocketAddress.of(shm.getDoorbellPath()));
  }

  /** What a blocking read returns within {@code seconds} (-1: closed by the server). */
  private static int readWithin(SocketChannel c, int seconds) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return c.read(ByteBuffer.allocate(1));
      } catch (java.io.IOException e) {
        return -1;
      }
    }, THREADS).get(seconds, TimeUnit.SECONDS);
  }
}
