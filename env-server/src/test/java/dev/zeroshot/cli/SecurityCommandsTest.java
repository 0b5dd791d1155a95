package dev.zeroshot.cli;

import static dev.zeroshot.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.server.EnvServer;
import dev.zeroshot.server.ServerLimits;
import dev.zeroshot.server.ServerSecurity;
import dev.zeroshot.server.TestCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve's secure default, and train ppo reaching a TLS server with a token. */
class SecurityCommandsTest {

  @Test
  void serveRefusesAnExposedAddressWithoutTlsAndTokens(@TempDir Path tmp) throws Exception {
    CliRun r = run("serve", "--host", "0.0.0.0", "--port", "0");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("refusing to serve on 0.0.0.0") && r.err.contains("without TLS and without tokens")
        && r.err.contains("--insecure"), r.err);
    assertEquals(1, r.err.strip().lines().count(), r.err);

    TestCertificate cert = TestCertificate.make(tmp, "server");
    Path tokens = tmp.resolve("tokens");
    Files.writeString(tokens, "t alice\n");
    ServerSecurity tlsOnly = new ServerSecurity(cert.cert(), cert.key(), null, null);
    ServerSecurity tokensOnly = new ServerSecurity(null, null, null, tokens);
    ServerSecurity both = new ServerSecurity(cert.cert(), cert.key(), null, tokens);
    assertEquals("without tokens", ServeCommand.exposedWithoutProtection("0.0.0.0", tlsOnly));
    assertEquals("without TLS", ServeCommand.exposedWithoutProtection("0.0.0.0", tokensOnly));
    assertNull(ServeCommand.exposedWithoutProtection("0.0.0.0", both));
    assertNull(ServeCommand.exposedWithoutProtection("127.0.0.1", ServerSecurity.NONE));
    assertNull(ServeCommand.exposedWithoutProtection("localhost", ServerSecurity.NONE));
    assertNull(ServeCommand.exposedWithoutProtection("::1", ServerSecurity.NONE));
  }

  @Test
  void serveNamesAMissingHalfOfTls() {
    CliRun r = run("serve", "--port", "0", "--tls-cert", "server.crt");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("TLS needs both --tls-cert and --tls-key"), r.err);
  }

  @Test
  void trainPpoReachesATlsServerWithAToken(@TempDir Path tmp) throws Exception {
    TestCertificate cert = TestCertificate.make(tmp, "server");
    Path tokens = tmp.resolve("tokens");
    Files.writeString(tokens, "s3cret alice\n");
    try (EnvServer server = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1, null, null,
        new ServerSecurity(cert.cert(), cert.key(), null, tokens)).start()) {
      String target = "127.0.0.1:" + server.port();
      CliRun r = run("train", "ppo", "--env", "CartPole-v1", "--out", tmp.resolve("run").toString(), "--steps", "512",
          "--no-progress", "--server", target, "--tls-ca", cert.cert().toString(), "--token", "s3cret");
      assertEquals(0, r.exit, r.err);
      r = run("train", "ppo", "--env", "CartPole-v1", "--out", tmp.resolve("run2").toString(), "--steps", "512",
          "--no-progress", "--server", target, "--tls-ca", cert.cert().toString(), "--token", "wrong");
      assertTrue(r.exit != 0 && r.err.contains("UNAUTHENTICATED"), r.err);
    }
  }

  @Test
  void trainPpoPresentsAClientCertificateToAServerThatRequiresOne(@TempDir Path tmp) throws Exception {
    TestCertificate cert = TestCertificate.make(tmp, "server");
    TestCertificate client = TestCertificate.make(tmp, "client");
    try (EnvServer server = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1, null, null,
        new ServerSecurity(cert.cert(), cert.key(), client.cert(), null)).start()) {
      String target = "127.0.0.1:" + server.port();
      CliRun r = run("train", "ppo", "--env", "CartPole-v1", "--out", tmp.resolve("run").toString(), "--steps", "512",
          "--no-progress", "--server", target, "--tls-ca", cert.cert().toString(), "--tls-cert",
          client.cert().toString(), "--tls-key", client.key().toString());
      assertEquals(0, r.exit, r.err);
      r = run("train", "ppo", "--env", "CartPole-v1", "--out", tmp.resolve("run2").toString(), "--steps", "512",
          "--no-progress", "--server", target, "--tls-ca", cert.cert().toString());
      assertTrue(r.exit != 0 && r.err.contains("UNAVAILABLE"), r.err);
      r = run("train", "ppo", "--env", "CartPole-v1", "--out", tmp.resolve("run3").toString(), "--steps", "512",
          "--no-progress", "--server", target, "--tls-ca", cert.cert().toString(), "--tls-cert", client.cert().toString());
      assertEquals(2, r.exit, r.err);
      assertTrue(r.err.contains("needs both --tls-cert and --tls-key"), r.err);
    }
  }
}
