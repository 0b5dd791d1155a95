package dev.zeroshot.server;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSampler;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Space;
import dev.zeroshot.env.vector.StepPool;
import dev.zeroshot.env.curriculum.Curricula;
import dev.zeroshot.env.curriculum.Curriculum;
import dev.zeroshot.env.curriculum.CurriculumSampler;
import dev.zeroshot.env.curriculum.Feedback;
import dev.zeroshot.env.curriculum.LevelSpace;
import dev.zeroshot.proto.v1.CloseResponse;
import dev.zeroshot.proto.v1.CurriculumInfo;
import dev.zeroshot.proto.v1.CurriculumSpec;
import dev.zeroshot.proto.v1.EpisodeScore;
import dev.zeroshot.proto.v1.LevelAssignment;
import dev.zeroshot.proto.v1.ReportScoresRequest;
import dev.zeroshot.proto.v1.ReportScoresResponse;
import dev.zeroshot.proto.v1.RequestRefused;
import dev.zeroshot.proto.v1.StepResult;
import dev.zeroshot.proto.v1.ContextValues;
import dev.zeroshot.proto.v1.MakeRequest;
import dev.zeroshot.proto.v1.MakeResponse;
import dev.zeroshot.proto.v1.ResetRequest;
import dev.zeroshot.proto.v1.SessionRequest;
import dev.zeroshot.proto.v1.SessionResponse;
import dev.zeroshot.proto.v1.StepRequest;
import dev.zeroshot.proto.v1.Tensor;
import dev.zeroshot.wire.DoorbellProtocol;
import dev.zeroshot.wire.Protos;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Session stream: at most one vector env, made, reset and stepped in lock-step. Every
 * entry point is synchronized (requests, cancellation and the idle reaper come from different
 * threads); once ended, the session has freed its env and ignores everything.
 */
final class Session {

  private static final Logger log = LoggerFactory.getLogger(Session.class);

  /** Bytes a step result needs beyond the observations: per env reward and flags, plus framing. */
  private static final int RESULT_BYTES_PER_ENV = 40;
  private static final int RESULT_OVERHEAD = 1024;

  private final EnvService owner;
  private final String id;
  private final ServerCallStreamObserver<Object> out; // SessionResponse or StepResultEncoder.Message
  private final EnvRegistry registry;
  private final ServerLimits limits;
  private final StepPool pool;
  private final SocketAddress peer;
  private final long openedAt = System.nanoTime();
  private volatile long lastActivity = openedAt;
  private volatile boolean made; // set once the env exists; until then the make timeout applies

  private VectorEnv env;
  private DataPlane plane; // how actions and results travel; made with the env
  private StepBuffers buf; // the plane's buffers
  private int numEnvs;
  private long memoryBytes; // the MemoryEstimate counted for this session's envs
  private boolean started;
  private boolean ended;
  private long steps;
  private DType actionDType;
  private List<Long> actionShape;
  private Space actionSpace;
  private boolean awaitingReady; // a request is held back until gRPC can take its reply
  private CurriculumSampler curriculum; // null unless made with one
  private Curriculum.Pick[] levelsSent; // the pick last sent for each env

  Session(EnvService owner, String id, ServerCallStreamObserver<Object> out, EnvRegistry registry,
      ServerLimits limits, StepPool pool, SocketAddress peer) {
    this.peer = peer;
    this.owner = owner;
    this.id = id;
    this.out = out;
    this.registry = registry;
    this.limits = limits;
    this.pool = pool;
  }

  String id() {
    return id;
  }

  long lastActivityNanos() {
    return lastActivity;
  }

  long openedAtNanos() {
    return openedAt;
  }

  boolean made() {
    return made;
  }

  /**
   * Asks gRPC for the client's next request, at once if the stream can take another reply now,
   * else when it can ({@link #ready()}). This is the session's back-pressure: it handles one
   * request at a time and never runs ahead of a client that does not read its replies. A reply
   * waits in gRPC's outbound buffer only until that holds 32 KiB (gRPC's ready threshold) beyond
   * what the client's HTTP/2 flow-control window admits, so the session steps at most about
   * (window + 32 KiB) / reply size + 1 times past what the client has read (docs/protocol.md,
   * "Back-pressure"); the requests it has not asked for wait in the transport, within the server's
   * own flow-control window, and then in the client.
   */
  synchronized void requestNext() {
    if (ended) {
      return;
    }
    if (out.isReady()) {
      out.request(1);
    } else {
      awaitingReady = true;
    }
  }

