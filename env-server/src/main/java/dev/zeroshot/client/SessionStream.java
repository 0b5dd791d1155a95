package dev.zeroshot.client;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.zeroshot.proto.v1.CloseRequest;
import dev.zeroshot.proto.v1.EnvServiceGrpc;
import dev.zeroshot.proto.v1.SessionRequest;
import dev.zeroshot.proto.v1.SessionResponse;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.KnownLength;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One Session stream seen from the client, in lock-step: every request is answered by one
 * response, or by the status that ends the session, which is thrown as {@link RemoteVectorEnv}'s
 * class comment says. Responses arrive as bytes and are parsed (or decoded straight into step
 * buffers) on the agent's thread rather than on the transport thread. After any error the
 * stream is broken and refuses further requests.
 */
final class SessionStream {

  /** How long a wait for the server spins before it blocks (see {@link #awaitResponse()}). */
  static final long SPIN_NANOS = 100_000;
  private static final Object END = new Object();

  private final ClientCall<SessionRequest, Raw> call;
  private final ClientCallStreamObserver<SessionRequest> requests;
  private final BlockingQueue<Object> responses = new ArrayBlockingQueue<>(4);
  private boolean broken;
  private boolean closed;
  // Step responses owed: a shared-memory step completes when the region's sequence number moves,
  // before its response has arrived; those responses are taken (and checked) before the next request.
  private int owed;
  private long firstOwed;

