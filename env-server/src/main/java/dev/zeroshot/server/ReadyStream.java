package dev.zeroshot.server;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.function.Function;

/**
 * Sends a server stream's messages only as fast as the client reads them: while gRPC's outbound
 * buffer is ready ({@code isReady}), then again from its onReady handler; a client that cancels
 * stops it. A handler that loops over its messages instead buffers every one of them on the
 * server (and, on a direct-executor transport thread, cannot even see the client's cancel until
 * it is done): the back-pressure of the Session stream ({@link Session#requestNext()}) for
 * one-request streams.
 */
final class ReadyStream {

  private ReadyStream() {}

  /** The stream's next message, or null at its end. */
  interface Source<T> {
    T next() throws Exception;
  }

  /**
   * Starts sending {@code source}'s messages on {@code out}; must be called from the RPC's handler
   * (gRPC takes the onReady and onCancel handlers only there). An exception from the source ends
   * the stream with {@code toStatus} of it.
   */
  static <T> void send(ServerCallStreamObserver<T> out, Source<T> source,
      Function<Exception, StatusRuntimeException> toStatus) {
    Pump<T> pump = new Pump<>(out, source, toStatus);
    out.setOnCancelHandler(pump::cancel);
    out.setOnReadyHandler(pump);
    pump.run();
  }

  private static final class Pump<T> implements Runnable {
    private final ServerCallStreamObserver<T> out;
    private final Source<T> source;
    private final Function<Exception, StatusRuntimeException> toStatus;
    private boolean done;

    Pump(ServerCallStreamObserver<T> out, Source<T> source, Function<Exception, StatusRuntimeException> toStatus) {
      this.out = out;
      this.source = source;
      this.toStatus = toStatus;
    }

    @Override
    public synchronized void run() {
      while (!done && out.isReady()) {
        T message;
        try {
          message = source.next();
        } catch (Exception e) {
          done = true;
          out.onError(toStatus.apply(e));
          return;
        }
        if (message == null) {
          done = true;
          out.onCompleted();
          return;
        }
        out.onNext(message);
      }
    }

    synchronized void cancel() {
      done = true;
    }
  }
}
