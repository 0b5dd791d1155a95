package dev.zeroshot.mbtl.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sh command a job runs, run for real with a launcher that prints its arguments (and fails
 * when the first one is "fail"), as Slurm would start it fresh or restarted (SLURM_RESTART_COUNT).
 */
class TrainingJobTest {

  @TempDir
  Path dir;

  private String launcher() throws Exception {
    Path l = dir.resolve("launcher.sh");
    Files.writeString(l, "echo \"$@\"\n[ \"$1\" != fail ]\n");
    return "sh " + l;
  }

  private Command run(TrainingJob job, boolean requeueAware, Map<String, String> env) throws Exception {
    return Command.run(List.of("sh", "-c", job.shell(launcher(), requeueAware)), env, Duration.ofSeconds(10));
  }

  private TrainingJob job(String first, List<String> then) {
    Path run = dir.resolve("run");
    return new TrainingJob("t", List.of(first, "ppo", "--out", run.toString()), then,
        new TrainingJob.Resume(run.resolve("checkpoint.ckpt"), run, List.of("train", "ppo", "--resume", "run dir")));
  }

  @Test
  void aJobWithoutThenOrResumeIsTheCommandAsBefore() throws Exception {
    assertEquals("exec zeroshot mbtl train-task --sweep '/a b'",
        new TrainingJob("t", List.of("mbtl", "train-task", "--sweep", "/a b")).shell("zeroshot", true));
  }

  @Test
  void thenRunsOnlyAfterTheTrainingSucceeded() throws Exception {
    Command ok = run(job("train", List.of("gap", "--episodes", "2")), false, Map.of());
    assertEquals(0, ok.exit(), ok.errorLine());
    assertEquals("train ppo --out " + dir.resolve("run") + "\ngap --episodes 2\n", ok.stdout());
    Command failed = run(job("fail", List.of("gap")), false, Map.of());
    assertEquals(1, failed.exit());
    assertEquals("fail ppo --out " + dir.resolve("run") + "\n", failed.stdout());
  }

  @Test
  void aRestartedJobResumesFromItsCheckpoint() throws Exception {
    Path run = Files.createDirectories(dir.resolve("run"));
    Files.writeString(run.resolve("checkpoint.ckpt"), "x");
    Command c = run(job("train", List.of("gap")), true, Map.of("SLURM_RESTART_COUNT", "1"));
    assertEquals(0, c.exit(), c.errorLine());
    assertEquals("train ppo --resume run dir\ngap\n", c.stdout());
    assertTrue(c.stderr().contains("Slurm restarted this job (1): resuming from " + run.resolve("checkpoint.ckpt")),
        c.stderr());
    // a resume that fails ends the job with its status: no fresh training over the run
    TrainingJob failing = new TrainingJob("t", List.of("train"), null,
        new TrainingJob.Resume(run.resolve("checkpoint.ckpt"), run, List.of("fail")));
    Command f = run(failing, true, Map.of("SLURM_RESTART_COUNT", "2"));
    assertEquals(1, f.exit());
    assertEquals("fail\n", f.stdout());
  }

  @Test
  void aRestartBeforeTheFirstCheckpointStartsAgainInAnEmptyFolder() throws Exception {
    Path run = Files.createDirectories(dir.resolve("run"));
    Files.writeString(run.resolve("metrics.csv"), "update\n");
    Command c = run(job("train", null), true, Map.of("SLURM_RESTART_COUNT", "1"));
    assertEquals(0, c.exit(), c.errorLine());
    assertEquals("train ppo --out " + run + "\n", c.stdout());
    assertTrue(c.stderr().contains("before its first checkpoint: starting again"), c.stderr());
    assertFalse(Files.exists(run), "the earlier try's folder is gone");
  }

  @Test
  void aFirstStartOrALocalJobNeverResumes() throws Exception {
    Path run = Files.createDirectories(dir.resolve("run"));
    Files.writeString(run.resolve("checkpoint.ckpt"), "x");
    Command fresh = run(job("train", null), true, Map.of("SLURM_RESTART_COUNT", "0"));
    assertEquals("train ppo --out " + run + "\n", fresh.stdout());
    Command local = run(job("train", null), false, Map.of("SLURM_RESTART_COUNT", "1"));
    assertEquals("train ppo --out " + run + "\n", local.stdout());
    assertTrue(Files.exists(run.resolve("checkpoint.ckpt")), "nothing deleted");
  }
}
