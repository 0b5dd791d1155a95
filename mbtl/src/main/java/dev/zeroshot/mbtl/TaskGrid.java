package dev.zeroshot.mbtl;

import dev.zeroshot.agents.Envs;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.context.ContextSampler;
import java.util.List;

/**
 * Run mode's N tasks: the env's default context with one feature set to N evenly spaced values
 * from {@code from} to {@code to} inclusive ({@link ContextSampler#grid}, numpy's linspace), so
 * task i is index i and distances are index differences, as in the authors' code.
 */
public record TaskGrid(String envId, String feature, double from, double to, int n) {

  /** Checks the env, the feature and the range; every error names the allowed values. */
  public TaskGrid {
    if (envId == null || envId.isBlank()) {
      throw new IllegalArgumentException("--env is required");
    }
    EnvSpec spec = Envs.spec(envId); // unknown ids: the registry's message lists the known ones
    if (feature == null || feature.isBlank()) {
      throw new IllegalArgumentException("--feature is required; " + envId + "'s context features: "
          + spec.contextSpace().names());
    }
    ContextFeature f = spec.contextSpace().feature(feature); // unknown: names the known features
    if (!Double.isFinite(from) || !Double.isFinite(to) || !(from < to)) {
      throw new IllegalArgumentException("--range A:B needs finite A < B, got " + from + ":" + to);
    }
    for (double end : new double[] {from, to}) {
      String problem = f.check(end);
      if (problem != null) {
        throw new IllegalArgumentException("--range " + from + ":" + to + ": " + problem);
      }
    }
    if (n < 2) {
      throw new IllegalArgumentException("--tasks must be >= 2, got " + n);
    }
  }

  public EnvSpec spec() {
    return Envs.spec(envId);
  }

  /** The feature's value at task {@code i}. */
  public double value(int i) {
    return contexts().get(i).get(feature);
  }

  /** The N contexts, task 0 first. */
  public List<Context> contexts() {
    EnvSpec spec = spec();
    return ContextSampler.grid(spec.contextSpace().defaults(), feature, from, to, n);
  }

  /** Task {@code i}'s value for people: {@code feature=value} with 4 significant digits. */
  public String label(int i) {
    return feature + "=" + new java.math.BigDecimal(value(i)).round(new java.math.MathContext(4)).stripTrailingZeros()
        .toPlainString();
  }

  /** Task {@code i}'s context as {@code feature=value} (the value printed so that it parses back exactly). */
  public String contextString(int i) {
    return feature + "=" + value(i);
  }
}