  /** gRPC's onReady: the stream can take replies again; the request held back may come. */
  synchronized void ready() {
    if (awaitingReady && !ended && out.isReady()) {
      awaitingReady = false;
      out.request(1);
    }
  }

  synchronized void handle(SessionRequest req) {
    if (ended) {
      return;
    }
    lastActivity = System.nanoTime();
    try {
      switch (req.getRequestCase()) {
        case MAKE:
          make(req.getMake());
          break;
        case RESET:
          reset(req.getReset());
          break;
        case STEP:
          step(req.getStep());
          break;
        case CLOSE:
          close();
          break;
        case REPORT_SCORES:
          reportScores(req.getReportScores());
          break;
        default:
          throw new IllegalArgumentException("empty SessionRequest: set one of make, reset, step, close, report_scores");
      }
    } catch (RuntimeException | Error e) {
      fail(statusFor(e));
    }
  }

  /**
   * The status that ends this session for {@code e}. Errors end it too (and free everything):
   * an OutOfMemoryError is RESOURCE_EXHAUSTED, and the fault the JVM raises when a client has
   * truncated its shared-memory file is DATA_LOSS; that client's session is the only one it costs.
   */
  private Status statusFor(Throwable e) {
    if (e instanceof OutOfMemoryError) {
      log.error("session {}: out of memory", id, e);
      return Status.RESOURCE_EXHAUSTED.withDescription("the server ran out of memory serving this session ("
          + e.getMessage() + "); the session ended and its envs were freed: use fewer or smaller envs, or retry later");
    }
    if (e instanceof Error && plane instanceof SharedMemoryPlane shared) {
      String truncated = shared.truncation();
      if (truncated != null) {
        log.warn("session {}: {} ({})", id, truncated, e.toString());
        return Status.DATA_LOSS.withDescription(truncated);
      }
    }
    return EnvService.toStatus(e, "session " + id).getStatus();
  }

