package dev.zeroshot.cli;

import dev.zeroshot.env.xland.XLandBenchmark;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zeroshot xland benchmark}: write a named XLand benchmark file. */
@Command(name = "xland", mixinStandardHelpOptions = true,
    description = "XLand grid worlds: write a named benchmark of rulesets as a file.",
    subcommands = {XLandCommand.Benchmark.class, CommandLine.HelpCommand.class})
final class XLandCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code zeroshot xland benchmark --name trivial --size 1000 --seed 0 --out FILE [--split N]}: the
   * rulesets of levels [seed, seed + size) of a named benchmark, generated here (never downloaded).
   */
  @Command(name = "benchmark", mixinStandardHelpOptions = true,
      description = "Generate a named benchmark (trivial, small, medium, high): the rulesets of levels "
          + "[seed, seed + size), written as a file; --split N also writes the first N and the rest apart.")
  static final class Benchmark implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--name", required = true, description = "trivial, small, medium or high")
    String name;

    @Option(names = "--size", description = "number of rulesets (default: ${DEFAULT-VALUE})")
    int size = 1000;

    @Option(names = "--seed", description = "the first level (ruleset seed) (default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--out", required = true, description = "the file to write")
    Path out;

    @Option(names = "--split", description = "also write OUT.train (the first N rulesets) and OUT.test (the rest)")
    Integer split;

    @Override
    public Integer call() throws IOException {
      XLandBenchmark.generator(name); // an unknown name fails before any work
      if (split != null && (split < 1 || split >= size)) {
        throw new IllegalArgumentException("--split " + split + " must be in [1, " + (size - 1) + "] for --size " + size);
      }
      XLandBenchmark b = XLandBenchmark.generate(name, size, seed);
      b.write(out);
      PrintWriter console = spec.commandLine().getOut();
      int number = List.copyOf(XLandBenchmark.NAMES.keySet()).indexOf(name) + 1;
      console.printf("wrote %s: %s, %d rulesets, levels %d:%d (an env plays them with --context benchmark=%d"
          + " --levels %d:%d)%n", out, name, size, seed, seed + size, number, seed, seed + size);
      if (split != null) {
        List<XLandBenchmark> parts = b.split(split);
        String[] suffix = {".train", ".test"};
        for (int i = 0; i < 2; i++) {
          Path file = Path.of(out + suffix[i]);
          XLandBenchmark part = parts.get(i);
          part.write(file);
          console.printf("wrote %s: %d rulesets, levels %d:%d%n", file, part.size(), part.firstLevel(),
              part.firstLevel() + part.size());
        }
      }
      console.flush();
      return 0;
    }
  }
}
