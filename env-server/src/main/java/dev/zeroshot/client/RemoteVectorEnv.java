package dev.zeroshot.client;

import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnvApi;
import dev.zeroshot.env.curriculum.CurriculumLink;
import dev.zeroshot.env.space.Space;
import dev.zeroshot.proto.v1.ContextSampler;
import dev.zeroshot.proto.v1.ContextValues;
import dev.zeroshot.proto.v1.CurriculumSpec;
import dev.zeroshot.proto.v1.EnvSpec;
import dev.zeroshot.proto.v1.MakeRequest;
import dev.zeroshot.proto.v1.MakeResponse;
import dev.zeroshot.proto.v1.ResetRequest;
import dev.zeroshot.proto.v1.SessionRequest;
import dev.zeroshot.proto.v1.SessionResponse;
import dev.zeroshot.wire.Protos;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * <p>This class is the session's life (make, checks, close); how actions and results travel is
 * its {@link DataPlane}'s business: messages, shared memory, or shared memory with the doorbell.
 *
 * <p>Not thread-safe, like the in-process env: one agent thread drives it.
 */
public final class RemoteVectorEnv implements VectorEnvApi, CurriculumLink.Provider {

  private final ManagedChannel channel;
  private final boolean ownsChannel;
  private final SessionStream stream;
  private final DataPlane plane;
  private final EnvSpec spec;
  private final int numEnvs;
  private final String sessionId;
  private final Space observationSpace;
  private final Space actionSpace;
  private final boolean[] needsReset; // env i's last result ended its episode: its next action is ignored
  private boolean started;
  private final ServerCurriculum curriculum; // null unless made with one

  private RemoteVectorEnv(Builder b, boolean sharedMemory) {
    if (sharedMemory && b.target != null && ServerTarget.parse(b.target).several()) {
      throw new IllegalArgumentException("shared memory needs one server on this host; '" + b.target + "' names "
          + "several servers and the session may land on any of them: give one HOST:PORT, or leave shared memory off");
    }
    this.ownsChannel = b.channel == null;
    this.channel = ownsChannel ? channel(b.target, b.maxMessageBytes, b.security) : b.channel;
    this.stream = new SessionStream(channel);
    try {
      MakeRequest.Builder make = MakeRequest.newBuilder().setEnvId(b.envId).setNumEnvs(b.numEnvs)
          .putAllContext(b.context).addAllVisibleContext(b.visibleContext).setResampleOnReset(b.resampleOnReset);
      if (b.sampler != null) {
        make.setSampler(b.sampler);
      }
      if (b.maxEpisodeSteps != null) {
        make.setMaxEpisodeSteps(b.maxEpisodeSteps);
      }
      if (b.curriculum != null) {
        make.setCurriculum(b.curriculum);
      }
      make.setSharedMemory(sharedMemory);
      MakeResponse made;
      try {
        SessionResponse answer = stream.call(SessionRequest.newBuilder().setMake(make).build());
        if (answer.hasRefused()) {
          throw new IllegalArgumentException(answer.getRefused().getMessage());
        }
        made = answer.getMake();
      } catch (IllegalStateException e) { // FAILED_PRECONDITION: the server refuses this client shared memory
        if (sharedMemory && String.valueOf(e.getMessage()).startsWith("shared_memory")) {
          throw new SharedMemoryUnavailable(e.getMessage(), e);
        }
        throw e;
      }
      this.spec = made.getSpec();
      this.numEnvs = made.getNumEnvs();
      this.sessionId = made.getSessionId();
      this.observationSpace = Protos.space(spec.getObservationSpace());
      this.actionSpace = Protos.space(spec.getActionSpace());
      this.needsReset = new boolean[numEnvs];
      this.curriculum = made.hasCurriculum() ? new ServerCurriculum(stream, spec, numEnvs, made.getCurriculum()) : null;
      this.plane = plane(b, sharedMemory, made);
    } catch (RuntimeException e) {
      stream.cancel("make failed", e);
      if (ownsChannel) {
        channel.shutdownNow();
      }
      throw e;
    }
  }

  /** The data plane the builder asked for and the server granted. */
  private DataPlane plane(Builder b, boolean sharedMemory, MakeResponse made) {
    if (!sharedMemory) {
      return new MessagePlane(stream, numEnvs, actionSpace, curriculum == null ? null : curriculum::read);
    }
    if (!made.hasSharedMemory()) {
      throw new SharedMemoryUnavailable("the server did not grant shared memory (an older server?)", null);
    }
    int observationBytes = observationSpace.byteSize();
    int actionBytes = actionSpace.byteSize();
    try {
      return b.doorbell ? DoorbellPlane.connect(stream, made.getSharedMemory(), numEnvs, observationBytes, actionBytes)
          : new SharedMemoryPlane(stream, made.getSharedMemory(), numEnvs, observationBytes, actionBytes);
    } catch (IllegalStateException e) { // the region file cannot be mapped here (another host, namespace or user)
      throw new SharedMemoryUnavailable(e.getMessage(), e);
    }
  }