  private void make(MakeRequest m) {
    if (env != null) {
      throw new IllegalStateException("this session already has a vector env (" + env.spec().id() + " x " + numEnvs
          + "); open another Session stream for another env");
    }
    int n = m.getNumEnvs();
    if (n < 1) {
      throw new IllegalArgumentException("num_envs must be >= 1, got " + n);
    }
    if (n > limits.maxEnvsPerSession()) {
      throw new IllegalArgumentException("num_envs " + n + " is above this server's limit of "
          + limits.maxEnvsPerSession() + " envs per session (--max-envs-per-session)");
    }
    if (m.getEnvId().isEmpty()) {
      throw new IllegalArgumentException("env_id is empty; registered: " + ids());
    }
    EnvSpec spec = registry.spec(m.getEnvId());
    Context base = spec.contextSpace().with(m.getContextMap());
    VectorEnv.Builder b = VectorEnv.builder(spec).numEnvs(n)
        .visibleContext(Protos.features(spec.contextSpace(), m.getVisibleContextList()))
        .resampleOnReset(m.getResampleOnReset());
    if (pool != null) {
      b.pool(pool);
    } else {
      b.threads(1); // inline on this transport thread
    }
    if (m.hasMaxEpisodeSteps()) {
      b.maxEpisodeSteps(m.getMaxEpisodeSteps());
    }
    if (m.hasCurriculum()) {
      if (m.getSampler().getKindCase() != dev.zeroshot.proto.v1.ContextSampler.KindCase.KIND_NOT_SET) {
        throw new IllegalArgumentException("make has both a sampler and a curriculum: the curriculum chooses every "
            + "context, leave sampler unset");
      }
      if (m.getSharedMemory()) {
        throw new IllegalArgumentException("a curriculum session's levels travel in the step messages: leave "
            + "shared_memory unset");
      }
      CurriculumSampler c = curriculum(m.getCurriculum(), base, n);
      if (c == null) {
        return; // refused; the session is still unmade
      }
      curriculum = c;
      levelsSent = new Curriculum.Pick[n];
      b.contextSampler(c).resampleOnReset(true);
    } else {
      switch (m.getSampler().getKindCase()) {
        case UNIFORM:
          b.contextSampler(ContextSampler.uniform(base, m.getSampler().getUniform().getFeaturesList()));
          break;
        case LIST: {
          List<Context> list = new ArrayList<>();
          for (ContextValues v : m.getSampler().getList().getContextsList()) {
            list.add(spec.contextSpace().with(v.getValuesMap()));
          }
          b.contextSampler(ContextSampler.list(list, !m.getSampler().getList().getRandom()));
          break;
        }
        default:
          b.context(base);
      }
    }
    // Sizes are checked before any env exists.
    dev.zeroshot.env.Env probe = spec.make(base, m.getVisibleContextList());
    long resultBytes = (long) n * (probe.observationSpace().byteSize() + RESULT_BYTES_PER_ENV) + RESULT_OVERHEAD;
    long actionBytes = (long) n * probe.actionSpace().byteSize() + RESULT_OVERHEAD;
    if (resultBytes > limits.maxMessageBytes() || actionBytes > limits.maxMessageBytes()) {
      throw new IllegalArgumentException("num_envs " + n + " of " + spec.id() + " needs step messages of about "
          + Math.max(resultBytes, actionBytes) + " bytes, above this server's max message size of "
          + limits.maxMessageBytes() + " bytes (--max-message-bytes); use fewer envs per session");
    }
    if (m.getSharedMemory() && !SharedRegion.isLocal(peer)) {
      throw new IllegalStateException("shared_memory needs a client on the server's host (a loopback peer); this "
          + "client is " + peer + ": leave shared_memory unset to get tensors in the messages");
    }
    // refused here, before any env exists, when the server's env or memory budget is spent
    long estimate = MemoryEstimate.bytes(n, probe.observationSpace().byteSize(), probe.actionSpace().byteSize());
    owner.reserveEnvs(n);
    try {
      owner.reserveMemory(estimate, n, spec.id(), probe.observationSpace().byteSize());
    } catch (RuntimeException e) {
      owner.releaseEnvs(n);
      throw e;
    }
    try {
      env = b.build();
      plane = m.getSharedMemory() ? sharedPlane(n) : new MessagePlane(id, out, env, curriculum == null ? null : this::addLevels);
    } catch (RuntimeException | Error e) {
      owner.releaseEnvs(n); // free() counts numEnvs and memoryBytes only once the envs are made
      owner.releaseMemory(estimate);
      throw e;
    }
    numEnvs = n;
    memoryBytes = estimate;
    made = true;
    buf = plane.buffers();
    actionSpace = env.singleActionSpace();
    actionDType = Protos.elementDType(actionSpace);
    actionShape = Protos.batchShape(n, actionSpace);
    log.info("session made id={} env={} numEnvs={} context={} sampler={} sharedMemory={}", id, spec.id(), n, base,
        m.getSampler().getKindCase(), plane instanceof SharedMemoryPlane shared ? shared.path() : "no");
    MakeResponse.Builder made = MakeResponse.newBuilder()
        .setSpec(Protos.spec(spec, env.singleObservationSpace(), actionSpace, base, env.maxEpisodeSteps()))
        .setNumEnvs(n).setSessionId(id);
    plane.describe(made);
    if (curriculum != null) {
      Curriculum c = curriculum.curriculum();
      made.setCurriculum(CurriculumInfo.newBuilder().setName(c.name()).setScore(c.scoreFunction().key())
          .putAllSettings(c.settings()).setLevels(c.space().toString()));
    }
    send(SessionResponse.newBuilder().setMake(made).build());
  }

