package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.client.ClientSecurity;
import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.proto.v1.EnvServiceGrpc;
import dev.zeroshot.proto.v1.ListEnvsRequest;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real server on a free loopback port that takes bearer tokens from a file. */
class TokenAuthTest {

  @TempDir
  Path dir;

  private EnvServer serve(Path tokens) throws Exception {
    return new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1, null, null,
        new ServerSecurity(null, null, null, tokens)).start();
  }

  private static RemoteVectorEnv open(EnvServer s, String token) {
    return RemoteVectorEnv.builder("127.0.0.1:" + s.port(), "CartPole-v1").numEnvs(2)
        .security(new ClientSecurity(false, null, token)).build();
  }

  private static void steps(RemoteVectorEnv env) {
    StepBuffers buf = StepBuffers.allocate(env);
    env.reset(1, buf);
    for (int t = 0; t < 5; t++) {
      env.step(buf);
    }
    assertEquals(1.0, buf.reward(0), "CartPole pays 1 per step");
  }

  private static Status.Code refusal(EnvServer s, String token) {
    return assertThrows(StatusRuntimeException.class, () -> open(s, token).close()).getStatus().getCode();
  }

  @Test
  void onlyAnAcceptedTokenSteps() throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "# token identity\nsecret-a alice\n\n  secret-b   bob  # trailing comment\n");
    try (EnvServer s = serve(tokens)) {
      try (RemoteVectorEnv env = open(s, "secret-a")) {
        steps(env);
      }
      try (RemoteVectorEnv env = open(s, "secret-b")) {
        steps(env);
      }
      assertEquals(Status.Code.UNAUTHENTICATED, refusal(s, null));
      assertEquals(Status.Code.UNAUTHENTICATED, refusal(s, "secret-c"));
      assertEquals(Status.Code.UNAUTHENTICATED, refusal(s, "alice"));
      assertEquals(0, s.liveSessions());
    }
  }

  @Test
  void unaryCallsNeedTheTokenAndHealthDoesNot() throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "secret-a alice\n");
    try (EnvServer s = serve(tokens)) {
      ManagedChannel plain = RemoteVectorEnv.channel("127.0.0.1:" + s.port(), 64 << 20);
      ManagedChannel withToken = RemoteVectorEnv.channel("127.0.0.1:" + s.port(), 64 << 20,
          new ClientSecurity(false, null, "secret-a"));
      try {
        assertEquals(HealthCheckResponse.ServingStatus.SERVING,
            HealthGrpc.newBlockingStub(plain).check(HealthCheckRequest.getDefaultInstance()).getStatus());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
            () -> EnvServiceGrpc.newBlockingStub(plain).listEnvs(ListEnvsRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("Bearer"), e.getStatus().getDescription());
        assertTrue(EnvServiceGrpc.newBlockingStub(withToken).listEnvs(ListEnvsRequest.getDefaultInstance())
            .getEnvsCount() > 0);
      } finally {
        plain.shutdownNow();
        withToken.shutdownNow();
      }
    }
  }

  @Test
  void aChangedFileIsReadAgain() throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "old-token alice\n");
    Files.setLastModifiedTime(tokens, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
    try (EnvServer s = serve(tokens)) {
      try (RemoteVectorEnv env = open(s, "old-token")) {
        steps(env);
      }
      assertEquals(Status.Code.UNAUTHENTICATED, refusal(s, "new-token"));
      Files.writeString(tokens, "new-token carol\n");
      Files.setLastModifiedTime(tokens, FileTime.from(Instant.parse("2026-01-02T00:00:00Z")));
      try (RemoteVectorEnv env = open(s, "new-token")) {
        steps(env);
      }
      assertEquals(Status.Code.UNAUTHENTICATED, refusal(s, "old-token"), "a token taken out of the file is revoked");
      Files.writeString(tokens, "not a valid line\n");
      Files.setLastModifiedTime(tokens, FileTime.from(Instant.parse("2026-01-03T00:00:00Z")));
      try (RemoteVectorEnv env = open(s, "new-token")) {
        steps(env); // a broken file keeps the tokens read before
      }
    }
  }

  @Test
  void theIdentityIsInTheCallsContext() throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "secret-a alice\n");
    List<String> seen = new CopyOnWriteArrayList<>();
    ServerInterceptor record = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata h, ServerCallHandler<Q, R> next) {
        seen.add(String.valueOf(TokenAuthInterceptor.IDENTITY.get()));
        return Contexts.interceptCall(Context.current(), call, h, next);
      }
    };
    io.grpc.Server s = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder
        .forAddress(new java.net.InetSocketAddress("127.0.0.1", 0))
        .addService(io.grpc.ServerInterceptors.intercept(
            new EnvService(EnvRegistry.builtin(), ServerLimits.DEFAULTS, null,
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor()).definition(), record))
        .intercept(new TokenAuthInterceptor(tokens)).build().start();
    ManagedChannel ch = RemoteVectorEnv.channel("127.0.0.1:" + s.getPort(), 64 << 20,
        new ClientSecurity(false, null, "secret-a"));
    try {
      EnvServiceGrpc.newBlockingStub(ch).listEnvs(ListEnvsRequest.getDefaultInstance());
      assertEquals(List.of("alice"), seen);
    } finally {
      ch.shutdownNow();
      s.shutdownNow();
    }
  }

  @Test
  void aMalformedFileIsOneClearErrorAtStart() throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "ok alice\nlonely\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> serve(tokens));
    assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("TOKEN IDENTITY"), e.getMessage());
  }
}
