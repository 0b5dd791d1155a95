package dev.zeroshot.mbtl.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.mbtl.exec.JobState.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local executor, with {@code sh} as the launcher: "zeroshot ARGS" becomes "sh -c ARGS". */
class LocalExecutorTest {

  @TempDir
  Path dir;

  private static Map<String, JobState> awaitEnd(Executor x, List<String> ids) throws Exception {
    for (int i = 0; i < 200; i++) {
      Map<String, JobState> s = x.poll(ids);
      if (s.values().stream().allMatch(JobState::ended)) {
        return s;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("jobs did not end: " + x.poll(ids));
  }

  @Test
  void runsAtMostParallelJobsAndReportsExitCancelAndLogs() throws Exception {
    try (LocalExecutor x = new LocalExecutor("sh -c", dir.resolve("logs"), 1)) {
      List<String> ids = x.submit(List.of(new TrainingJob("ok", List.of("sleep 1; echo trained; exit 0")),
          new TrainingJob("fails", List.of("echo broken >&2; exit 3")),
          new TrainingJob("slow", List.of("sleep 30"))));
      Map<String, JobState> first = x.poll(ids);
      assertEquals(Phase.RUNNING, first.get(ids.get(0)).phase(), "one at a time: " + first);
      assertEquals(Phase.PENDING, first.get(ids.get(1)).phase(), first.toString());
      assertEquals(Phase.PENDING, first.get(ids.get(2)).phase(), first.toString());
      Map<String, JobState> s = awaitEnd(x, ids.subList(0, 2));
      assertTrue(s.get(ids.get(0)).succeeded(), s.toString());
      assertEquals(new JobState(Phase.FAILED, 3, 0, "localhost", ""), s.get(ids.get(1)));
      assertEquals("trained\n", Files.readString(x.log(ids.get(0))));
      assertEquals("broken\n", Files.readString(x.log(ids.get(1))));
      for (int i = 0; i < 100 && x.poll(ids.subList(2, 3)).get(ids.get(2)).phase() != Phase.RUNNING; i++) {
        Thread.sleep(20);
      }
      x.cancel(ids.get(2));
      assertEquals(Phase.CANCELLED, awaitEnd(x, ids.subList(2, 3)).get(ids.get(2)).phase());
      assertEquals(Phase.UNKNOWN, x.poll(List.of("12_3")).get("12_3").phase(), "another controller's job");
    }
  }
}