  /** Shared memory was asked for and cannot be had; the default path then falls back to messages. */
  static final class SharedMemoryUnavailable extends IllegalStateException {
    SharedMemoryUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Which path steps take: "shared memory + doorbell", "shared memory" or "messages". */
  public String dataPlane() {
    if (plane instanceof DoorbellPlane) {
      return "shared memory + doorbell";
    }
    return plane instanceof SharedMemoryPlane ? "shared memory" : "messages";
  }

  /** Whether steps go through the session's doorbell rather than step messages (shared memory only). */
  public boolean usesDoorbell() {
    return plane instanceof DoorbellPlane;
  }

  /**
   * With {@link Builder#sharedMemory(boolean)}: step buffers over the shared-memory region
   * itself. Stepping with them copies nothing (the server's envs write observations and results
   * into them, and read the actions written there); other buffers work too, at the cost of one
   * copy each way. Valid until {@link #close()}; null without shared memory.
   */
  public StepBuffers sharedBuffers() {
    return plane instanceof SharedMemoryPlane shared ? shared.buffers() : null;
  }

  /** The server's shared-memory file of this session, or null without shared memory. */
  public String sharedMemoryPath() {
    return plane instanceof SharedMemoryPlane shared ? shared.path() : null;
  }

  /**
   * A channel to the server or servers at {@code target} (see {@link ServerTarget}), tuned for
   * lock-step stepping. Sessions opened on one channel to several servers take them in turn.
   *
   * @throws IllegalArgumentException if {@code target} is not one of {@link ServerTarget}'s forms
   */
  public static ManagedChannel channel(String target, int maxMessageBytes) {
    return channel(target, maxMessageBytes, ClientSecurity.NONE);
  }

  /** The same, with TLS and/or a bearer token as {@code security} says. */
  public static ManagedChannel channel(String target, int maxMessageBytes, ClientSecurity security) {
    return ServerTarget.parse(target).channel(maxMessageBytes, security);
  }

  /**
   * Starts building a remote vector env of {@code envId} on the server at {@code target}:
   * "HOST:PORT", or several servers ("HOST1:PORT1,HOST2:PORT2", "dns:///NAME:PORT"; see
   * {@link ServerTarget}), of which gRPC's round_robin picks one for this env's session.
   */
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
    plane.reset(req, out);
    noteEndedEpisodes(out);
    started = true;
  }

  @Override
  public void step(StepBuffers io) {
    checkStep(io);
    plane.step(io);
    noteEndedEpisodes(io);
  }

  private void checkStep(StepBuffers io) {
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
  }

  // Reset and step in halves (send, then receive), for SpreadVectorEnv: it sends to all its
  // sessions before it waits for any, so that their servers step at the same time.

  void sendReset(ResetRequest req, StepBuffers out) {
    checkBuffers(out);
    messagePlane().sendReset(req);
  }

  void receiveReset(StepBuffers out) {
    messagePlane().receiveReset(out);
    noteEndedEpisodes(out);
    started = true;
  }

  void sendStep(StepBuffers io) {
    checkStep(io);
    messagePlane().sendStep(io);
  }

  void receiveStep(StepBuffers io) {
    messagePlane().receiveStep(io);
    noteEndedEpisodes(io);
  }

  private MessagePlane messagePlane() {
    if (plane instanceof MessagePlane m) {
      return m;
    }
    throw new IllegalStateException("only a session without shared memory steps in halves");
  }

  /** The session's curriculum on the server (which level each env plays, score reports), or null. */
  public ServerCurriculum curriculum() {
    return curriculum;
  }

  @Override
  public CurriculumLink curriculumLink() {
    return curriculum;
  }

  /**
   * The address of the server this session is on: with several servers, the one gRPC's
   * round_robin picked. Null if the transport does not say.
   */
  public SocketAddress server() {
    return stream.server();
  }

