package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.offline.CollectionPolicy;
import dev.zeroshot.offline.Collector;
import dev.zeroshot.offline.Dataset;
import dev.zeroshot.offline.DatasetId;
import dev.zeroshot.offline.DatasetInfo;
import dev.zeroshot.offline.DatasetWriter;
import dev.zeroshot.offline.Episode;
import dev.zeroshot.env.context.LevelRange;
import dev.zeroshot.offline.Planners;
import dev.zeroshot.proto.v1.DatasetDescription;
import dev.zeroshot.proto.v1.DatasetServiceGrpc;
import dev.zeroshot.proto.v1.DescribeDatasetRequest;
import dev.zeroshot.proto.v1.EpisodeMessage;
import dev.zeroshot.proto.v1.ListDatasetsRequest;
import dev.zeroshot.proto.v1.SampleTransitionsRequest;
import dev.zeroshot.proto.v1.StreamEpisodesRequest;
import dev.zeroshot.proto.v1.TransitionBatchMessage;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DatasetService over a real server: list, describe, stream, sample, and its errors. */
class DatasetServiceTest {

  @Test
  void listsDescribesStreamsAndSamplesADatasetAndReportsBadInput(@TempDir Path root) throws Exception {
    EnvSpec spec = EnvRegistry.builtin().spec("procgen/maze-easy-v0");
    var env = EnvRegistry.builtin().make(spec.id());
    DatasetId id = DatasetId.parse("test/maze-v0");
    try (DatasetWriter w = DatasetWriter.create(id.dataDir(root), new DatasetInfo(id, env.observationSpace(),
        env.actionSpace(), "planner", "test", 5.0, 10.0, Map.of()))) {
      new Collector(spec.id(), LevelRange.parse("0:10").apply(spec.contextSpace().defaults()), 2, 1)
          .collect(Planners.maze(), 200, w, null, () -> false);
    }
    Dataset ds = Dataset.open(root, id);
    try (EnvServer server = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1, root).start()) {
      ManagedChannel ch = RemoteVectorEnv.channel("127.0.0.1:" + server.port(), 64 << 20);
      try {
        var stub = DatasetServiceGrpc.newBlockingStub(ch);
        List<DatasetDescription> all = stub.listDatasets(ListDatasetsRequest.getDefaultInstance()).getDatasetsList();
        assertEquals(1, all.size());
        DatasetDescription d = stub.describeDataset(DescribeDatasetRequest.newBuilder().setDatasetId("test/maze-v0").build());
        assertEquals(ds.episodes().size(), d.getTotalEpisodes());
        assertEquals(ds.totalSteps(), d.getTotalSteps());
        assertEquals(List.of(3L, 64L, 64L), d.getObservationShapeList());
        assertEquals(15, d.getActionCount());
        assertTrue(d.getMetadataJson().contains("\"ref_max_score\""));

        Iterator<EpisodeMessage> it = stub.streamEpisodes(StreamEpisodesRequest.newBuilder().setDatasetId("test/maze-v0")
            .setStart(1).setCount(3).build());
        List<EpisodeMessage> eps = new ArrayList<>();
        it.forEachRemaining(eps::add);
        assertEquals(3, eps.size());
        for (EpisodeMessage m : eps) {
          Episode e = ds.episode(ds.episodes().get(m.getId()));
          assertArrayEquals(e.observations(), m.getObservations().getData().toByteArray());
          assertEquals(e.length() + 1, m.getObservations().getShape(0));
          ByteBuffer a = m.getActions().getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
          for (int t = 0; t < e.length(); t++) {
            assertEquals(e.actions()[t], a.getLong(8 * t));
          }
          assertEquals(e.terminations()[e.length() - 1] ? 1 : 0, m.getTerminations().getData().byteAt(e.length() - 1));
        }

        Iterator<TransitionBatchMessage> bs = stub.sampleTransitions(SampleTransitionsRequest.newBuilder()
            .setDatasetId("test/maze-v0").setBatchSize(16).setNumBatches(3).setSeed(5).build());
        int n = 0;
        while (bs.hasNext()) {
          TransitionBatchMessage b = bs.next();
          assertEquals(16 * 12288, b.getObservations().getData().size());
          assertEquals(16 * 12288, b.getNextObservations().getData().size());
          assertEquals(List.of(16L, 3L, 64L, 64L), b.getObservations().getShapeList());
          assertEquals(16 * 8, b.getActions().getData().size());
          n++;
        }
        assertEquals(3, n);

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
            () -> stub.describeDataset(DescribeDatasetRequest.newBuilder().setDatasetId("test/none-v0").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        e = assertThrows(StatusRuntimeException.class, () -> stub.sampleTransitions(SampleTransitionsRequest.newBuilder()
            .setDatasetId("test/maze-v0").setBatchSize(0).setNumBatches(1).build()).next());
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("batch_size"));

        // a truncated episode file: streaming reaches it and fails with DATA_LOSS naming the file
        Path f = id.dataDir(root).resolve("2/part-0.arrow");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
          raf.setLength(raf.length() / 2);
        }
        Iterator<EpisodeMessage> bad = stub.streamEpisodes(StreamEpisodesRequest.newBuilder()
            .setDatasetId("test/maze-v0").build());
        e = assertThrows(StatusRuntimeException.class, () -> bad.forEachRemaining(m -> { }));
        assertEquals(Status.Code.DATA_LOSS, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("test/maze-v0/data/2/part-0.arrow"), e.getStatus().getDescription());
        assertFalse(e.getStatus().getDescription().contains(root.toString()), e.getStatus().getDescription());
      } finally {
        ch.shutdownNow();
      }
    }
  }

  @Test
  void streamsBoxActionEpisodesAsFloat32AndRefusesToSampleThem(@TempDir Path root) throws Exception {
    EnvSpec spec = EnvRegistry.builtin().spec("Pendulum-v1");
    var env = EnvRegistry.builtin().make(spec.id());
    DatasetId id = DatasetId.parse("test/pendulum-v0");
    try (DatasetWriter w = DatasetWriter.create(id.dataDir(root), new DatasetInfo(id, env.observationSpace(),
        env.actionSpace(), "random", "test", null, null, Map.of()))) {
      new Collector(spec.id(), null, 1, 3).collect(dev.zeroshot.offline.CollectionPolicy.random(), 200, w, null,
          () -> false);
    }
    Dataset ds = Dataset.open(root, id);
    try (EnvServer server = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1, root).start()) {
      ManagedChannel ch = RemoteVectorEnv.channel("127.0.0.1:" + server.port(), 64 << 20);
      try {
        var stub = DatasetServiceGrpc.newBlockingStub(ch);
        DatasetDescription d = stub.describeDataset(DescribeDatasetRequest.newBuilder().setDatasetId(id.id()).build());
        assertEquals(0, d.getActionCount(), "no Discrete count for Box actions");
        assertTrue(d.getMetadataJson().contains("\\\"type\\\": \\\"Box\\\""), d.getMetadataJson());
        EpisodeMessage m = stub.streamEpisodes(StreamEpisodesRequest.newBuilder().setDatasetId(id.id()).build()).next();
        Episode e = ds.episode(ds.episodes().get(0));
        assertEquals(List.of((long) e.length(), 1L), m.getActions().getShapeList());
        ByteBuffer a = m.getActions().getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        for (int t = 0; t < e.length(); t++) {
          assertEquals(Float.floatToRawIntBits(e.boxActions()[t]), Float.floatToRawIntBits(a.getFloat(4 * t)));
        }
        StatusRuntimeException x = assertThrows(StatusRuntimeException.class, () -> stub.sampleTransitions(
            SampleTransitionsRequest.newBuilder().setDatasetId(id.id()).setBatchSize(4).setNumBatches(1).build()).next());
        assertTrue(x.getStatus().getDescription().contains("read Discrete actions only"), x.getStatus().toString());
      } finally {
        ch.shutdownNow();
      }
    }
  }

  private static void writeCartPoleDataset(Path dataDir, String id) throws Exception {
    EnvSpec spec = EnvRegistry.builtin().spec("CartPole-v1");
    var env = EnvRegistry.builtin().make(spec.id());
    try (DatasetWriter w = DatasetWriter.create(dataDir, new DatasetInfo(DatasetId.parse(id), env.observationSpace(),
        env.actionSpace(), "random", "test", null, null, Map.of()))) {
      new Collector(spec.id(), null, 1, 3).collect(CollectionPolicy.random(), 50, w, null, () -> false);
    }
  }

  private static Status describeError(DatasetServiceGrpc.DatasetServiceBlockingStub stub, String id) {
    return assertThrows(StatusRuntimeException.class,
        () -> stub.describeDataset(DescribeDatasetRequest.newBuilder().setDatasetId(id).build())).getStatus();
  }

  /** Issue 16, defect 5 and part of 8: ids stay under the root, and no status names a server path. */
  @Test
  void idsCannotLeaveTheRootAndErrorsNameNoServerPath(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    // a real dataset outside the root, the one '../outside/secret/leak-v0' used to serve
    writeCartPoleDataset(tmp.resolve("outside/secret/leak-v0/data"), "secret/leak-v0");
    Files.createSymbolicLink(root.resolve("evil"), tmp.resolve("outside"));
    writeCartPoleDataset(root.resolve("test/bad-v0/data"), "test/bad-v0");
    Files.writeString(root.resolve("test/bad-v0/data/metadata.json"), "{not json");
    try (EnvServer server = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1, root).start()) {
      ManagedChannel ch = RemoteVectorEnv.channel("127.0.0.1:" + server.port(), 64 << 20);
      try {
        var stub = DatasetServiceGrpc.newBlockingStub(ch);
        Status s = describeError(stub, "../outside/secret/leak-v0");
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
        assertTrue(s.getDescription().contains("has a '..' part"), s.getDescription());
        s = describeError(stub, tmp.resolve("outside/secret/leak-v0").toString());
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
        assertTrue(s.getDescription().contains("is an absolute path"), s.getDescription());
        s = describeError(stub, "evil/secret/leak-v0");
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
        assertTrue(s.getDescription().contains("symbolic link"), s.getDescription());
        // the streaming calls go through the same check
        Status st = assertThrows(StatusRuntimeException.class, () -> stub.streamEpisodes(StreamEpisodesRequest
            .newBuilder().setDatasetId("../outside/secret/leak-v0").build()).next()).getStatus();
        assertEquals(Status.Code.INVALID_ARGUMENT, st.getCode());
        st = assertThrows(StatusRuntimeException.class, () -> stub.sampleTransitions(SampleTransitionsRequest
            .newBuilder().setDatasetId("evil/secret/leak-v0").setBatchSize(4).setNumBatches(1).build()).next()).getStatus();
        assertEquals(Status.Code.INVALID_ARGUMENT, st.getCode());
        // a symlinked dataset outside the root is not listed either
        assertEquals(List.of(), stub.listDatasets(ListDatasetsRequest.getDefaultInstance()).getDatasetsList()
            .stream().map(DatasetDescription::getDatasetId).filter(i -> i.contains("leak")).toList());

        s = describeError(stub, "test/none-v0");
        assertEquals(Status.Code.NOT_FOUND, s.getCode());
        assertEquals("dataset 'test/none-v0' not found", s.getDescription());
        s = describeError(stub, "test/bad-v0");
        assertEquals(Status.Code.DATA_LOSS, s.getCode());
        assertTrue(s.getDescription().startsWith("test/bad-v0/data/metadata.json: is not valid JSON"), s.getDescription());
        assertFalse(s.getDescription().contains(tmp.toString()), s.getDescription());

        s = describeError(stub, "test/maze-v99999999999");
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
        assertTrue(s.getDescription().endsWith("version 99999999999 must be in [0, 2147483647]"), s.getDescription());
        // a 10,000-character id is echoed cut, so the status fits the client's metadata limit
        s = describeError(stub, "a/" + "b".repeat(10_000) + "-v0");
        assertEquals(Status.Code.NOT_FOUND, s.getCode());
        assertEquals("dataset 'a/" + "b".repeat(98) + "...' not found", s.getDescription());
        s = describeError(stub, "a/" + "b".repeat(10_000) + "-vx");
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
        assertTrue(s.getDescription().contains("b".repeat(98) + "..."), s.getDescription());
        for (Status any : List.of(describeError(stub, "../outside/secret/leak-v0"), describeError(stub, "evil/secret/leak-v0"))) {
          assertFalse(any.getDescription().contains(tmp.toString()), any.getDescription());
        }
      } finally {
        ch.shutdownNow();
      }
    }
  }
}
