package dev.zeroshot.server;

import com.google.protobuf.ByteString;
import dev.zeroshot.offline.Dataset;
import dev.zeroshot.offline.DatasetException;
import dev.zeroshot.offline.DatasetId;
import dev.zeroshot.offline.Episode;
import dev.zeroshot.offline.ObservationFormat;
import dev.zeroshot.offline.TransitionBatch;
import dev.zeroshot.offline.TransitionSampler;
import dev.zeroshot.proto.v1.DType;
import dev.zeroshot.proto.v1.DatasetDescription;
import dev.zeroshot.proto.v1.DatasetServiceGrpc;
import dev.zeroshot.proto.v1.DescribeDatasetRequest;
import dev.zeroshot.proto.v1.EpisodeMessage;
import dev.zeroshot.proto.v1.ListDatasetsRequest;
import dev.zeroshot.proto.v1.ListDatasetsResponse;
import dev.zeroshot.proto.v1.SampleTransitionsRequest;
import dev.zeroshot.proto.v1.StreamEpisodesRequest;
import dev.zeroshot.proto.v1.Tensor;
import dev.zeroshot.proto.v1.TransitionBatchMessage;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * {@code zeroshot.v1.DatasetService}: the Minari datasets under one root, listed, described,
 * streamed episode by episode and sampled in minibatches, read with offline-data's reader and
 * sampler (so nothing is loaded whole). Bad input is INVALID_ARGUMENT or NOT_FOUND; a bad
 * episode file is DATA_LOSS naming the file.
 */
public final class DatasetService extends DatasetServiceGrpc.DatasetServiceImplBase {

  static final int MAX_BATCH = 4096;
  static final int MAX_BATCHES = 100_000;

  private final Path root;

  public DatasetService(Path root) {
    this.root = root;
  }

  private Dataset open(String id) {
    Path dir;
    try {
      dir = DatasetId.parse(id).dataDir(root); // refuses ids that would leave the root
    } catch (IllegalArgumentException e) {
      throw Status.INVALID_ARGUMENT.withDescription("dataset_id: " + e.getMessage()).asRuntimeException();
    }
    if (!Files.isRegularFile(dir.resolve("metadata.json"))) {
      throw Status.NOT_FOUND.withDescription("dataset '" + DatasetId.echo(id) + "' not found").asRuntimeException();
    }
    try {
      return Dataset.open(dir);
    } catch (IOException e) {
      throw Status.DATA_LOSS.withDescription(withoutRoot(e.getMessage())).asRuntimeException();
    }
  }

  /**
   * {@code message} with the root's path taken out, so a client learns the file's place in the
   * dataset ({@code test/maze-v0/data/2/part-0.arrow}) but nothing of the server's file system.
   */
  private String withoutRoot(String message) {
    String m = String.valueOf(message);
    for (Path r : new Path[] {root.toAbsolutePath().normalize(), root}) {
      String prefix = r.toString().endsWith(File.separator) ? r.toString() : r + File.separator;
      if (!prefix.equals(File.separator)) {
        m = m.replace(prefix, "");
      }
    }
    return m;
  }

  private static DatasetDescription describe(Dataset ds) {
    ObservationFormat f = ds.observationFormat();
    DatasetDescription.Builder b = DatasetDescription.newBuilder().setDatasetId(ds.id())
        .setTotalEpisodes(ds.episodes().size()).setTotalSteps(ds.totalSteps())
        .setActionCount(ds.actionSpace() instanceof dev.zeroshot.env.space.Discrete d ? d.n() : 0)
        .setObservationDtype(f.dtype() == dev.zeroshot.env.space.DType.UINT8 ? DType.DTYPE_UINT8 : DType.DTYPE_FLOAT32)
        .setMetadataJson(ds.metadata().toString());
    for (int d : f.shape()) {
      b.addObservationShape(d);
    }
    return b.build();
  }