  /** Next-step autoreset: the action after an episode's end is ignored, so it is not checked. */
  private void noteEndedEpisodes(StepBuffers results) {
    for (int i = 0; i < numEnvs; i++) {
      needsReset[i] = results.episodeEnded(i);
    }
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
    try {
      stream.close();
    } finally {
      plane.close();
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
    private Boolean sharedMemory; // null: shared memory when the server is on this host, else messages
    private boolean doorbell = true;
    private ClientSecurity security = ClientSecurity.NONE;
    private CurriculumSpec curriculum;

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

    /**
     * A curriculum on the server chooses every episode's level ({@code dr}, {@code plr},
     * {@code robust-plr}, {@code accel}, {@code sfl}), with these settings on top of its preset,
     * varying these features ({@code "length=0.1:2.0"}; Procgen seeds come from the context's
     * level range). Bad settings are thrown at build, as {@link IllegalArgumentException}.
     * The session then uses the messages unless {@link #sharedMemory(boolean)} insists (refused).
     */
    public Builder curriculum(String name, Map<String, String> options, String features, long seed) {
      this.curriculum = CurriculumSpec.newBuilder().setName(name).putAllOptions(options)
          .setFeatures(features == null ? "" : features).setSeed(seed).build();
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
     * true insists on the shared-memory data plane (the server must be on this host):
     * observations, results and actions pass through a memory-mapped file rather than the
     * messages; see {@link RemoteVectorEnv#sharedBuffers()}. false keeps tensors in the messages.
     * Unset (the default): shared memory when the target is one server at a loopback address and
     * this builder makes the channel, falling back to messages, silently, when the server refuses
     * it or its file cannot be mapped here; {@link RemoteVectorEnv#dataPlane()} says which.
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

    /** TLS and/or a bearer token for the channel this builder makes (default: plaintext, no token). */
    public Builder security(ClientSecurity security) {
      this.security = security;
      return this;
    }

    /**
     * Opens {@code sessions} sessions of these options on one channel, with the envs split
     * among them: see {@link SpreadVectorEnv}. With one session it is {@link #build()} in a
     * wrapper; the gain is with several servers ("HOST1:PORT1,HOST2:PORT2"), which round_robin
     * then spreads the sessions over.
     *
     * @throws IllegalArgumentException if {@code sessions} is not in 1..numEnvs, or with shared memory
     */
    public SpreadVectorEnv buildSpread(int sessions) {
      return SpreadVectorEnv.open(this, sessions);
    }

    String target() {
      return target;
    }

    ManagedChannel channel() {
      return channel;
    }

    int numEnvs() {
      return numEnvs;
    }

    /** Whether shared memory was asked for explicitly. */
    boolean sharedMemory() {
      return Boolean.TRUE.equals(sharedMemory);
    }

    int maxMessageBytes() {
      return maxMessageBytes;
    }

    ClientSecurity security() {
      return security;
    }

    /**
     * These options for the envs {@code offset .. offset + n - 1} of the whole, in a session on
     * {@code channel}. A round-robin context list gives env i at its k-th reset entry (i + k) mod
     * size; a session numbers its envs from 0, so the slice's list is rotated by {@code offset}
     * to keep each env's entries. Random lists and uniform draws need nothing: they come from
     * env i's own stream, seeded with seed + i (the slice is reset with seed + offset).
     */
    Builder slice(ManagedChannel on, int offset, int n) {
      Builder b = new Builder(null, on, envId);
      b.numEnvs = n;
      b.context.putAll(context);
      b.sampler = sampler;
      if (sampler != null && sampler.hasList() && !sampler.getList().getRandom() && sampler.getList().getContextsCount() > 0
          && offset != 0) {
        List<ContextValues> list = sampler.getList().getContextsList();
        int shift = offset % list.size();
        List<ContextValues> rotated = new ArrayList<>(list.subList(shift, list.size()));
        rotated.addAll(list.subList(0, shift));
        b.sampler = sampler.toBuilder().setList(sampler.getList().toBuilder().clearContexts().addAllContexts(rotated))
            .build();
      }
      b.resampleOnReset = resampleOnReset;
      b.visibleContext = visibleContext;
      b.maxEpisodeSteps = maxEpisodeSteps;
      b.maxMessageBytes = maxMessageBytes;
      return b;
    }

    /** Opens the session and makes the env; server-side refusals are thrown as in {@link RemoteVectorEnv}. */
    public RemoteVectorEnv build() {
      if (sharedMemory != null) {
        return new RemoteVectorEnv(this, sharedMemory);
      }
      // a curriculum session's levels travel in the step messages: it takes them up front
      if (curriculum != null || channel != null || !ServerTarget.parse(target).onLoopback()) {
        return new RemoteVectorEnv(this, false);
      }
      try {
        return new RemoteVectorEnv(this, true);
      } catch (SharedMemoryUnavailable e) {
        return new RemoteVectorEnv(this, false);
      }
    }
  }}
