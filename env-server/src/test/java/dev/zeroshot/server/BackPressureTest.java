package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.zeroshot.proto.v1.DType;
import dev.zeroshot.proto.v1.EnvServiceGrpc;
import dev.zeroshot.proto.v1.MakeRequest;
import dev.zeroshot.proto.v1.ResetRequest;
import dev.zeroshot.proto.v1.SessionRequest;
import dev.zeroshot.proto.v1.SessionResponse;
import dev.zeroshot.proto.v1.StepRequest;
import dev.zeroshot.proto.v1.Tensor;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Defect 1 of issue 16: a client that pipelines steps and never reads its replies must not make
 * the server step ahead and buffer replies without bound.
 */
class BackPressureTest {

  private static final int ENVS = 64;
  private static final int STEPS_SENT = 3000;
  /** The client's HTTP/2 flow-control window for the stream (fixed: no BDP growth). */
  private static final int CLIENT_WINDOW = 65_535;

  @Test
  void aClientThatNeverReadsHoldsTheSessionWithinItsWindowAndGetsEveryReplyOnceItReads() throws Exception {
    try (TestServer ts = new TestServer(ServerLimits.DEFAULTS, 1)) {
      ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", ts.server.port()).usePlaintext()
          .flowControlWindow(CLIENT_WINDOW).maxInboundMessageSize(64 << 20).build();
      try {
        LinkedBlockingQueue<Object> replies = new LinkedBlockingQueue<>();
        ClientCall<SessionRequest, SessionResponse> call = ch.newCall(EnvServiceGrpc.getSessionMethod(),
            CallOptions.DEFAULT);
        call.start(new ClientCall.Listener<>() {
          @Override
          public void onMessage(SessionResponse message) {
            replies.add(message);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            replies.add(status);
          }
        }, new Metadata());
        // never call.request(): the client reads nothing while it sends make, reset and every step
        call.sendMessage(SessionRequest.newBuilder().setMake(MakeRequest.newBuilder().setEnvId("CartPole-v1")
            .setNumEnvs(ENVS)).build());
        call.sendMessage(SessionRequest.newBuilder().setReset(ResetRequest.newBuilder().setSeed(1)).build());
        SessionRequest step = SessionRequest.newBuilder().setStep(StepRequest.newBuilder().setActions(
            Tensor.newBuilder().setDtype(DType.DTYPE_INT64).addShape(ENVS).setData(ByteString.copyFrom(new byte[8 * ENVS]))))
            .build();
        for (int i = 0; i < STEPS_SENT; i++) {
          call.sendMessage(step);
        }
        long stepped = settled(ts.server);
        // One step reply of 64 CartPole envs is about 1.6 KB; the server may queue gRPC's 32 KiB
        // ready threshold beyond the client's window, and one reply more: about 62 batch steps.
        long bound = (CLIENT_WINDOW + 32 * 1024) / 1500 + 2;
        assertTrue(stepped / ENVS <= bound, "the server stepped " + stepped / ENVS + " times for a client that read "
            + "nothing; back-pressure allows at most " + bound + " (it was sent " + STEPS_SENT + ")");
        assertTrue(stepped > 0, "the session stepped until its window was full");
        // once the client reads, every request is answered, in order
        call.request(Integer.MAX_VALUE);
        assertTrue(replies.poll(20, TimeUnit.SECONDS) instanceof SessionResponse r && r.hasMake(), "make first");
        assertTrue(replies.poll(20, TimeUnit.SECONDS) instanceof SessionResponse r && r.hasReset(), "then reset");
        for (int i = 0; i < STEPS_SENT; i++) {
          Object o = replies.poll(20, TimeUnit.SECONDS);
          assertTrue(o instanceof SessionResponse r && r.hasStep(), "step reply " + i + ": " + o);
        }
        assertEquals((long) STEPS_SENT * ENVS, ts.server.envSteps());
        call.cancel("test done", null);
        TestServer.await("live sessions", ts.server::liveSessions, 0);
        TestServer.await("live envs", ts.server::liveEnvs, 0);
      } finally {
        ch.shutdownNow();
      }
    }
  }

  /** The server's env steps once it has stepped and they stop growing (unchanged for 500 ms; at most 20 s). */
  private static long settled(EnvServer server) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (server.envSteps() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    long last = -1;
    long now = server.envSteps();
    while (now != last && System.nanoTime() < deadline) {
      last = now;
      Thread.sleep(500);
      now = server.envSteps();
    }
    return now;
  }
}
