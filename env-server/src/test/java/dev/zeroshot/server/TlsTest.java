package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.client.ClientSecurity;
import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.StepBuffers;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real TLS server on a free loopback port, with a certificate made at test time. */
class TlsTest {

  @TempDir
  static Path dir;
  static TestCertificate server;
  static TestCertificate other;
  static EnvServer tls;

  @BeforeAll
  static void start() throws Exception {
    server = TestCertificate.make(dir, "server");
    other = TestCertificate.make(dir, "other");
    tls = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1, null, null,
        new ServerSecurity(server.cert(), server.key(), null, null)).start();
  }

  @AfterAll
  static void stop() {
    tls.close();
  }

  private static String target(EnvServer s) {
    return "127.0.0.1:" + s.port();
  }

  /** 20 steps of 3 CartPoles from seed 7 with seeded random actions: the observations. */
  private static float[] observations(RemoteVectorEnv env) {
    StepBuffers buf = StepBuffers.allocate(env);
    env.reset(7, buf);
    float[] out = new float[20 * 3 * 4];
    java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
    for (int t = 0; t < 20; t++) {
      for (int i = 0; i < 3; i++) {
        env.singleActionSpace().sample(rng, buf.actions(), i * buf.actionBytes());
      }
      env.step(buf);
      for (int k = 0; k < 12; k++) {
        out[t * 12 + k] = buf.observations().getFloat(k * 4);
      }
    }
    return out;
  }

  @Test
  void aClientTrustingTheServersCertificateStepsAsOverPlaintext() throws Exception {
    float[] overTls;
    try (RemoteVectorEnv env = RemoteVectorEnv.builder(target(tls), "CartPole-v1").numEnvs(3)
        .security(new ClientSecurity(true, server.cert(), null)).build()) {
      overTls = observations(env);
    }
    try (EnvServer plain = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1).start();
        RemoteVectorEnv env = RemoteVectorEnv.builder(target(plain), "CartPole-v1").numEnvs(3).build()) {
      assertArrayEquals(observations(env), overTls);
    }
  }

  @Test
  void aPlaintextClientIsRefused() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> RemoteVectorEnv.builder(target(tls), "CartPole-v1").build().close());
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
  }

  @Test
  void aClientTrustingAnotherCaIsRefused() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> RemoteVectorEnv.builder(target(tls), "CartPole-v1").security(new ClientSecurity(true, other.cert(), null))
            .build().close());
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
  }

  @Test
  void aClientTrustingOnlyTheSystemStoreRefusesASelfSignedServer() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> RemoteVectorEnv.builder(target(tls), "CartPole-v1").security(new ClientSecurity(true, null, null))
            .build().close());
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
  }

  @Test
  void withAClientCaTheServerRequiresAClientCertificateSignedByIt() throws Exception {
    TestCertificate client = TestCertificate.make(dir, "client");
    try (EnvServer mtls = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1, null, null,
        new ServerSecurity(server.cert(), server.key(), client.cert(), null)).start()) {
      assertEquals(HealthCheckResponse.ServingStatus.SERVING,
          health(mtls, TlsChannelCredentials.newBuilder().trustManager(server.cert().toFile())
              .keyManager(client.cert().toFile(), client.key().toFile()).build()));
      StatusRuntimeException noCert = assertThrows(StatusRuntimeException.class,
          () -> health(mtls, TlsChannelCredentials.newBuilder().trustManager(server.cert().toFile()).build()));
      assertEquals(Status.Code.UNAVAILABLE, noCert.getStatus().getCode());
      StatusRuntimeException wrongCert = assertThrows(StatusRuntimeException.class,
          () -> health(mtls, TlsChannelCredentials.newBuilder().trustManager(server.cert().toFile())
              .keyManager(other.cert().toFile(), other.key().toFile()).build()));
      assertEquals(Status.Code.UNAVAILABLE, wrongCert.getStatus().getCode());
      // the Java client presents its certificate and steps; without one, or with another, it is refused
      try (RemoteVectorEnv env = RemoteVectorEnv.builder(target(mtls), "CartPole-v1").numEnvs(2)
          .security(new ClientSecurity(true, server.cert(), null, client.cert(), client.key())).build()) {
        StepBuffers b = StepBuffers.allocate(env);
        env.reset(1, b);
        env.step(b);
        assertEquals(1.0, b.reward(0));
      }
      for (ClientSecurity refused : new ClientSecurity[] {new ClientSecurity(true, server.cert(), null),
          new ClientSecurity(true, server.cert(), null, other.cert(), other.key())}) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
            () -> RemoteVectorEnv.builder(target(mtls), "CartPole-v1").security(refused).build().close());
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
      }
    }
  }

  @Test
  void aClientCertificateNeedsItsKeyAndTls() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ClientSecurity(true, server.cert(), null, server.cert(), null));
    assertTrue(e.getMessage().contains("needs both --tls-cert and --tls-key"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new ClientSecurity(false, null, null, server.cert(), server.key()));
    assertTrue(e.getMessage().contains("is for TLS"), e.getMessage());
  }

  private static HealthCheckResponse.ServingStatus health(EnvServer s, io.grpc.ChannelCredentials creds)
      throws InterruptedException {
    ManagedChannel ch = NettyChannelBuilder.forTarget(target(s), creds).build();
    try {
      return HealthGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aKeyThatIsNotPemIsOneClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1, null, null,
            new ServerSecurity(server.cert(), server.cert(), null, null)));
    assertTrue(e.getMessage().contains("cannot use TLS certificate"), e.getMessage());
  }
}