  @Override
  public void listDatasets(ListDatasetsRequest req, StreamObserver<ListDatasetsResponse> out) {
    ListDatasetsResponse.Builder b = ListDatasetsResponse.newBuilder();
    if (Files.isDirectory(root)) {
      List<Path> metas = new ArrayList<>();
      try (Stream<Path> s = Files.walk(root, 6)) {
        s.filter(p -> p.getFileName().toString().equals("metadata.json") && p.getParent().getFileName().toString().equals("data"))
            .sorted().forEach(metas::add);
      } catch (IOException e) {
        out.onError(Status.INTERNAL.withDescription("cannot list the datasets: " + withoutRoot(e.getMessage())).asRuntimeException());
        return;
      }
      for (Path m : metas) {
        try {
          b.addDatasets(describe(Dataset.open(m.getParent())));
        } catch (IOException | RuntimeException e) {
          // an unreadable dataset is left out of the list; DescribeDataset reports why
        }
      }
    }
    out.onNext(b.build());
    out.onCompleted();
  }

  @Override
  public void describeDataset(DescribeDatasetRequest req, StreamObserver<DatasetDescription> out) {
    try {
      out.onNext(describe(open(req.getDatasetId())));
      out.onCompleted();
    } catch (StatusRuntimeException e) {
      out.onError(e);
    }
  }

  private static Tensor tensor(DType dtype, byte[] data, long... shape) {
    Tensor.Builder t = Tensor.newBuilder().setDtype(dtype).setData(ByteString.copyFrom(data));
    for (long d : shape) {
      t.addShape(d);
    }
    return t.build();
  }

  @Override
  public void streamEpisodes(StreamEpisodesRequest req, StreamObserver<EpisodeMessage> out) {
    Dataset ds;
    int end;
    try {
      ds = open(req.getDatasetId());
      int n = ds.episodes().size();
      if (req.getStart() < 0 || req.getStart() > n || req.getCount() < 0) {
        throw Status.INVALID_ARGUMENT.withDescription("start " + req.getStart() + " / count " + req.getCount()
            + " out of range for " + n + " episodes").asRuntimeException();
      }
      end = req.getCount() == 0 ? n : (int) Math.min(n, (long) req.getStart() + req.getCount());
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    }
    ObservationFormat f = ds.observationFormat();
    DType od = f.dtype() == dev.zeroshot.env.space.DType.UINT8 ? DType.DTYPE_UINT8 : DType.DTYPE_FLOAT32;
    int[] next = {req.getStart()};
    ReadyStream.send((ServerCallStreamObserver<EpisodeMessage>) out,
        () -> next[0] < end ? episode(ds.episode(ds.episodes().get(next[0]++)), f, od) : null, this::toStatus);
  }

  private static EpisodeMessage episode(Episode e, ObservationFormat f, DType od) {
    int t = e.length();
    long[] obsShape = new long[f.shape().length + 1];
    obsShape[0] = t + 1;
    for (int k = 0; k < f.shape().length; k++) {
      obsShape[k + 1] = f.shape()[k];
    }
    ByteBuffer a = ByteBuffer.allocate(e.actions() != null ? 8 * t : 4 * e.boxActions().length)
        .order(ByteOrder.LITTLE_ENDIAN);
    if (e.boxActions() != null) {
      for (float v : e.boxActions()) {
        a.putFloat(v);
      }
    }
    ByteBuffer r = ByteBuffer.allocate(8 * t).order(ByteOrder.LITTLE_ENDIAN);
    byte[] te = new byte[t];
    byte[] tr = new byte[t];
    for (int k = 0; k < t; k++) {
      if (e.actions() != null) {
        a.putLong(e.actions()[k]);
      }
      r.putDouble(e.rewards()[k]);
      te[k] = (byte) (e.terminations()[k] ? 1 : 0);
      tr[k] = (byte) (e.truncations()[k] ? 1 : 0);
    }
    return EpisodeMessage.newBuilder().setId(e.id()).setLevelSeed(e.levelSeed())
        .setObservations(tensor(od, e.observations(), obsShape)).setActions(e.actions() != null ? tensor(DType.DTYPE_INT64, a.array(), t)
            : tensor(DType.DTYPE_FLOAT32, a.array(), t, t == 0 ? 0 : e.boxActions().length / t))
        .setRewards(tensor(DType.DTYPE_FLOAT64, r.array(), t)).setTerminations(tensor(DType.DTYPE_UINT8, te, t))
        .setTruncations(tensor(DType.DTYPE_UINT8, tr, t)).build();
  }

