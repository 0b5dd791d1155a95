package dev.zeroshot.mbtl.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.mbtl.exec.JobState.Phase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Slurm's outputs as captured from Slurm 22.05.8 (Debian 12) on a two-node cluster: an array of
 * four (task 2 exits 3), a cancelled array task, a one-minute job past its time limit, a plain job.
 */
class SlurmOutputTest {

  private static String capture(String name) throws IOException {
    try (InputStream in = SlurmOutputTest.class.getResourceAsStream("/slurm/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void sbatchParsableIsTheIdWithOrWithoutCluster() {
    assertEquals("123", SlurmOutput.submittedId("123\n"));
    assertEquals("123", SlurmOutput.submittedId("123;gpu-cluster\n"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SlurmOutput.submittedId("Submitted batch job 123"));
    assertTrue(e.getMessage().contains("not a job id"), e.getMessage());
  }

  @Test
  void squeueListsEveryArrayTaskWithItsOwnJobId() throws IOException {
    Map<String, SlurmOutput.Listed> l = SlurmOutput.squeue(capture("squeue.txt"));
    assertEquals(List.of("5_1", "4_3", "4_0", "4_1", "12", "4_2", "5_0", "3_0"), List.copyOf(l.keySet()));
    assertEquals("8", l.get("4_2").jobId());
    assertEquals(new JobState(Phase.FAILED, -1, 0, "node2", "NonZeroExitCode"), l.get("4_2").state());
    assertEquals(new JobState(Phase.COMPLETED, 0, 0, "node1", ""), l.get("4_0").state());
    assertEquals(new JobState(Phase.RUNNING, -1, 0, "node2", ""), l.get("5_0").state());
    assertEquals(Phase.TIMEOUT, l.get("3_0").state().phase());
    assertEquals("TimeLimit", l.get("3_0").state().reason());
    assertEquals("12", l.get("12").jobId());
    assertThrows(IllegalArgumentException.class, () -> SlurmOutput.squeue("4_0 RUNNING\n"));
  }

  @Test
  void scontrolGivesExitStatusSignalNodesAndReason() throws IOException {
    JobState failed = SlurmOutput.scontrol(capture("scontrol-failed.txt"));
    assertEquals(new JobState(Phase.FAILED, 3, 0, "node2", "NonZeroExitCode"), failed);
    assertEquals("FAILED (exit 3) on node2", failed.describe());
    assertEquals(new JobState(Phase.COMPLETED, 0, 0, "node1", ""), SlurmOutput.scontrol(capture("scontrol-completed.txt")));
    assertTrue(SlurmOutput.scontrol(capture("scontrol-completed.txt")).succeeded());
    JobState cancelled = SlurmOutput.scontrol(capture("scontrol-cancelled.txt"));
    assertEquals(new JobState(Phase.CANCELLED, 0, 15, "node2", ""), cancelled);
    assertEquals("CANCELLED (signal 15) on node2", cancelled.describe());
    JobState timeout = SlurmOutput.scontrol(capture("scontrol-timeout.txt"));
    assertEquals(new JobState(Phase.TIMEOUT, 143, 0, "node1", "TimeLimit"), timeout);
    assertFalse(timeout.succeeded());

    Map<String, String> f = SlurmOutput.scontrolFields(capture("scontrol-failed.txt"));
    assertEquals("cpu=1,node=1,billing=1", f.get("TRES"));
    assertEquals("/tmp/cap/4_2.log", f.get("StdOut"));
    assertEquals("localhost:2844", f.get("AllocNode:Sid"));
    assertEquals("", f.get("Power"));
    assertEquals("4", f.get("ArrayJobId"));
    assertEquals("8", f.get("JobId"));
    assertEquals("a b", SlurmOutput.scontrolFields("JobId=1 WorkDir=a b JobState=RUNNING").get("WorkDir"));
  }

  @Test
  void sacctFromTheCompletionFileKnowsNumericIdsOnly() throws IOException {
    String text = capture("sacct-c.txt");
    assertEquals(new JobState(Phase.FAILED, 3, 0, "node2", ""), SlurmOutput.sacct(text, "8"));
    assertEquals(new JobState(Phase.TIMEOUT, 0, 0, "node1", ""), SlurmOutput.sacct(text, "3"));
    assertEquals(Phase.CANCELLED, SlurmOutput.sacct(text, "5").phase());
    assertTrue(SlurmOutput.sacct(text, "12").succeeded());
    assertNull(SlurmOutput.sacct(text, "4_2"));
    assertEquals(Phase.CANCELLED, Phase.parse("CANCELLED by 0"));
    assertEquals(Phase.CANCELLED, Phase.parse("CANCELLED+"));
    assertEquals(Phase.UNKNOWN, Phase.parse("SOMETHING_NEW"));
  }

  @Test
  void errorsAreTellApartAndReadAsOneLine() throws IOException {
    assertTrue(SlurmOutput.invalidJobId(capture("scontrol-invalid.txt")));
    assertTrue(SlurmOutput.invalidJobId(capture("squeue-invalid.txt")));
    assertFalse(SlurmOutput.invalidJobId(capture("squeue-unreachable.txt")));
    Command rejected = new Command(List.of("sbatch"), 1, "", capture("sbatch-rejected.txt"));
    assertEquals("sbatch: error: invalid partition specified: nosuch; sbatch: error: Batch job submission failed: "
        + "Invalid partition name specified", rejected.errorLine());
  }

  @Test
  void phasesThatEndAJob() {
    for (Phase p : List.of(Phase.PENDING, Phase.RUNNING, Phase.COMPLETING, Phase.REQUEUED, Phase.SUSPENDED)) {
      assertFalse(p.ended(), p.name());
    }
    for (Phase p : List.of(Phase.COMPLETED, Phase.FAILED, Phase.CANCELLED, Phase.TIMEOUT, Phase.NODE_FAIL,
        Phase.OUT_OF_MEMORY, Phase.PREEMPTED, Phase.UNKNOWN)) {
      assertTrue(p.ended(), p.name());
    }
  }
}