  /**
   * The curriculum a Make asks for, over {@code base}'s levels; null, with the make refused
   * (the session goes on unmade), when its name, options or features are wrong.
   */
  private CurriculumSampler curriculum(CurriculumSpec spec, Context base, int n) {
    try {
      String options = spec.getOptionsMap().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
          .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(","));
      for (String key : spec.getOptionsMap().keySet()) {
        if (key.contains(",") || key.contains("=") || spec.getOptionsMap().get(key).contains(",")) {
          throw new IllegalArgumentException("curriculum option '" + key + "' must be a plain name with a value "
              + "without commas");
        }
      }
      LevelSpace levels = LevelSpace.of(base, spec.getFeatures());
      return new CurriculumSampler(Curricula.create(spec.getName(), options, levels, spec.getSeed()), n);
    } catch (IllegalArgumentException e) {
      refuse("make: curriculum: " + e.getMessage());
      return null;
    }
  }

  /** Adds the envs that start a new level with this result, and their levels. */
  private void addLevels(StepResult.Builder r) {
    for (int i = 0; i < numEnvs; i++) {
      Curriculum.Pick p = curriculum.playing(i);
      if (p != levelsSent[i]) {
        levelsSent[i] = p;
        r.addLevels(LevelAssignment.newBuilder().setEnv(i).setLevelId(p.levelId()).putAllContext(p.level().toMap())
            .setReplay(p.replay()).setTrain(p.train()).setBestReturn(curriculum.bestReturn(p.levelId())));
      }
    }
  }

  /**
   * Finished episodes' feedback: all checked for finite numbers first, then applied in order; a bad
   * one is refused with INVALID_ARGUMENT (saying how many before it were applied) and the session
   * goes on.
   */
  private void reportScores(ReportScoresRequest r) {
    if (curriculum == null) {
      refuse("report_scores: this session was made without a curriculum (MakeRequest.curriculum)");
      return;
    }
    List<Feedback> feedback = new ArrayList<>();
    for (int k = 0; k < r.getEpisodesCount(); k++) {
      EpisodeScore e = r.getEpisodes(k);
      try {
        feedback.add(new Feedback(e.getScore(), e.getSuccess(), e.getEpisodeReturn(), e.getLength()));
      } catch (IllegalArgumentException bad) {
        refuse("report_scores: episodes[" + k + "] (level " + e.getLevelId() + "): " + bad.getMessage()
            + "; nothing was applied");
        return;
      }
    }
    for (int k = 0; k < feedback.size(); k++) {
      try {
        curriculum.report(r.getEpisodes(k).getLevelId(), feedback.get(k));
      } catch (IllegalArgumentException bad) {
        refuse("report_scores: episodes[" + k + "]: " + bad.getMessage() + "; the " + k + " before it were applied");
        return;
      }
    }
    send(SessionResponse.newBuilder().setReportScores(ReportScoresResponse.newBuilder().setAccepted(feedback.size()))
        .build());
  }

  /** Answers the request with INVALID_ARGUMENT without ending the session. */
  private void refuse(String message) {
    log.info("session {}: refused: {}", id, message);
    send(SessionResponse.newBuilder().setRefused(RequestRefused.newBuilder()
        .setCode(Status.Code.INVALID_ARGUMENT.value()).setMessage(message)).build());
  }

  /**
   * The shared-memory plane for the env just made: its region file, and a doorbell socket beside
   * it when one can be made (without, steps go over the stream).
   */
  private SharedMemoryPlane sharedPlane(int n) {
    SharedRegion region;
    try {
      region = SharedRegion.create(id, n, env.singleObservationSpace().byteSize(), env.singleActionSpace().byteSize());
    } catch (IOException | RuntimeException e) {
      env.close();
      env = null;
      throw new IllegalStateException("shared_memory: the server could not create its region file in "
          + SharedRegion.directory() + " (" + e + "); leave shared_memory unset to get tensors in the messages");
    }
    try {
      Doorbell doorbell = Doorbell.open(Path.of(region.path() + ".sock"), region.description().getNonce(), id,
          this::ring, owner.doorbellSpinPermits());
      return new DoorbellPlane(region, out, doorbell);
    } catch (IOException | RuntimeException e) {
      log.info("session {}: no doorbell socket ({}); shared-memory steps go over the stream", id, e.toString());
      return new SharedMemoryPlane(region, out);
    }
  }

  private String ids() {
    List<String> ids = new ArrayList<>();
    for (EnvSpec s : registry.specs()) {
      ids.add(s.id());
    }
    return String.join(", ", ids);
  }

  private void requireEnv(String what) {
    if (env == null) {
      throw new IllegalStateException(what + " before make: send a MakeRequest first");
    }
  }

  private void reset(ResetRequest r) {
    requireEnv("reset");
    plane.requireIntact();
    if (r.hasSeed()) {
      env.reset(r.getSeed(), buf);
    } else {
      env.reset(buf);
    }
    started = true;
    plane.sendResult(SessionResponse.RESET_FIELD_NUMBER);
  }

  private void step(StepRequest s) {
    stepEnvs(s);
    plane.sendResult(SessionResponse.STEP_FIELD_NUMBER);
  }

  /**
   * A byte from the doorbell of a {@link DoorbellPlane}: {@link DoorbellProtocol#STEP} steps like
   * a step message with the actions in the region, and the answer is the region's sequence number
   * alone. Returns false if the session has ended, or failed on this byte (its stream then
   * carries the status, as for a step message).
   */
  synchronized boolean ring(int request) {
    if (ended) {
      return false;
    }
    lastActivity = System.nanoTime();
    try {
      if (request != DoorbellProtocol.STEP) {
        throw new IllegalArgumentException("doorbell byte " + (request & 0xff) + " is not a request: the only one is "
            + DoorbellProtocol.STEP + " (step)");
      }
      stepEnvs(StepRequest.getDefaultInstance());
      ((SharedMemoryPlane) plane).publish(); // only a DoorbellPlane's doorbell calls this
      return true;
    } catch (RuntimeException | Error e) {
      fail(statusFor(e));
      return false;
    }
  }

  private void stepEnvs(StepRequest s) {
    requireEnv("step");
    if (!started) {
      throw new IllegalStateException("step called before reset");
    }
    plane.requireIntact();
    if (s.hasActions()) {
      readActions(s.getActions());
    } else {
      plane.takeActions();
    }
    env.step(buf);
    steps += numEnvs;
    owner.stepped(numEnvs);
  }

  private void readActions(Tensor t) {
    DType dt;
    try {
      dt = Protos.dtype(t.getDtype());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("actions " + e.getMessage());
    }
    if (dt != actionDType) {
      throw new IllegalArgumentException("actions dtype " + dt.numpyName() + " does not match the action space "
          + actionSpace + ", which needs " + actionDType.numpyName());
    }
    if (!t.getShapeList().equals(actionShape)) {
      throw new IllegalArgumentException("actions shape " + t.getShapeList() + " does not match " + actionShape
          + " (num_envs " + numEnvs + " x one action of " + actionSpace + ")");
    }
    int expected = numEnvs * buf.actionBytes();
    if (t.getData().size() != expected) {
      throw new IllegalArgumentException("actions data has " + t.getData().size() + " bytes; shape " + actionShape
          + " of " + dt.numpyName() + " needs " + expected);
    }
    ByteBuffer a = buf.actions().duplicate();
    a.clear();
    t.getData().copyTo(a);
  }

  private void close() {
    send(SessionResponse.newBuilder().setClose(CloseResponse.newBuilder().setSteps(steps)).build());
    complete("closed by client");
  }

  private void send(SessionResponse r) {
    out.onNext(r);
  }

  /** The client half-closed without a CloseRequest: finish the stream and free. */
  synchronized void clientHalfClosed() {
    if (!ended) {
      complete("client ended the stream");
    }
  }

  private void complete(String reason) {
    free(reason);
    try {
      out.onCompleted();
    } catch (RuntimeException e) {
      log.debug("session {}: completing the stream failed: {}", id, e.toString());
    }
  }

  /** Ends the stream with {@code status} and frees everything. */
  synchronized void fail(Status status) {
    if (ended) {
      return;
    }
    log.warn("session error id={} code={} message=\"{}\"", id, status.getCode(), status.getDescription());
    free("error " + status.getCode());
    try {
      out.onError(status.asRuntimeException());
    } catch (RuntimeException e) {
      log.debug("session {}: sending the error failed: {}", id, e.toString());
    }
  }

  /** The stream ended from the client side or the transport (cancel, crash, deadline): free. */
  synchronized void end(String reason) {
    free(reason);
  }

  private void free(String reason) {
    if (ended) {
      return;
    }
    ended = true;
    int envs = env == null ? 0 : numEnvs;
    // Each part is freed even if one before it fails: the session must stop being counted.
    try {
      if (env != null) {
        env.close();
      }
    } catch (RuntimeException | Error e) {
      log.warn("session {}: closing its env failed: {}", id, e.toString());
    }
    env = null;
    buf = null;
    try {
      if (plane != null) {
        plane.close(); // no step runs now (every entry point holds this lock)
      }
    } catch (RuntimeException | Error e) {
      log.warn("session {}: closing its data plane failed: {}", id, e.toString());
    }
    plane = null;
    log.info("session ended id={} reason=\"{}\" steps={}", id, reason, steps);
    owner.sessionEnded(id, envs, memoryBytes); // both 0 unless the make succeeded
  }
}