  /** The status a failure while streaming ends the stream with; server paths are left out. */
  private StatusRuntimeException toStatus(Exception e) {
    if (e instanceof StatusRuntimeException s) {
      return s;
    }
    if (e instanceof DatasetException) {
      return Status.DATA_LOSS.withDescription(withoutRoot(e.getMessage())).asRuntimeException();
    }
    if (e instanceof IllegalArgumentException) {
      return Status.FAILED_PRECONDITION.withDescription(withoutRoot(e.getMessage())).asRuntimeException();
    }
    return EnvService.toStatus(e, "DatasetService");
  }

  @Override
  public void sampleTransitions(SampleTransitionsRequest req, StreamObserver<TransitionBatchMessage> out) {
    Dataset ds;
    try {
      if (req.getBatchSize() < 1 || req.getBatchSize() > MAX_BATCH) {
        throw Status.INVALID_ARGUMENT.withDescription("batch_size " + req.getBatchSize() + " must be in [1, "
            + MAX_BATCH + "]").asRuntimeException();
      }
      if (req.getNumBatches() < 1 || req.getNumBatches() > MAX_BATCHES) {
        throw Status.INVALID_ARGUMENT.withDescription("num_batches " + req.getNumBatches() + " must be in [1, "
            + MAX_BATCHES + "]").asRuntimeException();
      }
      ds = open(req.getDatasetId());
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    }
    ObservationFormat f = ds.observationFormat();
    DType od = f.dtype() == dev.zeroshot.env.space.DType.UINT8 ? DType.DTYPE_UINT8 : DType.DTYPE_FLOAT32;
    int bs = req.getBatchSize();
    long[] obsShape = new long[f.shape().length + 1];
    obsShape[0] = bs;
    for (int k = 0; k < f.shape().length; k++) {
      obsShape[k + 1] = f.shape()[k];
    }
    TransitionBatch b = new TransitionBatch(bs, f.bytes());
    SplittableRandom rng = new SplittableRandom(req.getSeed());
    TransitionSampler[] sampler = {null}; // made with the first batch, inside the stream (it may fail)
    int[] sent = {0};
    ReadyStream.send((ServerCallStreamObserver<TransitionBatchMessage>) out, () -> {
      if (sent[0] == req.getNumBatches()) {
        return null;
      }
      sent[0]++;
      if (sampler[0] == null) {
        sampler[0] = new TransitionSampler(ds, 4096, true, null);
      }
      sampler[0].sample(bs, rng, b);
      ByteBuffer a = ByteBuffer.allocate(8 * bs).order(ByteOrder.LITTLE_ENDIAN);
      ByteBuffer r = ByteBuffer.allocate(4 * bs).order(ByteOrder.LITTLE_ENDIAN);
      byte[] te = new byte[bs];
      for (int i = 0; i < bs; i++) {
        a.putLong(b.actions[i]);
        r.putFloat(b.rewards[i]);
        te[i] = (byte) (b.terminated[i] ? 1 : 0);
      }
      return TransitionBatchMessage.newBuilder()
          .setObservations(Tensor.newBuilder().setDtype(od).addAllShape(box(obsShape))
              .setData(ByteString.copyFrom(b.observations.duplicate().position(0).limit(bs * f.bytes()))))
          .setNextObservations(Tensor.newBuilder().setDtype(od).addAllShape(box(obsShape))
              .setData(ByteString.copyFrom(b.nextObservations.duplicate().position(0).limit(bs * f.bytes()))))
          .setActions(tensor(DType.DTYPE_INT64, a.array(), bs)).setRewards(tensor(DType.DTYPE_FLOAT32, r.array(), bs))
          .setTerminated(tensor(DType.DTYPE_UINT8, te, bs)).build();
    }, this::toStatus);
  }

  private static List<Long> box(long[] v) {
    List<Long> l = new ArrayList<>(v.length);
    for (long x : v) {
      l.add(x);
    }
    return l;
  }
}
