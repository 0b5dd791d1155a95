package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.proto.v1.EnvServiceGrpc;
import dev.zeroshot.proto.v1.SessionRequest;
import dev.zeroshot.proto.v1.SessionResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import dev.zeroshot.proto.v1.SharedMemory;
import dev.zeroshot.wire.SharedMemoryLayout;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/** A real server on a free loopback port, and a client channel to it. */
final class TestServer implements AutoCloseable {

  final EnvServer server;
  final ManagedChannel channel;

  TestServer(ServerLimits limits) throws IOException {
    this(limits, 2);
  }

  /** @param threads the server's step threads (1: inline on the transport thread; more: a shared pool) */
  TestServer(ServerLimits limits, int threads) throws IOException {
    server = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, limits, threads).start();
    channel = RemoteVectorEnv.channel(target(), 64 << 20);
  }

  TestServer() throws IOException {
    this(ServerLimits.DEFAULTS);
  }

  String target() {
    return "127.0.0.1:" + server.port();
  }

  EnvServiceGrpc.EnvServiceBlockingStub blocking() {
    return EnvServiceGrpc.newBlockingStub(channel);
  }

  Probe probe() {
    return new Probe(EnvServiceGrpc.newStub(channel));
  }

  /** The health service's answer for the whole server. */
  HealthCheckResponse.ServingStatus health() {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().build()).getStatus();
  }

  /** Waits (up to 20 s: a bound for a hung test, not a timing assertion) until {@code value} is {@code expected}. */
  static void await(String what, IntSupplier value, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (value.getAsInt() != expected) {
      if (System.nanoTime() > deadline) {
        fail(what + " is " + value.getAsInt() + ", expected " + expected);
      }
      Thread.sleep(5);
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.close();
  }

  /** Connects to a shared-memory session's doorbell and shows {@code nonce}, as a client does. */
  static SocketChannel doorbell(SharedMemory d, long nonce) throws IOException {
    SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(d.getDoorbellPath()));
    ByteBuffer proof = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, nonce);
    while (proof.hasRemaining()) {
      c.write(proof);
    }
    return c;
  }

  /** Sends {@code request} on a doorbell; returns the answer byte, or -1 if the server closed it unanswered. */
  static int ring(SocketChannel doorbell, int request) {
    try {
      doorbell.write(ByteBuffer.wrap(new byte[] {(byte) request}));
      ByteBuffer answer = ByteBuffer.allocate(1);
      return doorbell.read(answer) == 1 ? answer.get(0) : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /** The sequence number in a shared-memory region's header. */
  static long sequence(SharedMemory d) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel ch = FileChannel.open(Path.of(d.getPath()), StandardOpenOption.READ)) {
      ch.read(b, SharedMemoryLayout.H_SEQUENCE);
    }
    return b.getLong(0);
  }

  /** Doorbell threads alive in this JVM (each ends with its session). */
  static int doorbellThreads() {
    return (int) Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("zeroshot-doorbell-")).count();
  }

  /** A raw Session stream: send one request, read one response or the final status. */
  static final class Probe implements AutoCloseable {
    final ClientCallStreamObserver<SessionRequest> requests;
    final BlockingQueue<Object> responses = new LinkedBlockingQueue<>();

    Probe(EnvServiceGrpc.EnvServiceStub stub) {
      requests = (ClientCallStreamObserver<SessionRequest>) stub.session(
          new ClientResponseObserver<SessionRequest, SessionResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<SessionRequest> s) {}

            @Override
            public void onNext(SessionResponse v) {
              responses.add(v);
            }

            @Override
            public void onError(Throwable t) {
              responses.add(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
              responses.add(Status.OK);
            }
          });
    }

    /** Sends and returns the response; a status ending the stream is thrown. */
    SessionResponse send(SessionRequest r) throws InterruptedException {
      requests.onNext(r);
      Object o = next();
      if (o instanceof Status s) {
        throw s.asRuntimeException();
      }
      return (SessionResponse) o;
    }

    /** Sends and expects the stream to end with {@code code}; returns the status. */
    Status sendExpectingError(SessionRequest r, Status.Code code) throws InterruptedException {
      try {
        requests.onNext(r);
      } catch (RuntimeException e) {
        // the stream may already have ended; the status below says how
      }
      return expectEnd(code);
    }

    Status expectEnd(Status.Code code) throws InterruptedException {
      Object o = next();
      assertTrue(o instanceof Status, "expected the stream to end with " + code + ", got a response: " + o);
      Status s = (Status) o;
      assertEquals(code, s.getCode(), "status " + s);
      return s;
    }

    Object next() throws InterruptedException {
      Object o = responses.poll(20, TimeUnit.SECONDS);
      if (o == null) {
        fail("no response from the server within 20 s");
      }
      return o;
    }

    void cancel() {
      requests.cancel("test cancels", null);
    }

    @Override
    public void close() {
      try {
        requests.cancel("test done", null);
      } catch (RuntimeException ignored) {
        // already ended
      }
    }
  }
}
