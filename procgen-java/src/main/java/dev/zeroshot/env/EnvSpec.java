package dev.zeroshot.env;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registered environment: its id ({@code [namespace/]name-vN}, Gymnasium's form), how to make
 * it from a context, its context features and its time limit.
 *
 * @param maxEpisodeSteps the time limit Gymnasium registers (0 = none)
 * @param rewardThreshold the return at which the task counts as solved, or null
 */
public record EnvSpec(
    String id,
    String description,
    ContextSpace contextSpace,
    Function<Context, Env> factory,
    int maxEpisodeSteps,
    Double rewardThreshold) {

  /** Gymnasium's ENV_ID_RE. */
  static final Pattern ID = Pattern.compile("^(?:(?<namespace>[\\w:-]+)/)?(?:(?<name>[\\w:.-]+?))(?:-v(?<version>\\d+))?$");

  public EnvSpec {
    Matcher m = ID.matcher(id);
    if (!m.matches() || m.group("version") == null) {
      throw new IllegalArgumentException("env id '" + id + "' must look like [namespace/]Name-vN");
    }
    if (maxEpisodeSteps < 0) {
      throw new IllegalArgumentException("maxEpisodeSteps must be >= 0 (0 = no limit), got " + maxEpisodeSteps);
    }
  }

  /** The id without its version suffix ({@code CartPole} for {@code CartPole-v1}). */
  public String baseName() {
    Matcher m = ID.matcher(id);
    m.matches();
    String ns = m.group("namespace");
    return (ns == null ? "" : ns + "/") + m.group("name");
  }

  /** Makes the raw env in {@code context} (a context of this spec's space). */
  public Env make(Context context) {
    if (context.space() != contextSpace) {
      throw new IllegalArgumentException("context of " + context.space().owner() + " given to " + id);
    }
    return factory.apply(context);
  }

  /**
   * Makes the env with the named context features appended to its observation
   * (CARL's visible context; an empty list leaves the context hidden).
   */
  public Env make(Context context, List<String> visibleContext) {
    Env env = make(context);
    return visibleContext.isEmpty() ? env : new ContextObservationEnv(env, visibleContext);
  }
}
