package dev.zeroshot.mbtl.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlurmOptionsTest {

  private static SlurmOptions options(List<String> extra) {
    return new SlurmOptions("gpu", "lab", "2:00:00", 4, "8G", 1, extra, "java -jar '/shared dir/zeroshot.jar'",
        "zeroshot-mbtl-x", Duration.ofSeconds(60));
  }

  @Test
  void everyOptionBecomesItsSbatchArgument() {
    assertEquals(List.of("--partition=gpu", "--account=lab", "--time=2:00:00", "--cpus-per-task=4", "--mem=8G",
        "--gres=gpu:1", "--qos=long"), options(List.of("--qos=long")).sbatchArgs());
    assertEquals(List.of(), new SlurmOptions(null, null, null, null, null, 0, List.of(), "zeroshot", "j",
        Duration.ZERO).sbatchArgs());
  }

  @Test
  void theScriptStartsOneTrainingPerArrayTaskQuotedForTheShell() {
    SlurmExecutor x = new SlurmExecutor(options(List.of()), Path.of("/tmp/logs"), Map.of(), s -> { });
    String script = x.script(List.of(new TrainingJob("task 0", List.of("mbtl", "train-task", "--sweep", "/a b/c",
        "--task", "0")), new TrainingJob("task 3", List.of("mbtl", "train-task", "--sweep", "/a b/c", "--task", "3"))));
    assertTrue(script.startsWith("#!/bin/sh\n"), script);
    assertTrue(script.contains("case \"${SLURM_ARRAY_TASK_ID:-0}\" in\n"), script);
    assertTrue(script.contains("  0) exec java -jar '/shared dir/zeroshot.jar' mbtl train-task --sweep '/a b/c' "
        + "--task 0 ;;\n"), script);
    assertTrue(script.contains("  1) exec java -jar '/shared dir/zeroshot.jar' mbtl train-task --sweep '/a b/c' "
        + "--task 3 ;;\n"), script);
    assertEquals(Path.of("/tmp/logs/12_1.log"), x.log("12_1"));
    assertEquals("'it'\\''s'", SlurmOptions.quote("it's"));
  }

  @Test
  void badOptionsAreOneClearLine() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SlurmOptions(null, null, null,
        0, null, null, List.of(), "zeroshot", "j", Duration.ZERO));
    assertTrue(e.getMessage().contains("--slurm-cpus must be >= 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new SlurmOptions(null, null, null, null, null, null,
        List.of(), " ", "j", Duration.ZERO));
    assertTrue(e.getMessage().contains("--slurm-launcher is empty"), e.getMessage());
  }

  @Test
  void withoutSbatchOnThePathOneClearLine() {
    ExecutorException e = assertThrows(ExecutorException.class,
        () -> SlurmExecutor.checkInstalled(Map.of("PATH", "/nonexistent")));
    assertTrue(e.getMessage().startsWith("--executor slurm: no 'sbatch' on the PATH"), e.getMessage());
    assertEquals(1, e.getMessage().split("\n").length);
  }
}
