package dev.zeroshot.agents;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;
import java.util.Map;

/**
 * PPO's settings, named as CleanRL names them. {@link #controlDiscrete()} is CleanRL's
 * {@code ppo.py}, {@link #controlContinuous()} its {@code ppo_continuous_action.py}, and
 * {@link #procgen()} the Procgen paper's (lr 5e-4, 64 envs x 256 steps, 3 epochs,
 * 8 minibatches, gamma 0.999, lambda 0.95, clip 0.2, entropy 0.01).
 */
public final class PpoConfig {

  public String envId = "CartPole-v1";
  /**
   * The env's context (of {@link #envId}'s space); null: the env's defaults, or for a multi-task
   * run the contexts its env sampler gives. Not a Gson field: written and read by {@link #toJson}
   * and {@link #fromJson}, which need {@link #envId} to know the space.
   */
  public transient Context context;
  public long totalTimesteps = 500_000;
  public long seed = 1;
  public int numEnvs = 4;
  public int numSteps = 128;
  public double learningRate = 2.5e-4;
  public boolean annealLr = true;
  public double gamma = 0.99;
  public double gaeLambda = 0.95;
  public int numMinibatches = 4;
  public int updateEpochs = 4;
  public boolean normAdv = true;
  public double clipCoef = 0.2;
  public boolean clipVloss = true;
  public double entCoef = 0.01;
  public double vfCoef = 0.5;
  public double maxGradNorm = 0.5;
  /** Stop an update's epochs early when the approximate KL exceeds this (0 = never, CleanRL's None). */
  public double targetKl = 0;
  public double adamEps = 1e-5;
  /** Gymnasium's NormalizeObservation plus a clip to [-10, 10] (continuous control in CleanRL). */
  public boolean normObs = false;
  /** Gymnasium's NormalizeReward plus a clip to [-10, 10]. */
  public boolean normReward = false;
  /** {@code mlp}, {@code impala}, or {@code gru} (a recurrent policy: trained by {@link RecurrentPpo}). */
  public String model = "mlp";
  /** MLP widths, IMPALA stack channels followed by the fc width, or GRU: encoder widths then the state size. */
  public int[] hidden = {64, 64};
  /** torch intra-op threads (1 for small nets on a 2-core machine). */
  public int torchThreads = 1;
  /** Threads stepping the envs (in-process envs only; the procgen preset: one per core). */
  public int envThreads = 1;
  public String device = "auto";
  /**
   * The overlapped rollout: the envs in two halves, the policy acting on one while the other
   * steps (in-process envs only; see {@link HalvedVectorEnv}). Still exactly on-policy.
   */
  public boolean overlap = false;
  /**
   * 0: on-policy (the default). 1: the update on batch N runs on a second thread while batch N+1
   * is collected with the weights from before that update, so the data is one update old (PPO's
   * ratio uses the log-probabilities recorded at collection). See docs/agents.md.
   */
  public int policyLag = 0;
  /** Episodes in the moving window of "recent return". */
  public int returnWindow = 20;
  /**
   * The curriculum choosing each episode's level ({@code dr}, {@code plr}, {@code robust-plr},
   * {@code accel}, {@code sfl}; null: none, every episode in {@link #context}), its {@code k=v,...}
   * options, and the context features it varies ({@code length=0.1:2.0,...}; Procgen level seeds
   * come from the context's level range). See {@code dev.zeroshot.env.curriculum.Curricula}.
   */
  public String curriculum;
  public String curriculumOptions;
  public String curriculumFeatures;
  /** The return at which an episode counts as a success (SFL's p; null: the env's solved return). */
  public Double successReturn;

  /** CleanRL {@code ppo.py}: discrete control (CartPole). */
  public static PpoConfig controlDiscrete() {
    return new PpoConfig();
  }

  /** CleanRL {@code ppo_continuous_action.py}: Box control (Pendulum, MountainCarContinuous). */
  public static PpoConfig controlContinuous() {
    PpoConfig c = new PpoConfig();
    c.totalTimesteps = 1_000_000;
    c.learningRate = 3e-4;
    c.numEnvs = 1;
    c.numSteps = 2048;
    c.numMinibatches = 32;
    c.updateEpochs = 10;
    c.entCoef = 0.0;
    c.normObs = true;
    c.normReward = true;
    return c;
  }

  /** The Procgen paper's PPO with the IMPALA CNN (CleanRL {@code ppo_procgen.py} for the rest). */
  public static PpoConfig procgen() {
    PpoConfig c = new PpoConfig();
    c.totalTimesteps = 25_000_000;
    c.learningRate = 5e-4;
    c.numEnvs = 64;
    c.numSteps = 256;
    c.numMinibatches = 8;
    c.updateEpochs = 3;
    c.gamma = 0.999;
    c.gaeLambda = 0.95;
    c.entCoef = 0.01;
    c.normReward = true;
    c.model = "impala";
    c.hidden = new int[] {16, 32, 32, 256};
    // 2 threads run the CNN ~1.6x faster on an idle 2-core machine, but ~20x slower when other
    // processes hold the cores (OpenMP spin-waits); 1 is the safe default, --threads 2 opts in.
    c.torchThreads = 1;
    // Pixel games are costly enough per step that stepping them on every core pays (results do
    // not depend on the pool size); the control presets keep 1: a 4-env CartPole step takes a
    // few microseconds, less than handing it to another thread.
    c.envThreads = Runtime.getRuntime().availableProcessors();
    return c;
  }

