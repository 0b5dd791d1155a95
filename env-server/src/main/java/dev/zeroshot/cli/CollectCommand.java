package dev.zeroshot.cli;

import dev.zeroshot.agents.ProgressBars;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.GymEnv;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.LevelRange;
import dev.zeroshot.offline.CollectionPolicy;
import dev.zeroshot.offline.Collector;
import dev.zeroshot.offline.DatasetId;
import dev.zeroshot.offline.DatasetInfo;
import dev.zeroshot.offline.DatasetWriter;
import dev.zeroshot.offline.Planners;
import dev.zeroshot.offline.ProcgenScores;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zeroshot collect}: rolls a policy (a checkpoint, random actions, or a planner expert)
 * over a level range and writes a Minari-loadable dataset, episode by episode.
 */
@Command(name = "collect", mixinStandardHelpOptions = true,
    description = {"Collect a Minari-loadable offline dataset (arrow, one file per episode) by rolling a policy.",
        "gen_dgrl's datasets: \"expert\" is a final PPO checkpoint (or --policy planner); \"mixed\" is expert "
            + "episodes and those of a checkpoint of about 75%% of expert return, collected apart and joined with "
            + "'zeroshot dataset mix'; \"suboptimal\" is a PPO run's whole training, written by "
            + "'zeroshot train ppo --record-dataset'. The metadata records the policy, checkpoint (path and SHA-256), "
            + "epsilon and seed."})
