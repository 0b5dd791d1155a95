package dev.zeroshot.client;

import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.proto.v1.ResetRequest;
import dev.zeroshot.proto.v1.SessionRequest;
import dev.zeroshot.proto.v1.SharedMemory;
import dev.zeroshot.proto.v1.StepRequest;
import dev.zeroshot.proto.v1.StepResult;
import dev.zeroshot.wire.SharedMemoryLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Shared memory over step messages: the server's region file is mapped here, the actions are
 * written into it and the observations and results read from it; a step is asked for with an
 * empty step message and is complete when the region's sequence number moves. Needs the server
 * on this host, in the same mount namespace.
 */
class SharedMemoryPlane implements DataPlane {

  private static final SessionRequest STEP =
      SessionRequest.newBuilder().setStep(StepRequest.getDefaultInstance()).build();

  final SessionStream stream;
  private final int numEnvs;
  private final String path;
  private final ByteBuffer region; // the whole mapping, for the header's sequence number
  private final StepBuffers shared; // the region as step buffers
  private long sequence; // the number of the last result taken

  /** Maps the server's region file and checks that it is this session's, with the expected layout. */
  SharedMemoryPlane(SessionStream stream, SharedMemory d, int numEnvs, int observationBytes, int actionBytes) {
    this.stream = stream;
    this.numEnvs = numEnvs;
    this.path = d.getPath();
    SharedMemoryLayout.checkDescription(d, observationBytes, actionBytes);
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
    if (!SharedMemoryLayout.headerMatches(map, d, numEnvs)) {
      throw new IllegalStateException("shared memory file " + d.getPath() + " is not this session's (magic, nonce or "
          + "num_envs differ): is this client on the server's host, in the same mount namespace?");
    }
    this.region = map.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    this.shared = StepBuffers.wrap(numEnvs, d.getObservationBytes(), d.getActionBytes(),
        map.slice((int) d.getObservationsOffset(), numEnvs * d.getObservationBytes()),
        map.slice((int) d.getActionsOffset(), numEnvs * d.getActionBytes()),
        map.slice((int) d.getResultsOffset(), numEnvs * d.getRecordBytes()));
  }

  /** Step buffers over the region itself (see {@link RemoteVectorEnv#sharedBuffers()}). */
  StepBuffers buffers() {
    return shared;
  }

  /** The server's region file. */
  String path() {
    return path;
  }

  @Override
  public void reset(ResetRequest request, StepBuffers out) {
    stream.send(SessionRequest.newBuilder().setReset(request).build());
    take(stream.answer().getReset(), out);
  }

  /**
   * A step asked for with a message. Completion is seen in the region (its sequence number,
   * written by the server after the results with release semantics), which spares the wait for
   * the response's delivery and a thread wake-up; the response is owed and taken before the next
   * request. The client spins on the number for up to 100 us, then keeps polling but yields the
   * core between polls (a longer step then runs on both cores without this thread stealing one);
   * an error ends the wait through the stream (the number never moves then).
   */
  @Override
  public void step(StepBuffers io) {
    putActions(io);
    stream.send(STEP);
    long want = sequence + 1;
    long spinUntil = System.nanoTime() + SessionStream.SPIN_NANOS;
    while (true) {
      if (SharedMemoryLayout.sequence(region) == want) {
        stream.owe(want);
        sequence = want;
        finish(io);
        return;
      }
      if (stream.hasResponse()) { // an error, or the response itself
        take(stream.answer().getStep(), io);
        return;
      }
      if (System.nanoTime() < spinUntil) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
  }

  /** Writes the actions into the region unless {@code io} is the region. */
  final void putActions(StepBuffers io) {
    if (io != shared) {
      shared.actions().put(0, io.actions(), 0, numEnvs * io.actionBytes());
    }
  }

  /** The server's answer names the result the region holds: check it, then read the result. */
  private void take(StepResult r, StepBuffers out) {
    long seq = SharedMemoryLayout.sequence(region);
    if (r.getSequence() != sequence + 1 || seq != r.getSequence()) {
      throw stream.broken("shared memory out of step: expected result " + (sequence + 1) + ", the server answered "
          + r.getSequence() + " and the region holds " + seq + " (another process writing the region?)", null);
    }
    sequence = seq;
    finish(out);
  }

  /** The server says the next result is in the region: check its number, then read it. */
  final void takeNext(StepBuffers out) {
    long seq = SharedMemoryLayout.sequence(region);
    if (seq != sequence + 1) {
      throw stream.broken("shared memory out of step: expected result " + (sequence + 1) + ", the region holds " + seq
          + " (another process writing the region?)", null);
    }
    sequence = seq;
    finish(out);
  }

  /** The results are in the region: copies them out unless {@code out} is the region. */
  private void finish(StepBuffers out) {
    if (out != shared) {
      out.copyResultsFrom(shared);
    }
  }
}
