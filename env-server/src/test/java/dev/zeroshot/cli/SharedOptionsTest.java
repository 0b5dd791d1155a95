package dev.zeroshot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.context.ContextOverrides;
import dev.zeroshot.env.context.LevelRange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The options several commands share are one option each: every command that takes a level
 * range accepts {@code A:B}, {@code A:} and {@code N} alike and refuses a bad one with the same
 * message, and every command that takes {@code --context} refuses an unknown feature alike.
 */
class SharedOptionsTest {

  private static final String ENV = "procgen/maze-easy-v0";

  @TempDir
  static Path tmp;

  /** A tiny PPO checkpoint: eval reads one before it looks at the context. */
  private static Path checkpoint;

  private static CliRun run(List<String> args) {
    return CliRun.run(args.toArray(String[]::new));
  }

  @BeforeAll
  static void trainATinyRun() {
    Path dir = tmp.resolve("tiny");
    CliRun r = run(List.of("train", "ppo", "--env", "CartPole-v1", "--steps", "512", "--out", dir.toString(),
        "--no-progress", "--device", "cpu"));
    assertEquals(0, r.exit, r.err);
    checkpoint = dir.resolve("checkpoint.ckpt");
  }

  /** Each command's level-range option, with whatever else it requires. */
  static Stream<Arguments> levelOptions() {
    String ckpt = tmp.resolve("none.ckpt").toString();
    return Stream.of(
        Arguments.of(List.of("train", "ppo", "--env", ENV, "--out", tmp.resolve("p").toString()), "--levels"),
        Arguments.of(List.of("eval", "--checkpoint", ckpt, "--env", ENV), "--levels"),
        Arguments.of(List.of("collect", "--env", ENV, "--policy", "random", "--transitions", "1", "--dataset", "t/x-v0",
            "--root", tmp.toString()), "--levels"),
        Arguments.of(List.of("gap", "--checkpoint", ckpt, "--env", ENV), "--train-levels"),
        Arguments.of(List.of("gap", "--checkpoint", ckpt, "--env", ENV), "--test-levels"),
        Arguments.of(List.of("train", "bc", "--dataset", "t/x-v0", "--out", tmp.resolve("b").toString()), "--eval-levels"),
        Arguments.of(List.of("train", "cql", "--dataset", "t/x-v0", "--out", tmp.resolve("c").toString()), "--eval-levels"),
        Arguments.of(List.of("train", "bcq", "--dataset", "t/x-v0", "--out", tmp.resolve("q").toString()), "--eval-levels"),
        Arguments.of(List.of("train", "iql", "--dataset", "t/x-v0", "--out", tmp.resolve("i").toString()), "--eval-levels"));
  }

  private static List<String> with(List<String> args, String... more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(Arrays.asList(more));
    return all;
  }

  @ParameterizedTest
  @MethodSource("levelOptions")
  void everyLevelOptionTakesTheThreeForms(List<String> args, String option) {
    for (String form : new String[] {"10:60", "250:", "200"}) {
      ParseResult pr = Zeroshot.commandLine().parseArgs(with(args, option, form).toArray(String[]::new));
      while (pr.hasSubcommand()) {
        pr = pr.subcommand();
      }
      assertEquals(LevelRange.parse(form), pr.matchedOptionValue(option, null), args + " " + option + " " + form);
    }
  }

  @ParameterizedTest
  @MethodSource("levelOptions")
  void everyLevelOptionRefusesABadFormWithOneMessage(List<String> args, String option) {
    for (String bad : new String[] {"5:5", "a:b", "1:2:3", "-1:4"}) {
      CliRun r = run(with(args, option + "=" + bad));
      assertEquals(2, r.exit, r.out + r.err);
      assertTrue(r.err.contains("Invalid value for option '" + option + "': " + LevelRange.usage(bad)), r.err);
    }
  }

  /** Every command that takes --context, with whatever else it requires, on {@link #ENV}. */
  static Stream<List<String>> contextCommands() {
    return Stream.of(
        List.of("rollout", ENV, "--episodes", "1"),
        List.of("trace", ENV, "--out", tmp.resolve("t.jsonl").toString()),
        List.of("record", ENV, "--out", tmp.resolve("r.gif").toString()),
        List.of("play", ENV, "--frames", "0"),
        List.of("bench-ppo", "--env", ENV, "--steps", "256", "--seeds", "1"),
        List.of("collect", "--env", ENV, "--policy", "random", "--transitions", "1", "--dataset", "t/x-v0",
            "--root", tmp.toString()),
        List.of("eval", "--checkpoint", checkpoint.toString(), "--env", ENV),
        List.of("gap", "--checkpoint", checkpoint.toString(), "--env", ENV),
        List.of("train", "ppo", "--env", ENV, "--out", tmp.resolve("u").toString()));
  }

  @ParameterizedTest
  @MethodSource("contextCommands")
  void everyContextOptionRefusesAnUnknownFeatureAlike(List<String> args) {
    String expected = "error: unknown context feature 'bogus' for " + ENV + "; known features: "
        + EnvRegistry.builtin().spec(ENV).contextSpace().names();
    CliRun r = run(with(args, "--context", "max_maze_dim=9,bogus=1"));
    assertEquals(2, r.exit, r.out + r.err);
    assertEquals(expected, r.err.strip(), r.err);
  }

  @ParameterizedTest
  @MethodSource("contextCommands")
  void everyContextOptionRefusesBadSyntaxAlike(List<String> args) {
    CliRun r = run(with(args, "--context", "max_maze_dim"));
    assertEquals(2, r.exit, r.out + r.err);
    String message = "";
    try {
      ContextOverrides.parse("max_maze_dim");
    } catch (IllegalArgumentException e) {
      message = e.getMessage();
    }
    assertTrue(r.err.startsWith("Invalid value for option '--context': " + message), r.err);
  }
}
