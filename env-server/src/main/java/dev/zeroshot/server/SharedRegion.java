package dev.zeroshot.server;

import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.proto.v1.SharedMemory;
import dev.zeroshot.wire.SharedMemoryLayout;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shared-memory session's region on the server: one memory-mapped file holding a header, the
 * observations, the actions and the per-env result records of a vector env (layout in
 * {@link SharedMemoryLayout} and docs/protocol.md, "Shared memory"). The server's envs write their observations and results
 * straight into it; the client writes actions into it. The file is deleted and unmapped by
 * {@link #close()}, which the session calls when it ends, however it ends; files left by a
 * server that died (SIGKILL) are deleted by the next server's {@link #deleteStale()}.
 */
public final class SharedRegion implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SharedRegion.class);

  static final String PREFIX = "zeroshot-shm-";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path path;
  private final FileChannel file; // kept open to see its size: a truncated file must not be touched
  private final MappedByteBuffer map;
  private final ByteBuffer header;
  private final ByteBuffer mappedActions;
  private final StepBuffers buffers;
  private final SharedMemory description;
  private boolean closed;

  private SharedRegion(Path path, FileChannel file, MappedByteBuffer map, SharedMemory description, int numEnvs,
      int observationBytes, int actionBytes) {
    this.path = path;
    this.file = file;
    this.map = map;
    this.description = description;
    this.header = map.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    this.mappedActions = map.slice((int) description.getActionsOffset(), numEnvs * actionBytes)
        .order(ByteOrder.LITTLE_ENDIAN);
    // Observations and results are the mapped ones (the envs write them in place); actions are
    // private: the session copies the client's actions in before the env checks and uses them, so
    // a client rewriting the region mid-step cannot change an action after it was checked.
    this.buffers = StepBuffers.wrap(numEnvs, observationBytes, actionBytes,
        map.slice((int) description.getObservationsOffset(), numEnvs * observationBytes),
        ByteBuffer.allocateDirect(Math.max(1, numEnvs * actionBytes)),
        map.slice((int) description.getResultsOffset(), numEnvs * StepBuffers.RECORD_BYTES));
  }

  /** The folder for region files: /dev/shm when it is a writable folder, else java.io.tmpdir. */
  public static Path directory() {
    String override = System.getProperty("zeroshot.shm.dir");
    if (override != null && !override.isEmpty()) {
      return Path.of(override);
    }
    Path shm = Path.of("/dev/shm");
    if (Files.isDirectory(shm) && Files.isWritable(shm)) {
      return shm;
    }
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  /**
   * Creates, sizes and maps a new region file (owner read/write only) in {@link #directory()}.
   *
   * @throws IOException if the file cannot be made or mapped
   */
  static SharedRegion create(String sessionId, int numEnvs, int observationBytes, int actionBytes) throws IOException {
    SharedMemory.Builder d = SharedMemoryLayout.layout(numEnvs, observationBytes, actionBytes);
    if (d.getSize() > Integer.MAX_VALUE) {
      throw new IOException("a region of " + d.getSize() + " bytes is above the 2 GiB one mapping can hold");
    }
    byte[] nonceBytes = new byte[8];
    RANDOM.nextBytes(nonceBytes);
    long nonce = ByteBuffer.wrap(nonceBytes).getLong();
    Path dir = directory();
    Path path = dir.resolve(PREFIX + ProcessHandle.current().pid() + "-" + sessionId + "-"
        + HexFormat.of().formatHex(nonceBytes, 0, 4));
    try {
      Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(path);
    }
    MappedByteBuffer map;
    FileChannel ch = null;
    try {
      ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
      map = ch.map(FileChannel.MapMode.READ_WRITE, 0, d.getSize());
      // Touch every page now: a full tmpfs then fails here (a fault on a page it cannot back
      // surfaces as InternalError) rather than in a step, and steps take no first-touch faults.
      for (int p = 0; p < d.getSize(); p += 4096) {
        map.put(p, (byte) 0);
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(ch);
      Files.deleteIfExists(path);
      throw e;
    } catch (InternalError e) {
      closeQuietly(ch);
      Files.deleteIfExists(path);
      throw new IOException("cannot back " + d.getSize() + " bytes in " + dir + " (full?): " + e.getMessage(), e);
    }
    d.setPath(path.toAbsolutePath().toString()).setNonce(nonce);
    SharedMemoryLayout.writeHeader(map, d, numEnvs);
    return new SharedRegion(path, ch, map, d.build(), numEnvs, observationBytes, actionBytes);
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      if (ch != null) {
        ch.close();
      }
    } catch (IOException e) {
      log.debug("closing a shared memory file: {}", e.toString());
    }
  }

  /** Whether a peer at {@code address} is on this host: a loopback address (or an in-process transport). */
  static boolean isLocal(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      return inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
    }
    return address != null && address.getClass().getName().endsWith("InProcessSocketAddress");
  }

  /** The wire description for the MakeResponse. */
  SharedMemory description() {
    return description;
  }

  Path path() {
    return path;
  }

  /** The session's step buffers: observations and results mapped, actions private. */
  StepBuffers buffers() {
    return buffers;
  }

  /**
   * A sentence naming the problem if the region's file is now shorter than the region (a client
   * truncated it: touching the lost pages faults, which the JVM raises as an InternalError at a
   * later point of the thread's code, not where the fault was), else null. Names the file only
   * by its name (the client was given the path).
   */
  String truncation() {
    long size;
    try {
      size = file.size(); // of the open file: one deleted by the client keeps its pages and is no fault
    } catch (IOException e) {
      return null;
    }
    if (size >= description.getSize()) {
      return null;
    }
    return "the shared-memory region file " + path.getFileName() + " was truncated to " + size
        + " bytes; the region needs " + description.getSize();
  }

  /**
   * Refuses with DATA_LOSS before the region is touched if its file was truncated; called before
   * each reset and step (one fstat). A truncation in the middle of a step still ends the session
   * (see Session), with whatever status the fault surfaces in.
   */
  void requireIntact() {
    String truncated = truncation();
    if (truncated != null) {
      throw io.grpc.Status.DATA_LOSS.withDescription(truncated).asRuntimeException();
    }
  }

  /** Copies the client's actions from the region into the private actions buffer. */
  void takeActions() {
    buffers.actions().put(0, mappedActions, 0, mappedActions.capacity());
  }

  /**
   * Marks the results written as number {@code sequence}, after they are in the region: a
   * release store, so a client that reads the number with acquire semantics (or after the
   * response, which follows it) sees the results.
   */
  void publish(long sequence) {
    SharedMemoryLayout.publish(header, sequence);
  }

  /** Deletes the file and unmaps it. Nothing may touch {@link #buffers()} afterwards. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      log.warn("could not delete shared memory file {}: {}", path, e.toString());
    }
    closeQuietly(file);
    unmap(map);
  }

  /**
   * Frees the mapping now rather than at a later GC (the tmpfs pages stay allocated while any
   * mapping is alive). The session calls this only after its env is closed and no step runs.
   */
  private static void unmap(MappedByteBuffer map) {
    try {
      Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
      Field f = unsafeClass.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      Object unsafe = f.get(null);
      unsafeClass.getMethod("invokeCleaner", ByteBuffer.class).invoke(unsafe, map);
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.debug("unmapping a shared memory region failed (left to the GC): {}", e.toString());
    }
  }

  /**
   * Deletes region files in {@link #directory()} left by server processes that no longer run
   * (a server killed with SIGKILL cannot delete its own). Returns how many were deleted.
   */
  public static int deleteStale() {
    return deleteStale(directory());
  }

  static int deleteStale(Path dir) {
    int deleted = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*")) {
      for (Path f : files) {
        String rest = f.getFileName().toString().substring(PREFIX.length());
        int dash = rest.indexOf('-');
        long pid;
        try {
          pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
        } catch (NumberFormatException e) {
          continue;
        }
        Optional<ProcessHandle> owner = ProcessHandle.of(pid);
        if (owner.isEmpty() || !owner.get().isAlive()) {
          if (Files.deleteIfExists(f)) {
            deleted++;
            log.info("deleted stale shared memory file {} (its server, pid {}, is gone)", f, pid);
          }
        }
      }
    } catch (IOException e) {
      log.warn("could not scan {} for stale shared memory files: {}", dir, e.toString());
    }
    return deleted;
  }
}