final class CollectCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--env", required = true, description = "environment id, e.g. procgen/maze-easy-v0 or CartPole-v1")
  String envId;

  @Mixin
  LevelsOption levelsOption;

  @Mixin
  ContextOption context;

  @Option(names = "--policy", required = true, paramLabel = "CHECKPOINT|random|planner",
      description = "a checkpoint file or run folder (PPO or offline), 'random', or 'planner' (the env's expert that "
          + "reads its internal state: procgen maze and heist, CartPole)")
  String policy;

  @Option(names = "--epsilon", description = "probability of a uniformly random action per step (default: ${DEFAULT-VALUE})")
  double epsilon = 0;

  @Option(names = "--transitions", required = true, description = "steps the dataset holds when done (whole episodes; "
      + "the last may overshoot); with --append, the steps already there count")
  long transitions;

  @Option(names = "--dataset", required = true, paramLabel = "NAMESPACE/NAME-vN", description = "the Minari dataset id")
  String dataset;

  @Mixin
  DatasetsRootOption root;

  @Option(names = "--append", description = "add episodes to an existing dataset until it holds --transitions steps "
      + "(e.g. to complete an interrupted collection)")
  boolean append;

  @Mixin
  NumEnvsOption numEnvs = new NumEnvsOption(8);

  @Option(names = "--seed", description = "seed of the envs and the policy's sampling (default: ${DEFAULT-VALUE})")
  long seed = 1;

  @Option(names = "--device", description = "cpu, gpu or auto, for checkpoint policies (default: ${DEFAULT-VALUE})")
  String device = "cpu";

  @Mixin
  ProgressOption progress;

  @Override
  public Integer call() throws IOException {
    EnvSpec envSpec = EnvRegistry.builtin().spec(envId);
    DatasetId id = DatasetId.parse(dataset);
    Path dir = id.dataDir(root.dir());
    LevelRange levels = levelsOption.range;
    Context ctx = context.resolve(envSpec, levels);
    CollectionPolicy base;
    String policyName;
    Path ckptFile = null;
    if (policy.equals("random")) {
      base = CollectionPolicy.random();
    } else if (policy.equals("planner")) {
      base = Planners.forEnv(envId);
    } else {
      Path ckpt = Path.of(policy);
      if (!Files.exists(ckpt)) {
        throw new IllegalArgumentException("--policy must be a checkpoint, 'random' or 'planner'; " + policy + " does not exist");
      }
      base = CheckpointPolicy.collection(CheckpointPolicy.load(ckpt, envSpec, device), "checkpoint(" + ckpt + ")");
      ckptFile = CheckpointPolicy.file(ckpt);
    }
    CollectionPolicy pol = CollectionPolicy.epsilonMixed(base, epsilon);
    policyName = pol.name();
    GymEnv probe = EnvRegistry.builtin().make(envId, ctx);
    double[] ref = ProcgenScores.range(envId);
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put(DatasetInfo.ENV_ID, envId);
    if (levels != null) {
      extra.put(DatasetInfo.LEVELS, levels.toString());
    }
    extra.put(DatasetInfo.CONTEXT, context.overrides.toString());
    extra.put(DatasetInfo.POLICY, policyName);
    extra.put(DatasetInfo.EPSILON, Double.toString(epsilon));
    extra.put(DatasetInfo.SEED, Long.toString(seed));
    if (ckptFile != null) {
      extra.put(DatasetInfo.CHECKPOINT, ckptFile.toAbsolutePath().normalize().toString());
      extra.put(DatasetInfo.CHECKPOINT_SHA256, sha256(ckptFile));
    }
    String description = String.format(Locale.ROOT, "%s on %s%s, %s, collected by zeroshot collect (seed %d)",
        policyName, envId, levels == null ? "" : " levels " + levels, context.overrides.isEmpty() ? "default context" : context.overrides, seed);
    DatasetInfo info = new DatasetInfo(id, probe.observationSpace(), probe.actionSpace(), policyName, description,
        ref == null ? null : ref[0], ref == null ? null : ref[1], extra);
    PrintWriter w = spec.commandLine().getOut();
    Collector collector = new Collector(envId, ctx, numEnvs.value, seed);
    Path created = append ? null : firstMissing(dir); // what a failed new collection removes again
    try (DatasetWriter writer = append ? DatasetWriter.open(dir) : DatasetWriter.create(dir, info)) {
      // --transitions is the dataset's total: an append completes it (docs/offline.md, "Collection")
      long wanted = transitions - writer.steps();
      if (append) {
        w.printf("appending to %s (%d episodes, %d steps so far)%n", dir, writer.episodes(), writer.steps());
        if (wanted <= 0) {
          w.printf("dataset %s already holds %,d transitions, at least --transitions %,d: nothing to collect%n", id,
              writer.steps(), transitions);
          w.flush();
          return 0;
        }
      }
      w.printf("collecting %,d transitions of %s%s with %s into %s%s%n", wanted, envId,
          levels == null ? "" : " (levels " + levels + ")", policyName, dir,
          append ? String.format(Locale.ROOT, " (to %,d in all)", transitions) : "");
      w.flush();
      ProgressBar bar = progress.on() ? ProgressBars.onStderr("collect", wanted).showSpeed().build() : null;
      Collector.Result r;
      try {
        r = collector.collect(pol, wanted, writer, (steps, eps, mean) -> {
          if (bar != null) {
            bar.stepTo(Math.min(steps, wanted));
            bar.setExtraMessage(String.format(Locale.ROOT, " %d episodes | mean return %.2f", eps, mean));
          }
        }, () -> false);
      } finally {
        if (bar != null) {
          bar.close();
        }
      }
      double norm = ProcgenScores.normalize(envId, r.meanReturn());
      w.printf(Locale.ROOT, "wrote %d episodes, %,d transitions in %.1f s (%,.0f steps/s): return mean %.3f min %.3f "
              + "max %.3f%s%n", r.episodes(), r.steps(), r.seconds(), r.steps() / r.seconds(), r.meanReturn(),
          r.minReturn(), r.maxReturn(), Double.isNaN(norm) ? "" : String.format(Locale.ROOT, " (normalized %.3f)", norm));
      w.printf("dataset %s at %s%n", id, dir);
      w.flush();
    } catch (IOException | RuntimeException e) {
      if (created != null) { // never leave a stub that blocks the next run (and that Minari lists as empty)
        deleteTree(created);
      }
      throw e;
    }
    return 0;
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] b = new byte[1 << 16];
      for (int n; (n = in.read(b)) > 0; ) {
        md.update(b, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every Java platform has SHA-256
    }
  }

  /** The outermost folder of {@code dir}'s path that does not exist yet, or null if it exists. */
  private static Path firstMissing(Path dir) {
    Path missing = null;
    for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
      missing = p;
    }
    return missing;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
