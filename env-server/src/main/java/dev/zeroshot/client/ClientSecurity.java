package dev.zeroshot.client;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * How a client reaches a protected server: TLS (trusting the CA certificates in a PEM file, or
 * the system trust store; presenting a client certificate to a server that requires one) and a
 * bearer token sent on every call. The defaults, {@link #NONE}, are plaintext and no token, as a
 * loopback server started without security expects.
 *
 * @param tls whether to use TLS
 * @param tlsCa PEM file of the CA certificates to trust; null: the system trust store (TLS only)
 * @param token the bearer token, or null for none
 * @param tlsCert PEM certificate chain this client presents (for a server started with
 *     {@code --tls-client-ca}); null: none. TLS only, with {@code tlsKey}
 * @param tlsKey the PEM (PKCS#8) private key of {@code tlsCert}
 */
public record ClientSecurity(boolean tls, Path tlsCa, String token, Path tlsCert, Path tlsKey) {

  public static final ClientSecurity NONE = new ClientSecurity(false, null, null);

  /** TLS and a token, presenting no client certificate. */
  public ClientSecurity(boolean tls, Path tlsCa, String token) {
    this(tls, tlsCa, token, null, null);
  }

  /** The environment variable a token is read from when none is given on the command line. */
  public static final String TOKEN_ENV = "ZEROSHOT_TOKEN";

  public ClientSecurity {
    if (tlsCa != null && !tls) {
      throw new IllegalArgumentException("a TLS CA file (" + tlsCa + ") is for TLS; turn TLS on");
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("a client certificate needs both --tls-cert and --tls-key (a PEM certificate "
          + "and its PEM PKCS#8 private key); got only " + (tlsCert != null ? "--tls-cert" : "--tls-key"));
    }
    if (tlsCert != null && !tls) {
      throw new IllegalArgumentException("a client certificate (" + tlsCert + ") is for TLS; turn TLS on");
    }
    if (token != null && (token.isBlank() || !token.chars().allMatch(c -> c > 32 && c < 127))) {
      throw new IllegalArgumentException("a token must be printable ASCII without spaces");
    }
  }

  /** The channel credentials: TLS or plaintext, with the token as call credentials. */
  ChannelCredentials credentials() {
    ChannelCredentials transport;
    if (tls) {
      TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
      if (tlsCa != null) {
        try {
          b.trustManager(tlsCa.toFile());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the TLS CA file " + tlsCa, e);
        }
      }
      if (tlsCert != null) {
        try {
          b.keyManager(tlsCert.toFile(), tlsKey.toFile());
        } catch (IOException | RuntimeException e) {
          throw new IllegalArgumentException("cannot use client certificate " + tlsCert + " with key " + tlsKey
              + " (PEM files expected, the key in PKCS#8): " + e.getMessage(), e);
        }
      }
      transport = b.build();
    } else {
      transport = InsecureChannelCredentials.create();
    }
    return token == null ? transport : CompositeChannelCredentials.create(transport, new Bearer(token));
  }

  /** {@code authorization: Bearer TOKEN} on every call. */
  private static final class Bearer extends CallCredentials {
    private static final Metadata.Key<String> AUTHORIZATION =
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private final Metadata headers = new Metadata();

    Bearer(String token) {
      headers.put(AUTHORIZATION, "Bearer " + token);
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
      applier.apply(headers);
    }
  }
}
