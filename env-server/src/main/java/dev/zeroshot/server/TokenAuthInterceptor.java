package dev.zeroshot.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requires {@code authorization: Bearer <token>} on every call except the health service (load
 * balancers and scripts probe it without credentials), and puts the token's identity in the
 * call's {@link Context} ({@link #IDENTITY}). The accepted tokens are read from a file, one
 * {@code TOKEN IDENTITY} per line, {@code #} starting a comment; the file is read again on the
 * first call after its modification time changes, so tokens can be added or revoked without a
 * restart. A file that cannot be read or parsed on reload keeps the previous tokens (and is logged).
 */
public final class TokenAuthInterceptor implements ServerInterceptor {

  /** The identity of the caller of the current call (null when the server takes no tokens). */
  public static final Context.Key<String> IDENTITY = Context.key("zeroshot-identity");

  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "Bearer ";
  private static final Logger log = LoggerFactory.getLogger(TokenAuthInterceptor.class);

  private final Path file;
  private volatile Tokens tokens;

  private record Tokens(FileTime modified, Map<String, String> identities) {}

  /** @throws IllegalArgumentException naming the file and line that is not {@code TOKEN IDENTITY} */
  public TokenAuthInterceptor(Path file) {
    this.file = file;
    try {
      this.tokens = read(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the token file " + file, e);
    }
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    if (HealthGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    String header = headers.get(AUTHORIZATION);
    if (header == null || !header.startsWith(BEARER)) {
      call.close(Status.UNAUTHENTICATED.withDescription("this server needs 'authorization: Bearer TOKEN' metadata "
          + "(zeroshot: --token or ZEROSHOT_TOKEN)"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    String identity = current().get(header.substring(BEARER.length()).strip());
    if (identity == null) {
      call.close(Status.UNAUTHENTICATED.withDescription("the bearer token is not accepted by this server"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(IDENTITY, identity), call, headers, next);
  }

  /** The tokens, read again if the file changed since they were read. */
  private Map<String, String> current() {
    Tokens t = tokens;
    try {
      if (!Files.getLastModifiedTime(file).equals(t.modified())) {
        synchronized (this) {
          t = tokens;
          if (!Files.getLastModifiedTime(file).equals(t.modified())) {
            t = read(file);
            tokens = t;
            log.info("token file reloaded file={} tokens={}", file, t.identities().size());
          }
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      log.warn("token file not reloaded, keeping the previous tokens: {}", e.getMessage());
    }
    return t.identities();
  }

  private static Tokens read(Path file) throws IOException {
    FileTime modified = Files.getLastModifiedTime(file);
    Map<String, String> ids = new HashMap<>();
    int n = 0;
    for (String line : Files.readAllLines(file)) {
      n++;
      int hash = line.indexOf('#');
      String text = (hash < 0 ? line : line.substring(0, hash)).strip();
      if (text.isEmpty()) {
        continue;
      }
      String[] parts = text.split("\\s+");
      if (parts.length != 2) {
        throw new IllegalArgumentException("token file " + file + " line " + n + ": expected 'TOKEN IDENTITY' "
            + "(two words; '#' starts a comment), got " + parts.length + " word(s)");
      }
      ids.put(parts[0], parts[1]);
    }
    return new Tokens(modified, Map.copyOf(ids));
  }
}
