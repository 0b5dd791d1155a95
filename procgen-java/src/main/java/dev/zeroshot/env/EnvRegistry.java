package dev.zeroshot.env;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.control.ControlSuite;
import dev.zeroshot.env.procgen.ProcgenSuite;
import dev.zeroshot.env.xland.XLandSuite;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Env ids to specs, as Gymnasium's registry. {@link #builtin()} holds every env Zeroshot
 * ships; the server, the agents and the command line all make envs through it.
 */
public final class EnvRegistry {

  private static final EnvRegistry BUILTIN = createBuiltin();

  private final Map<String, EnvSpec> specs = new LinkedHashMap<>();

  /** The registry of every env Zeroshot ships. */
  public static EnvRegistry builtin() {
    return BUILTIN;
  }

  private static EnvRegistry createBuiltin() {
    EnvRegistry r = new EnvRegistry();
    ControlSuite.registerAll(r);
    ProcgenSuite.registerAll(r);
    XLandSuite.registerAll(r);
    return r;
  }

  public synchronized void register(EnvSpec spec) {
    if (specs.putIfAbsent(spec.id(), spec) != null) {
      throw new IllegalArgumentException("env id '" + spec.id() + "' is already registered");
    }
  }

  /** All specs in registration order. */
  public synchronized List<EnvSpec> specs() {
    return Collections.unmodifiableList(new ArrayList<>(specs.values()));
  }

  /** The spec of {@code id}; an unknown id's error lists other versions of it or all ids. */
  public synchronized EnvSpec spec(String id) {
    EnvSpec spec = specs.get(id);
    if (spec != null) {
      return spec;
    }
    List<String> versions = new ArrayList<>();
    String base = id.replaceFirst("-v\\d+$", "");
    for (EnvSpec s : specs.values()) {
      if (s.baseName().equalsIgnoreCase(base)) {
        versions.add(s.id());
      }
    }
    if (!versions.isEmpty()) {
      throw new IllegalArgumentException("unknown env id " + Echo.quote(id) + "; did you mean " + String.join(" or ", versions) + "?");
    }
    throw new IllegalArgumentException("unknown env id " + Echo.quote(id) + "; registered: " + String.join(", ", specs.keySet()));
  }

  /** A single env with its registered time limit, in {@code context}. */
  public GymEnv make(String id, Context context) {
    EnvSpec spec = spec(id);
    return new GymEnv(spec.make(context), spec.maxEpisodeSteps());
  }

  /** A single env in the default context. */
  public GymEnv make(String id) {
    EnvSpec spec = spec(id);
    return make(id, spec.contextSpace().defaults());
  }

  /** A vector env builder for {@code id}. */
  public VectorEnv.Builder vector(String id) {
    return VectorEnv.builder(spec(id));
  }
}
