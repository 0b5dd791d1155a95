package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
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
        assertTrue(e.getStatus().getDescription().contains("2/part-0.arrow"), e.getStatus().getDescription());
      } finally {
        ch.shutdownNow();
      }
    }
  }
}
