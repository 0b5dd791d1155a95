package dev.zeroshot.mbtl;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.zeroshot.agents.PpoConfig;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.mbtl.SweepSpec.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that decides a run-mode sweep's results (saved in {@code sweep.json}, so a resumed
 * sweep runs with exactly these).
 *
 * @param grid the N tasks
 * @param budget K, the trainings each strategy may spend (1..N)
 * @param strategies the strategies that train lazily, in order ({@link #LAZY})
 * @param withBaselines also train every task, which gives the whole matrix: independent training,
 *     the oracles, random ordering and the sample-efficiency ratio
 * @param seed PPO's seed (the same for every task) and the GP optimizer's
 * @param evalEpisodes episodes per target task in the zero-shot evaluation
 * @param evalSeed seed of the evaluation episodes (the same for every source and target)
 * @param low return normalized to 0
 * @param high return normalized to 1
 * @param theta a fixed gap slope, or null to fit it (mbtl-paper then uses 0.005)
 * @param ppo PPO's settings for every task; its {@code totalTimesteps} is the per-task budget S
 * @param multiTask also train one policy on all N tasks (round robin, N x S steps)
 * @param batch Q, the tasks the MBTL strategies pick per round and train side by side (1: sequential)
 */
public record SweepSettings(TaskGrid grid, int budget, List<String> strategies, boolean withBaselines, long seed,
                            int evalEpisodes, long evalSeed, double low, double high, Double theta, PpoConfig ppo,
                            boolean multiTask, int batch) {

  /** Sequential MBTL picks (Q = 1). */
  public SweepSettings(TaskGrid grid, int budget, List<String> strategies, boolean withBaselines, long seed,
                       int evalEpisodes, long evalSeed, double low, double high, Double theta, PpoConfig ppo,
                       boolean multiTask) {
    this(grid, budget, strategies, withBaselines, seed, evalEpisodes, evalSeed, low, high, theta, ppo, multiTask, 1);
  }

  /** Without the multi-task baseline. */
  public SweepSettings(TaskGrid grid, int budget, List<String> strategies, boolean withBaselines, long seed,
                       int evalEpisodes, long evalSeed, double low, double high, Double theta, PpoConfig ppo) {
    this(grid, budget, strategies, withBaselines, seed, evalEpisodes, evalSeed, low, high, theta, ppo, false);
  }

  /** Strategies that need only the rows of their own picks, so run mode can train them lazily. */
  public static final List<String> LAZY = List.of("mbtl", "mbtl-paper", "mbtl-ucb", "mbtl-ei", "gp-mbtl", "m-mbtl",
      "mgp-mbtl", "greedy",
      "equidistant-sweep");

  /**
   * Return bounds for normalization: the MBTL authors' for CartPole and Pendulum; for the other
   * classic-control tasks the reachable range (as {@code zeroshot eval}).
   */
  public static final Map<String, double[]> BOUNDS = Map.of(
      "CartPole-v1", new double[] {0, 500},
      "Pendulum-v1", new double[] {-2200, -500},
      "Acrobot-v1", new double[] {-500, 0},
      "MountainCar-v0", new double[] {-200, 0},
      // 0 = nobody ever waits; -9,000 ~ uniformly random phase requests at the highest inflow
      // (2,500 vehicles), measured with `zeroshot rollout TrafficSignal-v0 --context inflow=2500`
      "TrafficSignal-v0", new double[] {-9000, 0});

  public SweepSettings {
    strategies = List.copyOf(strategies);
    int n = grid.size();
    if (budget < 1 || budget > n) {
      throw new SweepSpec.Invalid(x -> x.of(Field.BUDGET) + " " + budget + " is out of range: with " + n
          + " tasks the budget K must be in 1.." + n);
    }
    if (strategies.isEmpty()) {
      throw new SweepSpec.Invalid(x -> x.of(Field.STRATEGIES) + " is empty; use some of: " + String.join(", ", LAZY));
    }
    for (String s : strategies) {
      if (!LAZY.contains(s)) {
        throw new SweepSpec.Invalid(x -> x.of(Field.STRATEGIES) + " '" + s + "' cannot run lazily; use some of: "
            + String.join(", ", LAZY) + " (" + x.of(Field.WITH_BASELINES) + " adds every other strategy, computed on "
            + "the whole matrix)");
      }
      if (!grid.more().isEmpty() && Strategies.LINE_ONLY.contains(s)) {
        throw new SweepSpec.Invalid(x -> x.of(Field.STRATEGIES) + " '" + s + "' is defined on a line of tasks only, "
            + "not on the grid " + grid.shape() + "; on a grid use mbtl, mbtl-paper, mbtl-ucb, mbtl-ei, gp-mbtl, m-mbtl, mgp-mbtl or greedy");
      }
    }
    Simulation.checkBatch(batch, budget, n, strategies);
    if (evalEpisodes < 1) {
      throw new SweepSpec.Invalid(x -> x.of(Field.EVAL_EPISODES) + " must be >= 1, got " + evalEpisodes);
    }
    if (!(high > low) || !Double.isFinite(low) || !Double.isFinite(high)) {
      throw new SweepSpec.Invalid(x -> x.of(Field.RETURN_RANGE) + ": return bounds need finite LOW < HIGH, got "
          + low + ":" + high);
    }
    if (theta != null && (!(theta >= 0) || theta.isInfinite())) {
      throw new SweepSpec.Invalid(x -> x.of(Field.THETA) + " must be finite and >= 0, got " + theta);
    }
    ppo = ppo.copy();
    ppo.envId = grid.envId();
    ppo.context = null;
    ppo.seed = seed;
    if (ppo.totalTimesteps < ppo.batchSize()) {
      String tooFew = ppo.totalTimesteps + " is less than one PPO batch (" + ppo.numEnvs + " envs x " + ppo.numSteps
          + " steps = " + ppo.batchSize() + ")";
      throw new SweepSpec.Invalid(x -> x.of(Field.STEPS_PER_TASK) + " " + tooFew);
    }
    ppo.validate();
  }

  /** These settings with the MBTL strategies picking {@code q} tasks per round. */
  public SweepSettings withBatch(int q) {
    return new SweepSettings(grid, budget, strategies, withBaselines, seed, evalEpisodes, evalSeed, low, high, theta,
        ppo, multiTask, q);
  }

  /** Number of tasks N (all grid points on a grid). */
  public int n() {
    return grid.size();
  }

  public long stepsPerTask() {
    return ppo.totalTimesteps;
  }

  /** The return bounds of {@code envId}, or null if none is known. */
  public static double[] bounds(String envId) {
    double[] b = BOUNDS.get(envId);
    return b == null ? null : b.clone();
  }

  /** The PPO preset the env's spaces call for (as {@code zeroshot train ppo}), on the CPU, S steps. */
  public static PpoConfig preset(EnvSpec spec, long stepsPerTask) {
    var probe = spec.make(spec.contextSpace().defaults());
    boolean image = probe.observationSpace() instanceof Box b && b.dtype() == DType.UINT8;
    PpoConfig c = image ? PpoConfig.procgen()
        : probe.actionSpace() instanceof Discrete ? PpoConfig.controlDiscrete() : PpoConfig.controlContinuous();
    c.envId = spec.id();
    c.totalTimesteps = stepsPerTask;
    c.device = "cpu";
    return c;
  }

  /** The options object the strategies share. */
  public Strategies.Options strategyOptions() {
    return new Strategies.Options(theta, 1.0, seed, 100, 42, batch);
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("env", grid.envId());
    o.addProperty("feature", grid.feature());
    o.addProperty("from", grid.from());
    o.addProperty("to", grid.to());
    o.addProperty("tasks", grid.n());
    if (!grid.more().isEmpty()) { // a grid: the further features (the first is feature/from/to/tasks)
      JsonArray more = new JsonArray();
      for (TaskGrid.Axis a : grid.more()) {
        JsonObject x = new JsonObject();
        x.addProperty("feature", a.feature());
        x.addProperty("from", a.from());
        x.addProperty("to", a.to());
        x.addProperty("tasks", a.n());
        more.add(x);
      }
      o.add("moreFeatures", more);
    }
    o.addProperty("budget", budget);
    o.addProperty("stepsPerTask", stepsPerTask());
    JsonArray s = new JsonArray();
    strategies.forEach(s::add);
    o.add("strategies", s);
    o.addProperty("withBaselines", withBaselines);
    o.addProperty("seed", seed);
    o.addProperty("evalEpisodes", evalEpisodes);
    o.addProperty("evalSeed", evalSeed);
    o.addProperty("low", low);
    o.addProperty("high", high);
    o.add("theta", theta == null ? JsonNull.INSTANCE : new JsonPrimitive(theta));
    o.add("ppo", com.google.gson.JsonParser.parseString(ppo.toJson()));
    o.addProperty("multiTask", multiTask);
    if (batch > 1) { // absent: sequential (sweeps saved before batches existed read back unchanged)
      o.addProperty("batch", batch);
    }
    return o;
  }

  public static SweepSettings fromJson(JsonObject o) {
    List<TaskGrid.Axis> more = new ArrayList<>();
    if (o.has("moreFeatures")) {
      for (com.google.gson.JsonElement e : o.getAsJsonArray("moreFeatures")) {
        JsonObject x = e.getAsJsonObject();
        more.add(new TaskGrid.Axis(x.get("feature").getAsString(), x.get("from").getAsDouble(),
            x.get("to").getAsDouble(), x.get("tasks").getAsInt()));
      }
    }
    TaskGrid grid = new TaskGrid(o.get("env").getAsString(), o.get("feature").getAsString(),
        o.get("from").getAsDouble(), o.get("to").getAsDouble(), o.get("tasks").getAsInt(), more);
    List<String> strategies = new ArrayList<>();
    o.getAsJsonArray("strategies").forEach(e -> strategies.add(e.getAsString()));
    PpoConfig ppo = PpoConfig.fromJson(o.get("ppo").toString());
    SweepSettings s = new SweepSettings(grid, o.get("budget").getAsInt(), strategies,
        o.get("withBaselines").getAsBoolean(), o.get("seed").getAsLong(), o.get("evalEpisodes").getAsInt(),
        o.get("evalSeed").getAsLong(), o.get("low").getAsDouble(), o.get("high").getAsDouble(),
        o.get("theta").isJsonNull() ? null : o.get("theta").getAsDouble(), ppo,
        o.has("multiTask") && o.get("multiTask").getAsBoolean(), o.has("batch") ? o.get("batch").getAsInt() : 1);
    if (s.stepsPerTask() != o.get("stepsPerTask").getAsLong()) {
      throw new IllegalArgumentException("sweep settings disagree: stepsPerTask " + o.get("stepsPerTask")
          + " vs the PPO config's " + s.stepsPerTask());
    }
    return s;
  }

  /** One line for logs. */
  public String describe() {
    return String.format(Locale.ROOT, "%s, %s, N = %d tasks, K = %d, %,d steps per task, strategies %s%s",
        grid.envId(), grid.describe(), grid.size(), budget, stepsPerTask(),
        String.join(",", strategies), (withBaselines ? " + baselines (every task trained)" : "")
            + (multiTask ? " + a multi-task policy" : "") + (batch > 1 ? ", MBTL picks " + batch + " per round" : ""));
  }
}
