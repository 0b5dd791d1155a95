package dev.zeroshot.client;

import com.google.protobuf.ByteString;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnvApi;
import dev.zeroshot.env.space.Space;
import dev.zeroshot.proto.v1.CloseRequest;
import dev.zeroshot.proto.v1.ContextSampler;
import dev.zeroshot.proto.v1.EnvServiceGrpc;
import dev.zeroshot.proto.v1.EnvSpec;
import dev.zeroshot.proto.v1.MakeRequest;
import dev.zeroshot.proto.v1.ResetRequest;
import dev.zeroshot.proto.v1.SessionRequest;
import dev.zeroshot.proto.v1.SessionResponse;
import dev.zeroshot.proto.v1.StepRequest;
import dev.zeroshot.proto.v1.StepResult;
import dev.zeroshot.proto.v1.Tensor;
import dev.zeroshot.proto.v1.SharedMemory;
import dev.zeroshot.server.Protos;
import dev.zeroshot.server.SharedRegion;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.KnownLength;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A vector env served by a Zeroshot server over one gRPC Session stream, with the same
 * contract as the in-process {@link dev.zeroshot.env.VectorEnv}: the same {@link StepBuffers},
 * next-step autoreset, and bit-identical observations, rewards and flags for the same env id,
 * context, seed and actions. Invalid actions are caught here with the in-process env's check
 * and message ({@link IllegalArgumentException}; nothing is sent, the session lives on); a
 * step before a reset is an {@link IllegalStateException}. Any other failure of the session
 * (server gone, idle timeout, limits) is a {@link StatusRuntimeException}, after which the env
 * is unusable.
 *
 * <p>Not thread-safe, like the in-process env: one agent thread drives it.
 */
public final class RemoteVectorEnv implements VectorEnvApi {

  private static final Object END = new Object();

