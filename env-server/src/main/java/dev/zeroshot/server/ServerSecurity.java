package dev.zeroshot.server;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the server protects its port: TLS (a PEM certificate chain and its PKCS#8 PEM private key,
 * optionally a CA whose certificates clients must present) and bearer tokens (a file of accepted
 * tokens, see {@link TokenAuthInterceptor}). Each part is null when off.
 */
public record ServerSecurity(Path tlsCert, Path tlsKey, Path tlsClientCa, Path authTokens) {

  /** Plaintext and no tokens: for loopback, tests and private networks. */
  public static final ServerSecurity NONE = new ServerSecurity(null, null, null, null);

  /** @throws IllegalArgumentException naming the option that is missing or the file that cannot be read */
  public ServerSecurity {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("TLS needs both --tls-cert and --tls-key (a PEM certificate and its PEM "
          + "PKCS#8 private key); got only " + (tlsCert != null ? "--tls-cert" : "--tls-key"));
    }
    if (tlsClientCa != null && tlsCert == null) {
      throw new IllegalArgumentException("--tls-client-ca verifies client certificates over TLS; give --tls-cert "
          + "and --tls-key too");
    }
    for (Path p : new Path[] {tlsCert, tlsKey, tlsClientCa, authTokens}) {
      if (p != null && !Files.isReadable(p)) {
        throw new IllegalArgumentException("cannot read " + p + " (a security file of zeroshot serve)");
      }
    }
  }

  public boolean tls() {
    return tlsCert != null;
  }

  public boolean tokens() {
    return authTokens != null;
  }

  /** The transport credentials: TLS (requiring a client certificate when a client CA is given), or plaintext. */
  ServerCredentials credentials() throws IOException {
    if (!tls()) {
      return InsecureServerCredentials.create();
    }
    TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder().keyManager(tlsCert.toFile(), tlsKey.toFile());
    if (tlsClientCa != null) {
      b.trustManager(tlsClientCa.toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return b.build();
  }
}
