package dev.zeroshot.cli;

import dev.zeroshot.client.ClientSecurity;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --tls}, {@code --tls-ca FILE}, {@code --tls-cert FILE --tls-key FILE}, {@code --token TOKEN}: how a
 * client command reaches a protected server.
 */
final class ClientSecurityOption {

  @Option(names = "--tls", description = "connect to the server over TLS, trusting the system trust store")
  boolean tls;

  @Option(names = "--tls-ca", paramLabel = "FILE",
      description = "connect over TLS, trusting the CA certificates in this PEM file (e.g. a self-signed server's certificate)")
  Path tlsCa;

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "over TLS, present this PEM client certificate (for a server started with --tls-client-ca; needs --tls-key)")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "the PEM (PKCS#8) private key of --tls-cert")
  Path tlsKey;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "bearer token for a server started with --auth-tokens (default: the ZEROSHOT_TOKEN environment variable)")
  String token;

  ClientSecurity security() {
    String t = token != null ? token : System.getenv(ClientSecurity.TOKEN_ENV);
    return new ClientSecurity(tls || tlsCa != null || tlsCert != null, tlsCa, t == null || t.isEmpty() ? null : t,
        tlsCert, tlsKey);
  }
}