  private final ManagedChannel channel;
  private final boolean ownsChannel;
  private final ClientCallStreamObserver<SessionRequest> requests;
  private static final long SPIN_NANOS = 100_000;
  private final BlockingQueue<Object> responses = new ArrayBlockingQueue<>(4);
  private final EnvSpec spec;
  private final int numEnvs;
  private final String sessionId;
  private final Space observationSpace;
  private final Space actionSpace;
  private final dev.zeroshot.proto.v1.DType actionDType;
  private final List<Long> actionShape;
  private final boolean[] needsReset;
  private boolean started;
  private boolean broken;
  private boolean closed;
  // The shared-memory data plane (null without): the mapped region as step buffers, its header.
  private final StepBuffers shared;
  private final ByteBuffer sharedHeader;
  private final String sharedPath;
  // Its doorbell (null without, or when the server made none): steps that skip gRPC.
  private final SocketChannel doorbell;
  private final ByteBuffer bell = ByteBuffer.allocateDirect(1);
  private long sequence;
  // Step responses not taken yet: with shared memory a step completes when the region's sequence
  // number moves (the server writes it after the results), before its response has arrived; the
  // response is taken (and checked) before the next request.
  private int pending;
  private static final VarHandle LONG_LE = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private RemoteVectorEnv(Builder b) {
    this.ownsChannel = b.channel == null;
    this.channel = ownsChannel ? channel(b.target, b.maxMessageBytes) : b.channel;
    MethodDescriptor<SessionRequest, Raw> session = EnvServiceGrpc.getSessionMethod().toBuilder(
        EnvServiceGrpc.getSessionMethod().getRequestMarshaller(), new RawMarshaller()).build();
    this.requests = (ClientCallStreamObserver<SessionRequest>) ClientCalls.asyncBidiStreamingCall(
        channel.newCall(session, CallOptions.DEFAULT), new ClientResponseObserver<SessionRequest, Raw>() {
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
    try {
      MakeRequest.Builder make = MakeRequest.newBuilder().setEnvId(b.envId).setNumEnvs(b.numEnvs)
          .putAllContext(b.context).addAllVisibleContext(b.visibleContext).setResampleOnReset(b.resampleOnReset);
      if (b.sampler != null) {
        make.setSampler(b.sampler);
      }
      if (b.maxEpisodeSteps != null) {
        make.setMaxEpisodeSteps(b.maxEpisodeSteps);
      }
      make.setSharedMemory(b.sharedMemory);
      SessionResponse r = call(SessionRequest.newBuilder().setMake(make).build());
      this.spec = r.getMake().getSpec();
      this.numEnvs = r.getMake().getNumEnvs();
      this.sessionId = r.getMake().getSessionId();
      this.observationSpace = Protos.space(spec.getObservationSpace());
      this.actionSpace = Protos.space(spec.getActionSpace());
      this.actionDType = Protos.dtype(Protos.elementDType(actionSpace));
      List<Long> shape = new ArrayList<>();
      shape.add((long) numEnvs);
      for (int d : Protos.elementShape(actionSpace)) {
        shape.add((long) d);
      }
      this.actionShape = List.copyOf(shape);
      this.needsReset = new boolean[numEnvs];
      if (b.sharedMemory) {
        if (!r.getMake().hasSharedMemory()) {
          throw new IllegalStateException("the server did not grant shared memory (an older server?)");
        }
        SharedMemory d = r.getMake().getSharedMemory();
        this.sharedPath = d.getPath();
        MappedByteBuffer map = map(d, numEnvs, observationSpace.byteSize(), actionSpace.byteSize());
        this.sharedHeader = map.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.shared = StepBuffers.wrap(numEnvs, d.getObservationBytes(), d.getActionBytes(),
            map.slice((int) d.getObservationsOffset(), numEnvs * d.getObservationBytes()),
            map.slice((int) d.getActionsOffset(), numEnvs * d.getActionBytes()),
            map.slice((int) d.getResultsOffset(), numEnvs * d.getRecordBytes()));
        this.doorbell = b.doorbell && !d.getDoorbellPath().isEmpty() ? connectDoorbell(d) : null;
      } else {
        this.sharedPath = null;
        this.sharedHeader = null;
        this.shared = null;
        this.doorbell = null;
      }
    } catch (RuntimeException e) {
      try {
        requests.cancel("make failed", e);
      } catch (RuntimeException ignored) {
        // the stream has ended already
      }
      if (ownsChannel) {
        channel.shutdownNow();
      }
      throw e;
    }
  }

  /**
   * Connects to the session's doorbell and shows it the session's nonce. A doorbell that cannot
   * be reached (another mount namespace, say) is not an error: steps then go over the stream.
   */
  private static SocketChannel connectDoorbell(SharedMemory d) {
    SocketChannel c = null;
    try {
      c = SocketChannel.open(UnixDomainSocketAddress.of(d.getDoorbellPath()));
      ByteBuffer proof = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, d.getNonce());
      while (proof.hasRemaining()) {
        c.write(proof);
      }
      return c;
    } catch (IOException | RuntimeException e) {
      if (c != null) {
        try {
          c.close();
        } catch (IOException ignored) {
          // nothing more to free
        }
      }
      return null;
    }
  }

  /** Whether steps go through the session's doorbell rather than step messages (shared memory only). */
  public boolean usesDoorbell() {
    return doorbell != null;
  }

  /** Maps the server's region file and checks that it is this session's, with the expected layout. */
  private static MappedByteBuffer map(SharedMemory d, int numEnvs, int observationBytes, int actionBytes) {
    if (d.getLayoutVersion() != SharedRegion.LAYOUT_VERSION || d.getObservationBytes() != observationBytes
        || d.getActionBytes() != actionBytes || d.getRecordBytes() != StepBuffers.RECORD_BYTES) {
      throw new IllegalStateException("shared memory layout " + d.getLayoutVersion() + " with " + d.getObservationBytes()
          + "/" + d.getActionBytes() + "/" + d.getRecordBytes() + " bytes per env is not the one this client reads ("
          + SharedRegion.LAYOUT_VERSION + ", " + observationBytes + "/" + actionBytes + "/" + StepBuffers.RECORD_BYTES + ")");
    }
    MappedByteBuffer map;
    try (FileChannel ch = FileChannel.open(Path.of(d.getPath()), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      if (ch.size() != d.getSize()) {
        throw new IllegalStateException("shared memory file " + d.getPath() + " has " + ch.size() + " bytes, the server "
            + "said " + d.getSize() + ": is this client on the server's host, in the same mount namespace?");
      }
      map = ch.map(FileChannel.MapMode.READ_WRITE, 0, d.getSize());
    } catch (IOException e) {
      throw new IllegalStateException("cannot map the server's shared memory file " + d.getPath() + " (" + e
          + "): is this client on the server's host, in the same mount namespace, as the same user?", e);
    }
    ByteBuffer h = map.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (h.getInt(SharedRegion.H_MAGIC) != SharedRegion.MAGIC || h.getLong(SharedRegion.H_NONCE) != d.getNonce()
        || h.getInt(SharedRegion.H_NUM_ENVS) != numEnvs) {
      throw new IllegalStateException("shared memory file " + d.getPath() + " is not this session's (magic, nonce or "
          + "num_envs differ): is this client on the server's host, in the same mount namespace?");
    }
    return map;
  }

  /**
   * With {@link Builder#sharedMemory(boolean)}: step buffers over the shared-memory region
   * itself. Stepping with them copies nothing (the server's envs write observations and results
   * into them, and read the actions written there); other buffers work too, at the cost of one
   * copy each way. Valid until {@link #close()}; null without shared memory.
   */
  public StepBuffers sharedBuffers() {
    return shared;
  }

  /** The server's shared-memory file of this session, or null without shared memory. */
  public String sharedMemoryPath() {
    return sharedPath;
  }

  /**
   * A plaintext channel tuned for lock-step stepping: direct executor, large messages, and an
   * 8 MiB initial HTTP/2 window (gRPC's 1 MiB would make a batch of 256 frames, 3 MB, wait for
   * window updates mid-message; the window still auto-tunes from there).
   */
  public static ManagedChannel channel(String target, int maxMessageBytes) {
    return NettyChannelBuilder.forTarget(target).usePlaintext().directExecutor()
        .maxInboundMessageSize(maxMessageBytes).initialFlowControlWindow(8 << 20).build();
  }

  /** Starts building a remote vector env of {@code envId} on the server at {@code target} ("host:port"). */
  public static Builder builder(String target, String envId) {
    return new Builder(target, null, envId);
  }

  /** As {@link #builder(String, String)}, on a channel the caller owns (and closes). */
  public static Builder builder(ManagedChannel channel, String envId) {
    return new Builder(null, channel, envId);
  }

  /** The server's description of this session's env (spaces as made, context, time limit, autoreset mode). */
  public EnvSpec spec() {
    return spec;
  }

  /** The server's name for this session, as in its logs. */
  public String sessionId() {
    return sessionId;
  }

  @Override
  public int numEnvs() {
    return numEnvs;
  }

  @Override
  public Space singleObservationSpace() {
    return observationSpace;
  }

  @Override
  public Space singleActionSpace() {
    return actionSpace;
  }

  @Override
  public int maxEpisodeSteps() {
    return spec.getMaxEpisodeSteps();
  }

  @Override
  public void reset(long seed, StepBuffers out) {
    reset(ResetRequest.newBuilder().setSeed(seed).build(), out);
  }

  @Override
  public void reset(StepBuffers out) {
    reset(ResetRequest.getDefaultInstance(), out);
  }

  private void reset(ResetRequest req, StepBuffers out) {
    checkBuffers(out);
    send(SessionRequest.newBuilder().setReset(req).build());
    Raw raw = answerRaw();
    if (shared != null) {
      readShared(parse(raw).getReset(), out);
    } else if (!decode(raw, out)) {
      read(parse(raw).getReset(), out);
    }
    started = true;
  }

  @Override
  public void step(StepBuffers io) {
    if (!started) {
      throw new IllegalStateException("step called before reset");
    }
    checkBuffers(io);
    for (int i = 0; i < numEnvs; i++) {
      if (!needsReset[i]) {
        String problem = actionSpace.check(io.actions(), i * io.actionBytes());
        if (problem != null) {
          throw new IllegalArgumentException("action " + problem + " in env " + i);
        }
      }
    }
    if (shared != null) {
      if (io != shared) {
        shared.actions().put(0, io.actions(), 0, numEnvs * io.actionBytes());
      }
      if (doorbell != null) {
        ring(io);
      } else {
        stepShared(io);
      }
      return;
    }
    ByteBuffer a = io.actions().duplicate();
    a.clear();
    Tensor actions = Tensor.newBuilder().setDtype(actionDType).addAllShape(actionShape)
        .setData(ByteString.copyFrom(a)).build();
    send(SessionRequest.newBuilder().setStep(StepRequest.newBuilder().setActions(actions)).build());
    Raw raw = answerRaw();
    if (!decode(raw, io)) {
      read(parse(raw).getStep(), io);
    }
  }

  /** One response's bytes, in an array the marshaller reuses once the response is handled (lock-step). */
  private record Raw(byte[] bytes, int length) {}

  /**
   * Session responses as bytes, parsed on the agent's thread ({@link #parse}, or a step result
   * straight into the caller's buffers by {@link #decode}) rather than into protobuf objects on
   * the transport thread. The array is reused: every response is handled (decoded, parsed or
   * dropped) before the next request is sent, and a response arrives only after its request.
   */
  private final class RawMarshaller implements MethodDescriptor.Marshaller<Raw> {
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

  private static SessionResponse parse(Raw raw) {
    try {
      return SessionResponse.parser().parseFrom(raw.bytes(), 0, raw.length());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("server sent a response that is not a zeroshot.v1.SessionResponse: "
          + e.getMessage(), e);
    }
  }

  /**
   * Reads a reset's or step's result straight into {@code out}; false if the response is
   * something else. See {@link StepResultDecoder}.
   */
  private boolean decode(Raw raw, StepBuffers out) {
    if (decoder == null) {
      decoder = new StepResultDecoder(numEnvs);
    }
    try {
      return decoder.decode(raw.bytes(), raw.length(), out, needsReset);
    } catch (IOException e) {
      broken = true;
      throw new IllegalStateException("server sent a step result that is not valid protobuf: " + e.getMessage(), e);
    }
  }

  private StepResultDecoder decoder;

  private static final SessionRequest STEP_SHARED =
      SessionRequest.newBuilder().setStep(StepRequest.getDefaultInstance()).build();

  /**
   * A step on the shared-memory plane. The request goes out as a message; completion is seen in
   * the region (its sequence number, written by the server after the results with release
   * semantics), which spares the wait for the response's delivery and a thread wake-up. The
   * client spins on it for up to 100 us, then keeps polling but yields the core between polls
   * (a longer step then runs on both cores without this thread stealing one); an error ends
   * the wait through the response queue (the number never moves then).
   */
  private void stepShared(StepBuffers io) {
    send(STEP_SHARED);
    long want = sequence + 1;
    long spinUntil = System.nanoTime() + SPIN_NANOS;
    while (true) {
      if ((long) LONG_LE.getAcquire(sharedHeader, SharedRegion.H_SEQUENCE) == want) {
        pending++;
        sequence = want;
        finishShared(io);
        return;
      }
      if (!responses.isEmpty()) { // an error, or the response itself
        readShared(answer().getStep(), io);
        return;
      }
      if (System.nanoTime() < spinUntil) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
  }

  /**
   * A step through the doorbell: one byte out, one byte back once the results are in the region.
   * Both ends block in a read while the other works, so neither steals a core from the envs. Any
   * other answer (the socket closed) means the session failed on this step or ended: its stream
   * says why, and that status is thrown.
   */
  private void ring(StepBuffers io) {
    requireOpen(); // (no step responses are pending: with a doorbell every step goes through it)
    boolean done;
    try {
      bell.clear();
      bell.put(0, STEP);
      doorbell.write(bell);
      bell.clear();
      done = doorbell.read(bell) == 1 && bell.get(0) == DONE;
    } catch (ClosedByInterruptException e) {
      broken = true;
      requests.cancel("interrupted", e);
      throw new IllegalStateException("interrupted while waiting for the server", e);
    } catch (IOException e) {
      done = false;
    }
    if (!done) {
      sessionEndStatus();
    }
    long seq = (long) LONG_LE.getAcquire(sharedHeader, SharedRegion.H_SEQUENCE);
    if (seq != sequence + 1) {
      broken = true;
      throw new IllegalStateException("shared memory out of step: expected result " + (sequence + 1) + ", the region "
          + "holds " + seq + " (another process writing the region?)");
    }
    sequence = seq;
    finishShared(io);
  }

  private static final byte STEP = 1;
  private static final byte DONE = 1;

  /** The doorbell closed without answering: throws the status the session's stream ended with. */
  private void sessionEndStatus() {
    broken = true;
    Object o;
    try {
      o = responses.poll(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      o = null;
    }
    if (o instanceof Status s) {
      throw exception(s);
    }
    requests.cancel("doorbell closed", null);
    throw new IllegalStateException("the server closed this session's doorbell without a step result or a status");
  }

  /** The results are in the region: check the sequence number, copy them out unless {@code out} is the region. */
  private void readShared(StepResult r, StepBuffers out) {
    long seq = (long) LONG_LE.getAcquire(sharedHeader, SharedRegion.H_SEQUENCE);
    if (r.getSequence() != sequence + 1 || seq != r.getSequence()) {
      broken = true;
      throw new IllegalStateException("shared memory out of step: expected result " + (sequence + 1) + ", the server "
          + "answered " + r.getSequence() + " and the region holds " + seq + " (another process writing the region?)");
    }
    sequence = seq;
    finishShared(out);
  }

  private void finishShared(StepBuffers out) {
    if (out != shared) {
      out.copyResultsFrom(shared);
    }
    for (int i = 0; i < numEnvs; i++) {
      needsReset[i] = out.episodeEnded(i);
    }
  }

  private void read(StepResult r, StepBuffers out) {
    if (r.getRewardCount() != numEnvs || r.getObservations().getData().size() != out.observations().capacity()) {
      throw new IllegalStateException("server sent a result for " + r.getRewardCount() + " envs and "
          + r.getObservations().getData().size() + " observation bytes; expected " + numEnvs + " and "
          + out.observations().capacity());
    }
    ByteBuffer o = out.observations().duplicate();
    o.clear();
    r.getObservations().getData().copyTo(o);
    for (int i = 0; i < numEnvs; i++) {
      boolean term = r.getTerminated(i);
      boolean trunc = r.getTruncated(i);
      out.setResult(i, r.getReward(i), term, trunc);
      needsReset[i] = term || trunc;
    }
    for (int k = 0; k < r.getEndedEnvsCount(); k++) {
      out.setEpisode(r.getEndedEnvs(k), r.getEndedReturns(k), r.getEndedLengths(k));
    }
  }

  private SessionResponse call(SessionRequest req) {
    send(req);
    return answer();
  }

  /** Sends {@code req} after taking the responses of steps already completed through the region. */
  private void send(SessionRequest req) {
    requireOpen();
    takePending();
    requests.onNext(req);
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("remote vector env is closed");
    }
    if (broken) {
      throw new IllegalStateException("remote vector env's session has ended after an error");
    }
  }

  /** Takes the responses of steps whose results were seen in the region; each must name its step. */
  private void takePending() {
    while (pending > 0) {
      long seq = sequence - pending + 1;
      pending--;
      SessionResponse r = answer();
      if (r.getStep().getSequence() != seq) {
        broken = true;
        throw new IllegalStateException("shared memory out of step: the response of result " + seq + " names "
            + r.getStep().getSequence());
      }
    }
  }

  /** The next response; a status ending the session is thrown (see the class comment). */
  private SessionResponse answer() {
    return parse(answerRaw());
  }

  /** The next response's bytes; a status ending the session is thrown (see the class comment). */
  private Raw answerRaw() {
    Object o;
    try {
      o = awaitResponse();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      broken = true;
      requests.cancel("interrupted", e);
      throw new IllegalStateException("interrupted while waiting for the server", e);
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

  /** What a status that ended the session is thrown as (see the class comment). */
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

  private void checkBuffers(StepBuffers b) {
    if (b.numEnvs() != numEnvs || b.observationBytes() != observationSpace.byteSize()
        || b.actionBytes() != actionSpace.byteSize()) {
      throw new IllegalArgumentException("buffers are for " + b.numEnvs() + " envs of " + b.observationBytes()
          + "/" + b.actionBytes() + " observation/action bytes; this vector env has " + numEnvs + " envs of "
          + observationSpace.byteSize() + "/" + actionSpace.byteSize());
    }
  }

  /** Closes the session (the server frees its envs) and the channel if this env made it. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      if (!broken) {
        takePending();
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
      if (doorbell != null) {
        try {
          doorbell.close();
        } catch (IOException ignored) {
          // the server closes its end when the session ends
        }
      }
      if (ownsChannel) {
        channel.shutdownNow();
      }
    }
  }

  /** Options of a remote vector env; they mirror {@link dev.zeroshot.env.VectorEnv.Builder}'s. */
  public static final class Builder {
    private final String target;
    private final ManagedChannel channel;
    private final String envId;
    private int numEnvs = 1;
    private final Map<String, Double> context = new LinkedHashMap<>();
    private ContextSampler sampler;
    private boolean resampleOnReset;
    private List<String> visibleContext = List.of();
    private Integer maxEpisodeSteps;
    private int maxMessageBytes = 64 << 20;
    private boolean sharedMemory;
    private boolean doorbell = true;

    private Builder(String target, ManagedChannel channel, String envId) {
      this.target = target;
      this.channel = channel;
      this.envId = envId;
    }

    public Builder numEnvs(int n) {
      this.numEnvs = n;
      return this;
    }

    /** Context features changed from their defaults (checked by the server). */
    public Builder context(Map<String, Double> values) {
      this.context.putAll(values);
      return this;
    }

    /** The wire form of a context sampler (uniform over features, or a list). */
    public Builder contextSampler(ContextSampler sampler) {
      this.sampler = sampler;
      return this;
    }

    public Builder resampleOnReset(boolean resample) {
      this.resampleOnReset = resample;
      return this;
    }

    public Builder visibleContext(List<String> features) {
      this.visibleContext = List.copyOf(features);
      return this;
    }

    public Builder maxEpisodeSteps(int steps) {
      this.maxEpisodeSteps = steps;
      return this;
    }

    /** The largest message this client accepts (default 64 MiB). */
    public Builder maxMessageBytes(int bytes) {
      this.maxMessageBytes = bytes;
      return this;
    }

    /**
     * Asks for the shared-memory data plane (the server must be on this host): observations,
     * results and actions pass through a memory-mapped file rather than the messages. See
     * {@link RemoteVectorEnv#sharedBuffers()}. Default false (tensors in the messages).
     */
    public Builder sharedMemory(boolean shared) {
      this.sharedMemory = shared;
      return this;
    }

    /**
     * With shared memory: step through the session's doorbell socket (default true) rather than
     * with step messages; see docs/protocol.md, "The doorbell". Both give the same results.
     */
    public Builder doorbell(boolean use) {
      this.doorbell = use;
      return this;
    }

    /** Opens the session and makes the env; server-side refusals are thrown as in {@link RemoteVectorEnv}. */
    public RemoteVectorEnv build() {
      return new RemoteVectorEnv(this);
    }
  }}
