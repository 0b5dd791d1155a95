package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.env.Env;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.space.Space;
import dev.zeroshot.proto.v1.MakeRequest;
import dev.zeroshot.proto.v1.ResetRequest;
import dev.zeroshot.proto.v1.SessionRequest;
import dev.zeroshot.proto.v1.StepRequest;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import dev.zeroshot.wire.DoorbellProtocol;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A session that fails with a java.lang.Error (not an exception) still ends with a status and
 * frees everything, and costs no other session.
 */
class SessionFailureTest {

  private static final SessionRequest RESET =
      SessionRequest.newBuilder().setReset(ResetRequest.newBuilder().setSeed(1)).build();
  private static final SessionRequest STEP =
      SessionRequest.newBuilder().setStep(StepRequest.getDefaultInstance()).build();

  /** The step after the truncation comes as a step message, or as a byte on the doorbell. */
  @ParameterizedTest(name = "doorbell {0}")
  @ValueSource(booleans = {false, true})
  void aClientTruncatingItsRegionLosesOnlyItsOwnSession(boolean doorbell) throws Exception {
    try (TestServer ts = new TestServer(); TestServer.Probe p = ts.probe();
        RemoteVectorEnv other = RemoteVectorEnv.builder(ts.target(), "CartPole-v1").numEnvs(2).build()) {
      StepBuffers ob = StepBuffers.allocate(other);
      other.reset(0, ob);
      dev.zeroshot.proto.v1.SharedMemory shm = p.send(SessionRequest.newBuilder().setMake(MakeRequest.newBuilder()
          .setEnvId("CartPole-v1").setNumEnvs(4).setSharedMemory(true)).build()).getMake().getSharedMemory();
      Path region = Path.of(shm.getPath());
      p.send(RESET);
      p.send(STEP);
      assertEquals(6, ts.server.liveEnvs());
      SocketChannel bell = doorbell ? TestServer.doorbell(shm, shm.getNonce()) : null;
      try (FileChannel ch = FileChannel.open(region, StandardOpenOption.WRITE)) {
        ch.truncate(0);
      }
      Status s;
      if (doorbell) {
        assertEquals(-1, TestServer.ring(bell, DoorbellProtocol.STEP), "the doorbell closes unanswered");
        s = p.expectEnd(Status.Code.DATA_LOSS);
        bell.close();
      } else {
        s = p.sendExpectingError(STEP, Status.Code.DATA_LOSS);
      }
      assertTrue(s.getDescription().endsWith("truncated to 0 bytes; the region needs " + shm.getSize()), s.toString());
      assertTrue(s.getDescription().contains(region.getFileName().toString()), s.toString());
      TestServer.await("live sessions", ts.server::liveSessions, 1);
      TestServer.await("live envs", ts.server::liveEnvs, 2);
      assertFalse(Files.exists(region), "the region file is deleted");
      for (int t = 0; t < 20; t++) {
        other.step(ob); // the other session steps on
      }
      other.close();
      TestServer.await("live sessions", ts.server::liveSessions, 0);
      TestServer.await("live envs", ts.server::liveEnvs, 0);
    }
  }

  /**
   * The OutOfMemoryError comes from a test env whose step throws it: the seam is the env, the
   * server's path from the env's step to the status is the real one (a real heap exhaustion could
   * strike any thread of the test JVM, so it is not provoked).
   */
  @Test
  void anOutOfMemoryErrorEndsTheSessionWithResourceExhausted() throws Exception {
    EnvRegistry registry = EnvRegistry.builtin();
    EnvSpec cartPole = registry.spec("CartPole-v1");
    registry.register(new EnvSpec("OutOfMemory-v0", "CartPole whose step throws OutOfMemoryError",
        cartPole.contextSpace(), ctx -> new OutOfMemoryOnStep(cartPole.make(ctx)), 0, null));
    try (EnvServer server = new EnvServer(registry, "127.0.0.1", 0, ServerLimits.DEFAULTS, 1).start();
        RemoteVectorEnv other = RemoteVectorEnv.builder("127.0.0.1:" + server.port(), "CartPole-v1").sharedMemory(false)
            .build();
        RemoteVectorEnv oom = RemoteVectorEnv.builder("127.0.0.1:" + server.port(), "OutOfMemory-v0").numEnvs(3)
            .sharedMemory(false).build()) {
      StepBuffers ob = StepBuffers.allocate(other);
      StepBuffers b = StepBuffers.allocate(oom);
      other.reset(0, ob);
      oom.reset(0, b);
      assertEquals(4, server.liveEnvs());
      io.grpc.StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(
          io.grpc.StatusRuntimeException.class, () -> oom.step(b));
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.toString());
      assertTrue(e.getStatus().getDescription().contains("out of memory"), e.toString());
      TestServer.await("live sessions", server::liveSessions, 1);
      TestServer.await("live envs", server::liveEnvs, 1);
      other.step(ob);
      other.close();
      TestServer.await("live sessions", server::liveSessions, 0);
      TestServer.await("live envs", server::liveEnvs, 0);
    }
  }

  /** An env that resets like the one it wraps and runs out of memory on every step. */
  private record OutOfMemoryOnStep(Env inner) implements Env {
    @Override
    public Space observationSpace() {
      return inner.observationSpace();
    }

    @Override
    public Space actionSpace() {
      return inner.actionSpace();
    }

    @Override
    public Context context() {
      return inner.context();
    }

    @Override
    public void setContext(Context context) {
      inner.setContext(context);
    }

    @Override
    public void seed(long seed) {
      inner.seed(seed);
    }

    @Override
    public void reset(ByteBuffer obs, int obsOffset) {
      inner.reset(obs, obsOffset);
    }

    @Override
    public double step(ByteBuffer actions, int actionOffset, ByteBuffer obs, int obsOffset) {
      throw new OutOfMemoryError("Java heap space (test env)");
    }

    @Override
    public boolean terminated() {
      return false;
    }
  }
}
