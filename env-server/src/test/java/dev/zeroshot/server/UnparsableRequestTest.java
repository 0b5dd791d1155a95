package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.proto.v1.DatasetServiceGrpc;
import dev.zeroshot.proto.v1.EnvServiceGrpc;
import dev.zeroshot.proto.v1.ListEnvsRequest;
import dev.zeroshot.proto.v1.SweepServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bytes that are not the request message get INVALID_ARGUMENT naming the type, from every unary and server-streaming RPC. */
class UnparsableRequestTest {


  /** A field tag of field number 0, which no message has: protobuf refuses it. */
  private static final byte[] GARBAGE = {0x00, (byte) 0xff, (byte) 0xff, 0x7f, 0x13};

  @Test
  void garbageIsInvalidArgumentAndTheServerStillServes(@TempDir Path datasets) throws Exception {
    try (EnvServer server = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1, datasets)
        .start()) {
      ManagedChannel ch = RemoteVectorEnv.channel("127.0.0.1:" + server.port(), 64 << 20);
      try {
        assertRefused(ch, EnvServiceGrpc.getListEnvsMethod(), "zeroshot.v1.ListEnvsRequest");
        assertRefused(ch, EnvServiceGrpc.getDescribeEnvMethod(), "zeroshot.v1.DescribeEnvRequest");
        assertRefused(ch, SweepServiceGrpc.getStartSweepMethod(), "zeroshot.v1.StartSweepRequest");
        assertRefused(ch, DatasetServiceGrpc.getSampleTransitionsMethod(), "zeroshot.v1.SampleTransitionsRequest");
        assertRefused(ch, DatasetServiceGrpc.getListDatasetsMethod(), "zeroshot.v1.ListDatasetsRequest");
        // a valid request on the same channel is answered
        assertTrue(EnvServiceGrpc.newBlockingStub(ch).listEnvs(ListEnvsRequest.getDefaultInstance()).getEnvsCount() > 0);
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static void assertRefused(ManagedChannel ch, MethodDescriptor<?, ?> method, String type) {
    MethodDescriptor<byte[], byte[]> raw = method.toBuilder(RawBytes.MARSHALLER, RawBytes.MARSHALLER).build();
    StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class, () -> {
      if (method.getType() == MethodDescriptor.MethodType.UNARY) {
        ClientCalls.blockingUnaryCall(ch, raw, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), GARBAGE);
      } else {
        Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(ch, raw,
            CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), GARBAGE);
        it.hasNext();
      }
    });
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), method.getFullMethodName() + ": " + e);
    assertTrue(e.getStatus().getDescription().startsWith("request of " + GARBAGE.length + " bytes is not a valid "
        + type + ": "), e.toString());
  }
}
