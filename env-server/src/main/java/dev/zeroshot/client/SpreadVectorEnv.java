package dev.zeroshot.client;

import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnvApi;
import dev.zeroshot.env.space.Space;
import dev.zeroshot.proto.v1.EnvServiceGrpc;
import dev.zeroshot.proto.v1.ListEnvsRequest;
import dev.zeroshot.proto.v1.ListEnvsResponse;
import dev.zeroshot.proto.v1.ResetRequest;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * One vector env of N envs made of K remote sessions on one channel, so that a learner steps
 * envs on several servers: envs 0..N-1 are cut into K contiguous slices (sizes differ by at most
 * one), each slice one {@link RemoteVectorEnv} session, and gRPC's round_robin places the
 * sessions on the target's servers in turn. Every reset and step sends to all K sessions before
 * it waits for any, so the servers work at the same time, and their results land in the
 * caller's {@link StepBuffers} at their slice's offsets.
 *
 * <p>Results are bit-identical to one in-process {@link dev.zeroshot.env.VectorEnv} of N envs
 * with the same options, seed and actions: slice k (first env o) is reset with seed + o, so env
 * i still gets seed + i and its own context stream; a round-robin context list is rotated by o
 * for the slice (see {@link RemoteVectorEnv.Builder#slice}). Errors as in
 * {@link RemoteVectorEnv}; an invalid action names its env's index in the whole and nothing is
 * sent. After a session fails the env is out of step and refuses further calls.
 *
 * <p>Messages only: shared memory is for one session on this host. Not thread-safe.
 */
public final class SpreadVectorEnv implements VectorEnvApi {

  /** How long opening waits for the channel to reach every server before it places sessions anyway. */
  private static final long CONNECT_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final ManagedChannel channel;
  private final boolean ownsChannel;
  private final List<RemoteVectorEnv> sessions;
  private final int[] offsets; // slice k is envs offsets[k] .. offsets[k + 1] - 1
  private final int numEnvs;
  private final Space actionSpace;
  private final boolean[] needsReset; // env i's last result ended its episode: its next action is ignored
  private StepBuffers viewsOf; // the caller's buffers that views were cut from
  private StepBuffers[] views;
  private boolean started;
  private boolean broken;

  private SpreadVectorEnv(ManagedChannel channel, boolean ownsChannel, List<RemoteVectorEnv> sessions, int[] offsets) {
    this.channel = channel;
    this.ownsChannel = ownsChannel;
    this.sessions = sessions;
    this.offsets = offsets;
    this.numEnvs = offsets[offsets.length - 1];
    this.actionSpace = sessions.get(0).singleActionSpace();
    this.needsReset = new boolean[numEnvs];
  }

  /** See {@link RemoteVectorEnv.Builder#buildSpread(int)}. */
  static SpreadVectorEnv open(RemoteVectorEnv.Builder options, int k) {
    int n = options.numEnvs();
    if (n < 1) {
      throw new IllegalArgumentException("numEnvs must be >= 1, got " + n);
    }
    if (k < 1 || k > n) {
      throw new IllegalArgumentException("sessions must be in 1.." + n + " for " + n + " envs (each session steps "
          + "one or more of them), got " + k);
    }
    if (options.sharedMemory()) {
      throw new IllegalArgumentException("a spread vector env steps through messages; shared memory is for one "
          + "session on this host: leave shared memory off, or build() one session");
    }
    boolean owns = options.channel() == null;
    ManagedChannel channel = owns ? RemoteVectorEnv.channel(options.target(), options.maxMessageBytes(), options.security())
        : options.channel();
    int[] offsets = new int[k + 1];
    for (int s = 0; s <= k; s++) {
      offsets[s] = (int) ((long) s * n / k);
    }
    List<RemoteVectorEnv> sessions = new ArrayList<>();
    try {
      if (owns) {
        awaitServers(channel, ServerTarget.parse(options.target()).servers());
      }
      for (int s = 0; s < k; s++) {
        sessions.add(options.slice(channel, offsets[s], offsets[s + 1] - offsets[s]).build());
      }
    } catch (RuntimeException e) {
      for (RemoteVectorEnv opened : sessions) {
        opened.close();
      }
      if (owns) {
        channel.shutdownNow();
      }
      throw e;
    }
    return new SpreadVectorEnv(channel, owns, sessions, offsets);
  }

  /**
   * Waits (up to {@link #CONNECT_NANOS}) until calls on the fresh channel have reached {@code
   * servers} different servers. round_robin picks among the servers it is connected to, and
   * connects to them all at once, so without this wait the first sessions of a fresh channel
   * may all land on the one that answered first. A server that stays unreachable costs the
   * wait, then the sessions go to the servers that are up.
   */
  private static void awaitServers(ManagedChannel channel, int servers) {
    if (servers < 2) {
      return;
    }
    Set<SocketAddress> reached = new HashSet<>();
    long deadline = System.nanoTime() + CONNECT_NANOS;
    while (reached.size() < servers && System.nanoTime() < deadline) {
      ClientCall<ListEnvsRequest, ListEnvsResponse> call =
          channel.newCall(EnvServiceGrpc.getListEnvsMethod(), CallOptions.DEFAULT);
      try {
        ClientCalls.blockingUnaryCall(call, ListEnvsRequest.getDefaultInstance());
      } catch (StatusRuntimeException e) {
        return; // no server answers: making the first session reports it
      }
      if (!reached.add(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR))) {
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** The number of sessions (slices). */
  public int sessions() {
    return sessions.size();
  }

  /** The server session {@code k} is on (see {@link RemoteVectorEnv#server()}). */
  public SocketAddress server(int k) {
    return sessions.get(k).server();
  }

  /** The first env of slice {@code k}; slice k ends where slice k + 1 starts. */
  public int offset(int k) {
    return offsets[k];
  }

  /** Where the envs are, for logs: "envs 0-3 on 10.200.0.12:50051 (session s1), ...". */
  public String placement() {
    List<String> parts = new ArrayList<>();
    for (int k = 0; k < sessions.size(); k++) {
      SocketAddress a = server(k);
      String where = a instanceof InetSocketAddress in ? in.getHostString() + ":" + in.getPort() : String.valueOf(a);
      parts.add("envs " + offsets[k] + "-" + (offsets[k + 1] - 1) + " on " + where + " (session "
          + sessions.get(k).sessionId() + ")");
    }
    return String.join(", ", parts);
  }

  @Override
  public int numEnvs() {
    return numEnvs;
  }

  @Override
  public Space singleObservationSpace() {
    return sessions.get(0).singleObservationSpace();
  }

  @Override
  public Space singleActionSpace() {
    return actionSpace;
  }

  @Override
  public int maxEpisodeSteps() {
    return sessions.get(0).maxEpisodeSteps();
  }

  /** Seeds env i with {@code seed + i}: slice k's session is reset with seed + its first env. */
  @Override
  public void reset(long seed, StepBuffers out) {
    reset(k -> ResetRequest.newBuilder().setSeed(seed + offsets[k]).build(), out);
  }

  @Override
  public void reset(StepBuffers out) {
    reset(k -> ResetRequest.getDefaultInstance(), out);
  }

  private void reset(IntFunction<ResetRequest> request, StepBuffers out) {
    StepBuffers[] v = views(out);
    run(() -> {
      for (int k = 0; k < v.length; k++) {
        sessions.get(k).sendReset(request.apply(k), v[k]);
      }
      for (int k = 0; k < v.length; k++) {
        sessions.get(k).receiveReset(v[k]);
      }
    });
    noteEndedEpisodes(out);
    started = true;
  }

  @Override
  public void step(StepBuffers io) {
    if (!started) {
      throw new IllegalStateException("step called before reset");
    }
    StepBuffers[] v = views(io);
    for (int i = 0; i < numEnvs; i++) { // all checked before anything is sent, with the env's index in the whole
      if (!needsReset[i]) {
        String problem = actionSpace.check(io.actions(), i * io.actionBytes());
        if (problem != null) {
          throw new IllegalArgumentException("action " + problem + " in env " + i);
        }
      }
    }
    run(() -> {
      for (int k = 0; k < v.length; k++) {
        sessions.get(k).sendStep(v[k]);
      }
      for (int k = 0; k < v.length; k++) {
        sessions.get(k).receiveStep(v[k]);
      }
    });
    noteEndedEpisodes(io);
  }

  /** Runs one round over the sessions; a failure leaves answers owed on other sessions, so the env is done. */
  private void run(Runnable round) {
    if (broken) {
      throw new IllegalStateException("spread vector env is out of step after a session failed; close it");
    }
    try {
      round.run();
    } catch (RuntimeException e) {
      broken = true;
      throw e;
    }
  }

  private void noteEndedEpisodes(StepBuffers results) {
    for (int i = 0; i < numEnvs; i++) {
      needsReset[i] = results.episodeEnded(i);
    }
  }

  /** Each slice's window on the caller's buffers (no copies), cut once per buffers object. */
  private StepBuffers[] views(StepBuffers b) {
    if (b == viewsOf) {
      return views;
    }
    int ob = singleObservationSpace().byteSize();
    int ab = actionSpace.byteSize();
    if (b.numEnvs() != numEnvs || b.observationBytes() != ob || b.actionBytes() != ab) {
      throw new IllegalArgumentException("buffers are for " + b.numEnvs() + " envs of " + b.observationBytes()
          + "/" + b.actionBytes() + " observation/action bytes; this vector env has " + numEnvs + " envs of "
          + ob + "/" + ab);
    }
    StepBuffers[] v = new StepBuffers[sessions.size()];
    for (int k = 0; k < v.length; k++) {
      int from = offsets[k];
      int n = offsets[k + 1] - from;
      v[k] = StepBuffers.wrap(n, ob, ab, b.observations().slice(from * ob, n * ob),
          b.actions().slice(from * ab, n * ab),
          b.results().slice(from * StepBuffers.RECORD_BYTES, n * StepBuffers.RECORD_BYTES));
    }
    viewsOf = b;
    views = v;
    return v;
  }

  /** Closes every session (each server frees its envs), then the channel if this env made it. */
  @Override
  public void close() {
    RuntimeException first = null;
    for (RemoteVectorEnv s : sessions) {
      try {
        s.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (ownsChannel) {
      channel.shutdownNow();
    }
    if (first != null) {
      throw first;
    }
  }
}
