package dev.zeroshot.cli;

import dev.zeroshot.agents.Envs;
import dev.zeroshot.agents.PpoConfig;
import dev.zeroshot.agents.PpoRun;
import dev.zeroshot.client.ClientSecurity;
import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.client.ServerTarget;
import dev.zeroshot.client.SpreadVectorEnv;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.VectorEnvApi;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.offline.DatasetId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zeroshot train ppo}: PPO with CleanRL's defaults for the task's kind (discrete
 * control: ppo.py; continuous control: ppo_continuous_action.py; images: the Procgen paper's),
 * any of which the options override. Writes a run folder; {@code --resume DIR} continues one.
 */
@Command(name = "ppo", mixinStandardHelpOptions = true,
    description = "Train PPO and write config.json, metrics.csv, checkpoint.ckpt and learning_curve.png to --out.")
final class TrainPpoCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--env", description = "environment id, e.g. CartPole-v1 (see 'zeroshot envs'), or synthetic/SideImage64-v0")
  String envId;

  @Mixin
  ContextOption context;

  @Mixin
  LevelsOption levels;

  @Option(names = "--steps", description = "total env steps (default: the preset's)")
  Long steps;

  @Option(names = "--seed", description = "seed of the envs, the weights and the sampling (default: ${DEFAULT-VALUE})")
  long seed = 1;

  @Option(names = "--out", description = "run folder to create")
  Path out;

  @Option(names = "--resume", paramLabel = "DIR", description = "continue the run in DIR from its checkpoint")
  Path resume;

  @Option(names = "--server", paramLabel = "HOST:PORT", description = "train on envs served by 'zeroshot serve' instead of "
      + "in-process; several servers as HOST1:PORT1,HOST2:PORT2 or dns:///NAME:PORT (the envs are split into "
      + "sessions that gRPC's round_robin spreads over them; see --sessions)")
  String server;

  @Option(names = "--sessions", paramLabel = "K", description = "with --server: split the envs into K sessions on one "
      + "channel, stepped together (default: one per server that --server names, at most --num-envs)")
  Integer sessions;

  @Mixin
  DeviceOption device = new DeviceOption("auto");

  @Option(names = "--preset", description = "control-discrete, control-continuous or procgen (default: chosen from the env's spaces)")
  String preset;

  @Option(names = "--num-envs", description = "envs stepped together")
  Integer numEnvs;

  @Option(names = "--num-steps", description = "steps per env per rollout")
  Integer numSteps;

  @Option(names = "--lr", description = "Adam learning rate")
  Double lr;

  @Option(names = "--minibatches", description = "minibatches per epoch")
  Integer minibatches;

  @Option(names = "--epochs", description = "epochs per update")
  Integer epochs;

  @Option(names = "--ent-coef", description = "entropy bonus coefficient")
  Double entCoef;

  @Option(names = "--model", description = "mlp or impala")
  String model;

  @Option(names = "--hidden", split = ",", description = "MLP widths, or IMPALA channels then fc width (e.g. 16,32,32,256), "
      + "or with --recurrent the encoder widths then the GRU's state size (default 64,64; 128 alone: a GRU of 128 on "
      + "the observation)")
  int[] hidden;

  @Option(names = "--recurrent", paramLabel = "CORE", description = "a recurrent policy: gru (a GRU core carrying a "
      + "state per env, trained with backpropagation through the rollout; vector or flattened uint8 observations)")
  String recurrent;

  @Option(names = "--threads", description = "torch intra-op threads (default: 1; 2 runs the CNN ~1.6x faster on an idle 2-core machine but much slower on a busy one)")
  Integer threads;

  @Option(names = "--curriculum", paramLabel = "NAME", description = "choose every episode's level with a curriculum: "
      + "dr, plr, robust-plr, accel or sfl (levels: the --levels seeds of a Procgen game and/or --curriculum-features)")
  String curriculum;

  @Option(names = "--curriculum-opt", paramLabel = "K=V,...", description = "the curriculum's settings on top of its "
      + "preset, e.g. temperature=0.3,staleness=0.3 (docs/curricula.md lists them)")
  String curriculumOptions;

  @Option(names = "--curriculum-features", paramLabel = "F[=LOW:HIGH],...", description = "context features the "
      + "curriculum varies, e.g. length=0.1:2.0 (a feature without a range uses its bounds)")
  String curriculumFeatures;

  @Option(names = "--success-return", paramLabel = "R", description = "the return at which an episode counts as a "
      + "success for SFL (default: the env's solved return, or Procgen's R_max)")
  Double successReturn;

  @Option(names = "--env-threads", description = "threads stepping the in-process envs (default: 1 for control, "
      + "one per core for procgen)")
  Integer envThreads;

  @Option(names = "--overlap", description = "overlapped rollout: the policy acts on one half of the envs while the "
      + "other half steps (in-process envs; exactly on-policy, see docs/agents.md)")
  boolean overlap;

  @Option(names = "--policy-lag", paramLabel = "0|1", description = "1: learn on batch N on a second thread while "
      + "collecting batch N+1 with the weights from before that update (off-policy by one update; default: "
      + "${DEFAULT-VALUE}, on-policy; see docs/agents.md)")
  int policyLag = 0;

  @Option(names = "--record-dataset", paramLabel = "NAMESPACE/NAME-vN", description = "write every episode the run's envs "
      + "finish, as it ends, to this new Minari dataset (under --root): gen_dgrl's \"suboptimal\" data, a PPO run's whole "
      + "training; a new run only (not with --resume or --overlap)")
  String recordDataset;

  @Mixin
  DatasetsRootOption datasetsRoot;

  @Option(names = "--checkpoint-every", description = "updates between checkpoints (default: ${DEFAULT-VALUE})")
  int checkpointEvery = 50;

  @Mixin
  ProgressOption progress;

  @picocli.CommandLine.ArgGroup(exclusive = false, heading = "With --server, a protected server:%n")
  ClientSecurityOption security = new ClientSecurityOption();

  @Override
  public Integer call() throws IOException {
    PrintWriter w = spec.commandLine().getOut();
    PpoRun.Options opt = new PpoRun.Options();
    opt.checkpointEvery = checkpointEvery;
    opt.progressBar = progress.on();
    opt.device = device.name;
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException("--checkpoint-every must be >= 1, got " + checkpointEvery);
    }
    String target = server;
    if (sessions != null && target == null) {
      throw new IllegalArgumentException("--sessions splits the envs of --server; give --server HOST:PORT[,HOST:PORT...]");
    }
    if (overlap && target != null) {
      throw new IllegalArgumentException("--overlap splits in-process envs in two halves; it does not work with --server");
    }
    Function<PpoConfig, VectorEnvApi> served = target == null ? Envs::forTraining : cfg -> remote(target, security.security(), sessions, cfg, w);
    DatasetRecording recording = null;
    if (recordDataset != null) {
      if (resume != null) { // the episodes after its checkpoint are written already: a resumed run would add them twice
        throw new IllegalArgumentException("--record-dataset records a run from its start; it does not work with --resume "
            + "(start a new run to record one)");
      }
      if (overlap) {
        throw new IllegalArgumentException("--record-dataset records the steps of one vector env; it does not work with "
            + "--overlap (two halves)");
      }
      recording = new DatasetRecording(DatasetId.parse(recordDataset), datasetsRoot.dir(), out,
          levels.range == null ? null : levels.range.toString(), served);
    }
    Function<PpoConfig, VectorEnvApi> envs = recording == null ? served : recording::open;
    PpoRun.Result r;
    Path dir;
    if (resume != null) {
      if (out != null || envId != null) {
        throw new IllegalArgumentException("--resume DIR continues the run as configured; drop --out and --env");
      }
      dir = resume;
      r = whileSayingWhereToResume(dir, () -> PpoRun.resume(resume, envs, opt, steps));
    } else {
      if (envId == null || out == null) {
        throw new IllegalArgumentException("--env and --out are required (or --resume DIR)");
      }
      dir = out;
      PpoConfig cfg = config();
      if (target != null) {
        sessionCount(target, sessions, cfg.numEnvs); // a bad --sessions is refused before the run folder exists
      }
      long batch = cfg.batchSize();
      if (cfg.totalTimesteps % batch != 0) { // PPO trains whole batches only
        long batches = cfg.totalTimesteps / batch;
        w.printf(Locale.ROOT, "steps: %d rounded down to %d (%d whole batch%s of %d = %d envs x %d steps)%n",
            cfg.totalTimesteps, batches * batch, batches, batches == 1 ? "" : "es", batch, cfg.numEnvs, cfg.numSteps);
        w.flush();
      }
      try {
        r = whileSayingWhereToResume(dir, () -> PpoRun.train(cfg, out, envs, opt));
      } finally {
        if (recording != null) {
          recording.close();
        }
      }
      if (recording != null) {
        w.printf(Locale.ROOT, "recorded %d episodes, %,d transitions into dataset %s at %s%n", recording.episodes(),
            recording.steps(), recordDataset, recording.dataDir());
      }
    }
    w.printf(Locale.ROOT, "done: %d steps in %d updates, %.1f s (%.0f steps/s), recent mean return %.2f%n",
        r.globalStep(), r.updates(), r.seconds(), r.stepsPerSecond(), r.recentReturn());
    if (r.firstStepAtTarget() >= 0) {
      w.printf(Locale.ROOT, "reached the solved return first at step %d (%.1f s)%n", r.firstStepAtTarget(), r.secondsAtTarget());
    }
    w.printf("run folder: %s%n", dir.toAbsolutePath());
    w.flush();
    return 0;
  }

  private PpoConfig config() {
    EnvSpec envSpec = Envs.spec(envId);
    Context ctx = context.resolve(envSpec, levels.range); // a bad context is refused before anything starts
    String p = preset;
    if (p == null) {
      var probe = envSpec.make(envSpec.contextSpace().defaults());
      boolean image = probe.observationSpace() instanceof Box b && b.dtype() == DType.UINT8;
      p = image ? "procgen" : probe.actionSpace() instanceof Discrete ? "control-discrete" : "control-continuous";
    }
    PpoConfig cfg = switch (p) {
      case "control-discrete" -> PpoConfig.controlDiscrete();
      case "control-continuous" -> PpoConfig.controlContinuous();
      case "procgen" -> PpoConfig.procgen();
      default -> throw new IllegalArgumentException("--preset must be control-discrete, control-continuous or procgen, got " + p);
    };
    cfg.envId = envId;
    cfg.context = ctx;
    cfg.seed = seed;
    cfg.device = device.name;
    if (steps != null) {
      cfg.totalTimesteps = steps;
    }
    if (numEnvs != null) {
      cfg.numEnvs = numEnvs;
    }
    if (numSteps != null) {
      cfg.numSteps = numSteps;
    }
    if (lr != null) {
      cfg.learningRate = lr;
    }
    if (minibatches != null) {
      cfg.numMinibatches = minibatches;
    }
    if (epochs != null) {
      cfg.updateEpochs = epochs;
    }
    if (entCoef != null) {
      cfg.entCoef = entCoef;
    }
    if (model != null) {
      cfg.model = model;
      if (hidden == null) {
        cfg.hidden = model.equals("impala") ? new int[] {16, 32, 32, 256} : new int[] {64, 64};
      }
    }
    if (recurrent != null) {
      if (!recurrent.equals("gru")) {
        throw new IllegalArgumentException("--recurrent must be gru (an LSTM core is not built), got " + recurrent);
      }
      if (model != null) {
        throw new IllegalArgumentException("--recurrent gru is the model: drop --model " + model);
      }
      cfg.model = "gru";
      cfg.hidden = new int[] {64, 64};
    }
    if (hidden != null) {
      cfg.hidden = hidden;
    }
    if (threads != null) {
      cfg.torchThreads = threads;
    }
    if (envThreads != null) {
      cfg.envThreads = envThreads;
    }
    cfg.overlap = overlap;
    cfg.policyLag = policyLag;
    if (curriculum == null && (curriculumOptions != null || curriculumFeatures != null || successReturn != null)) {
      throw new IllegalArgumentException("--curriculum-opt, --curriculum-features and --success-return need --curriculum "
          + String.join("|", dev.zeroshot.env.curriculum.Curricula.NAMES));
    }
    if (curriculum != null) {
      cfg.curriculum = curriculum;
      cfg.curriculumOptions = curriculumOptions;
      cfg.curriculumFeatures = curriculumFeatures;
      cfg.successReturn = successReturn;
      cfg.validate();
      Envs.curriculum(cfg); // bad options or levels are refused before the run folder exists
    }
    if (cfg.totalTimesteps > 0 && cfg.totalTimesteps < cfg.batchSize()) {
      throw new IllegalArgumentException("--steps " + cfg.totalTimesteps + " is less than one batch of "
          + cfg.batchSize() + " steps (" + cfg.numEnvs + " envs x " + cfg.numSteps + " steps, --num-envs x "
          + "--num-steps): PPO trains whole batches; give --steps " + cfg.batchSize() + " or more");
    }
    if (cfg.batchSize() < cfg.numMinibatches) {
      throw new IllegalArgumentException("batch of " + cfg.batchSize() + " steps is smaller than " + cfg.numMinibatches + " minibatches");
    }
    return cfg.validate();
  }

  private interface Training {
    PpoRun.Result run() throws IOException;
  }

  /** Runs the training; if the process is stopped meanwhile (SIGTERM, Ctrl-C), says where to resume from. */
  private PpoRun.Result whileSayingWhereToResume(Path dir, Training training) throws IOException {
    Path ckpt = dir.resolve(PpoRun.CHECKPOINT);
    Thread hook = new Thread(() -> System.err.println(Files.exists(ckpt)
        ? "stopped: the last checkpoint is " + ckpt + " (written every " + checkpointEvery + " updates); "
            + "zeroshot train ppo --resume " + dir + " continues from it"
        : "stopped before the first checkpoint (written every " + checkpointEvery + " updates): nothing to resume in "
            + dir), "train-stopped");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return training.run();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: it says where to resume
      }
    }
  }

  /**
   * The same vector env, served by Zeroshot servers (the agent cannot tell, except by speed):
   * one session, or with several sessions a {@link SpreadVectorEnv} whose placement is printed.
   */
  static VectorEnvApi remote(String target, Integer sessions, PpoConfig cfg, PrintWriter w) {
    return remote(target, ClientSecurity.NONE, sessions, cfg, w);
  }

  /** The same, reaching the servers with TLS and/or a token as {@code security} says. */
  static VectorEnvApi remote(String target, ClientSecurity security, Integer sessions, PpoConfig cfg, PrintWriter w) {
    RemoteVectorEnv.Builder b = RemoteVectorEnv.builder(target, cfg.envId).security(security).numEnvs(cfg.numEnvs)
        .context(Envs.context(cfg).toMap());
    int k = sessionCount(target, sessions, cfg.numEnvs);
    if (cfg.curriculum != null) { // the server's session runs it; its state stays there
      if (k != 1) {
        throw new IllegalArgumentException("--curriculum over --server needs one session (--sessions 1): a "
            + "curriculum lives in one session");
      }
      java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
      if (cfg.curriculumOptions != null && !cfg.curriculumOptions.isBlank()) {
        for (String kv : cfg.curriculumOptions.split(",")) {
          String[] p = kv.split("=", 2);
          options.put(p[0].strip(), p.length == 2 ? p[1].strip() : "");
        }
      }
      b.curriculum(cfg.curriculum, options, cfg.curriculumFeatures, Envs.curriculumSeed(cfg));
    }
    if (k == 1) {
      RemoteVectorEnv env = b.build();
      w.println("data plane: " + env.dataPlane());
      w.flush();
      return env;
    }
    SpreadVectorEnv spread = b.buildSpread(k);
    w.println("sessions: " + spread.placement());
    w.flush();
    return spread;
  }

  /** --sessions, checked, or by default one session per server the target names (at most one per env). */
  private static int sessionCount(String target, Integer sessions, int numEnvs) {
    if (sessions == null) {
      return Math.min(ServerTarget.parse(target).servers(), numEnvs);
    }
    if (sessions < 1 || sessions > numEnvs) {
      throw new IllegalArgumentException("--sessions must be in 1.." + numEnvs + " (one or more of the "
          + numEnvs + " envs each), got " + sessions);
    }
    return sessions;
  }
}