  public int batchSize() {
    return numEnvs * numSteps;
  }

  /** Checks every value; throws with the field's name and the allowed range. */
  public PpoConfig validate() {
    check(totalTimesteps > 0, "total timesteps must be > 0, got " + totalTimesteps);
    check(numEnvs >= 1, "num-envs must be >= 1, got " + numEnvs);
    check(numSteps >= 1, "num-steps must be >= 1, got " + numSteps);
    check(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be > 0, got " + learningRate);
    check(gamma >= 0 && gamma <= 1, "gamma must be in [0, 1], got " + gamma);
    check(gaeLambda >= 0 && gaeLambda <= 1, "gae lambda must be in [0, 1], got " + gaeLambda);
    check(numMinibatches >= 1 && numMinibatches <= batchSize(), "num-minibatches must be in [1, " + batchSize() + "], got " + numMinibatches);
    check(updateEpochs >= 1, "update epochs must be >= 1, got " + updateEpochs);
    check(clipCoef > 0, "clip coef must be > 0, got " + clipCoef);
    check(entCoef >= 0, "ent coef must be >= 0, got " + entCoef);
    check(vfCoef >= 0, "vf coef must be >= 0, got " + vfCoef);
    check(maxGradNorm > 0, "max grad norm must be > 0, got " + maxGradNorm);
    check(model.equals("mlp") || model.equals("impala") || model.equals("gru"), "model must be mlp, impala or gru, got " + model);
    check(!model.equals("gru") || numMinibatches <= numEnvs, "a recurrent policy's minibatches hold whole envs' "
        + "sequences: num-minibatches (" + numMinibatches + ") must be at most num-envs (" + numEnvs + ")");
    check(!model.equals("gru") || curriculum == null, "a recurrent policy (gru) does not train with a curriculum yet "
        + "(--curriculum " + curriculum + "): drop one of the two");
    check(!model.equals("gru") || (!overlap && policyLag == 0), "a recurrent policy (gru) is trained on the "
        + "sequential rollout only: --overlap and --policy-lag are not built for it; drop one of the two");
    check(torchThreads >= 0, "torch threads must be >= 0, got " + torchThreads);
    check(envThreads >= 1, "env threads must be >= 1, got " + envThreads);
    check(policyLag == 0 || policyLag == 1, "policy lag must be 0 (on-policy) or 1 (learn on batch N while "
        + "collecting N+1 with the weights from before that update), got " + policyLag);
    check(!overlap || numEnvs >= 2, "the overlapped rollout splits the envs in two halves: num-envs must be >= 2, got " + numEnvs);
    check(returnWindow >= 1, "return window must be >= 1, got " + returnWindow);
    check(curriculum == null || dev.zeroshot.env.curriculum.Curricula.NAMES.contains(curriculum),
        "curriculum must be one of " + dev.zeroshot.env.curriculum.Curricula.NAMES + ", got " + curriculum);
    check(successReturn == null || Double.isFinite(successReturn), "success return must be a finite number, got " + successReturn);
    check(context == null || context.space().equals(Envs.spec(envId).contextSpace()),
        "the context is " + (context == null ? "" : context.space().owner()) + "'s, not " + envId + "'s");
    return this;
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

  /** Pretty JSON; the context, when set, as an object of every feature right after {@code envId}. */
  public String toJson() {
    JsonObject fields = GSON.toJsonTree(this).getAsJsonObject();
    JsonObject o = new JsonObject();
    for (Map.Entry<String, JsonElement> e : fields.entrySet()) {
      o.add(e.getKey(), e.getValue());
      if (e.getKey().equals("envId") && context != null) {
        o.add("context", JsonParser.parseString(context.toJson()));
      }
    }
    // written only when on, so the configs of runs without them (sweep files, checkpoints made
    // before the options existed) read and write back byte for byte
    if (!overlap) {
      o.remove("overlap");
    }
    if (policyLag == 0) {
      o.remove("policyLag");
    }
    return GSON.toJson(o);
  }

  /**
   * Reads {@link #toJson}'s form; a context written as text ({@code "k=v,..."}, as run folders
   * and checkpoints before the typed context hold it) reads too, and so does an empty one.
   */
  public static PpoConfig fromJson(String json) {
    JsonElement root;
    try {
      root = JsonParser.parseString(json);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("PPO config does not parse: " + e.getMessage());
    }
    if (root == null || !root.isJsonObject()) {
      throw new IllegalArgumentException("empty PPO config");
    }
    JsonObject o = root.getAsJsonObject().deepCopy();
    JsonElement context = o.remove("context");
    PpoConfig c = GSON.fromJson(o, PpoConfig.class);
    if (context != null && !context.isJsonNull()) {
      ContextSpace space = Envs.spec(c.envId).contextSpace();
      if (context.isJsonPrimitive()) {
        String text = context.getAsString();
        c.context = text.isBlank() ? null : space.parse(text);
      } else {
        c.context = Context.fromJson(space, context.toString());
      }
    }
    return c.validate();
  }

  public PpoConfig copy() {
    return fromJson(toJson());
  }
}