  SessionStream(ManagedChannel channel) {
    MethodDescriptor<SessionRequest, Raw> session = EnvServiceGrpc.getSessionMethod().toBuilder(
        EnvServiceGrpc.getSessionMethod().getRequestMarshaller(), new RawMarshaller()).build();
    this.call = channel.newCall(session, CallOptions.DEFAULT);
    this.requests = (ClientCallStreamObserver<SessionRequest>) ClientCalls.asyncBidiStreamingCall(call, new ClientResponseObserver<SessionRequest, Raw>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<SessionRequest> stream) {}

          @Override
          public void onNext(Raw value) {
            responses.add(value);
          }

          @Override
          public void onError(Throwable t) {
            responses.add(Status.fromThrowable(t));
          }

          @Override
          public void onCompleted() {
            responses.add(END);
          }
        });
  }

  /** One response's bytes, in an array the marshaller reuses once the response is handled (lock-step). */
  record Raw(byte[] bytes, int length) {}

  /**
   * Session responses as bytes. The array is reused: every response is handled (decoded, parsed
   * or dropped) before the next request is sent, and a response arrives only after its request.
   */
  private static final class RawMarshaller implements MethodDescriptor.Marshaller<Raw> {
    private byte[] buffer = new byte[0];

    @Override
    public InputStream stream(Raw value) {
      return new java.io.ByteArrayInputStream(value.bytes(), 0, value.length());
    }

    @Override
    public Raw parse(InputStream stream) {
      try {
        if (!(stream instanceof KnownLength)) {
          byte[] all = stream.readAllBytes();
          return new Raw(all, all.length);
        }
        int n = stream.available();
        if (buffer.length < n) {
          buffer = new byte[n];
        }
        byte[] b = buffer;
        int got = stream.readNBytes(b, 0, n);
        if (got != n || stream.read() != -1) {
          byte[] rest = stream.readAllBytes();
          byte[] all = java.util.Arrays.copyOf(b, got + 1 + rest.length);
          return new Raw(all, all.length);
        }
        return new Raw(b, n);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static SessionResponse parse(Raw raw) {
    try {
      return SessionResponse.parser().parseFrom(raw.bytes(), 0, raw.length());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("server sent a response that is not a zeroshot.v1.SessionResponse: "
          + e.getMessage(), e);
    }
  }

  /**
   * The address of the server this session's stream went to (with several servers, the one
   * gRPC's load balancing picked); null until the server has answered.
   */
  SocketAddress server() {
    return call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
  }

  /** Sends {@code req} and returns its answer. */
  SessionResponse call(SessionRequest req) {
    send(req);
    return answer();
  }

  /** Sends {@code req} after taking the responses owed for steps already completed through the region. */
  void send(SessionRequest req) {
    requireOpen();
    takeOwed();
    requests.onNext(req);
  }

  void requireOpen() {
    if (closed) {
      throw new IllegalStateException("remote vector env is closed");
    }
    if (broken) {
      throw new IllegalStateException("remote vector env's session has ended after an error");
    }
  }

  /** Notes that the response to the step whose result is number {@code sequence} is still to come. */
  void owe(long sequence) {
    if (owed == 0) {
      firstOwed = sequence;
    }
    owed++;
  }

  /** Takes the responses owed; each must name its step's result. */
  private void takeOwed() {
    while (owed > 0) {
      long seq = firstOwed++;
      owed--;
      SessionResponse r = answer();
      if (r.getStep().getSequence() != seq) {
        throw broken("shared memory out of step: the response of result " + seq + " names "
            + r.getStep().getSequence(), null);
      }
    }
  }

  /** Marks the session unusable; returns the exception that says why, for the caller to throw. */
  IllegalStateException broken(String message, Throwable cause) {
    broken = true;
    return new IllegalStateException(message, cause);
  }

  /** The wait for the server was interrupted: the session is cancelled; returns the exception to throw. */
  IllegalStateException interrupted(Exception e) {
    broken = true;
    requests.cancel("interrupted", e);
    return new IllegalStateException("interrupted while waiting for the server", e);
  }

  /** Whether a response (or the session's end) is waiting to be taken. */
  boolean hasResponse() {
    return !responses.isEmpty();
  }

  /** The next response; a status ending the session is thrown. */
  SessionResponse answer() {
    return parse(answerRaw());
  }

  /** The next response's bytes; a status ending the session is thrown. */
  Raw answerRaw() {
    Object o;
    try {
      o = awaitResponse();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(e);
    }
    if (o instanceof Raw r) {
      return r;
    }
    broken = true;
    if (o instanceof Status s) {
      throw exception(s);
    }
    throw new IllegalStateException("server ended the session without answering");
  }

  /**
   * The session ended without answering on a side channel (the doorbell closed): throws the
   * status its stream ended with.
   */
  RuntimeException endStatus(String sideChannel) {
    broken = true;
    Object o;
    try {
      o = responses.poll(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      o = null;
    }
    if (o instanceof Status s) {
      return exception(s);
    }
    requests.cancel(sideChannel + " closed", null);
    return new IllegalStateException("the server closed this session's " + sideChannel
        + " without a step result or a status");
  }

  /** What a status that ended the session is thrown as (see {@link RemoteVectorEnv}'s class comment). */
  private static RuntimeException exception(Status s) {
    switch (s.getCode()) {
      case INVALID_ARGUMENT:
        return new IllegalArgumentException(s.getDescription());
      case FAILED_PRECONDITION:
        return new IllegalStateException(s.getDescription());
      default:
        return s.asRuntimeException();
    }
  }

  /**
   * The next response. Spins briefly before blocking: a small batch's reply arrives in tens of
   * microseconds, and parking then waking this thread costs ~25-30 us on a 2-vCPU machine.
   */
  private Object awaitResponse() throws InterruptedException {
    long deadline = System.nanoTime() + SPIN_NANOS;
    do {
      Object o = responses.poll();
      if (o != null) {
        return o;
      }
      Thread.onSpinWait();
    } while (System.nanoTime() < deadline);
    return responses.take();
  }

  /** Gives up on the session at once (a failed make). */
  void cancel(String reason, Throwable cause) {
    try {
      requests.cancel(reason, cause);
    } catch (RuntimeException ignored) {
      // the stream has ended already
    }
  }

  /** Closes the session (the server frees its envs), waiting up to 10 s for the server to end the stream. */
  void close() {
    if (closed) {
      return;
    }
    try {
      if (!broken) {
        takeOwed();
        requests.onNext(SessionRequest.newBuilder().setClose(CloseRequest.getDefaultInstance()).build());
        requests.onCompleted();
        Object o = responses.poll(10, TimeUnit.SECONDS);
        if (o == null) {
          requests.cancel("close timed out", null);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      requests.cancel("interrupted", e);
    } catch (RuntimeException e) {
      requests.cancel("close failed", e);
    } finally {
      closed = true;
    }
  }
}
