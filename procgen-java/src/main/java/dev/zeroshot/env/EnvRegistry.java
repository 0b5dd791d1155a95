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
    if (versions.isEmpty()) {
      versions = nearIds(id);
    }
    if (!versions.isEmpty()) {
      throw new IllegalArgumentException("unknown env id " + Echo.quote(id) + "; did you mean " + String.join(" or ", versions) + "?");
    }
    throw new IllegalArgumentException("unknown env id " + Echo.quote(id) + "; registered: " + idList());
  }

  /** The registered ids, cut after about 1,000 characters so an error stays readable (and short on the wire). */
  private String idList() {
    StringBuilder out = new StringBuilder();
    int listed = 0;
    for (String id : specs.keySet()) {
      if (out.length() + id.length() > 1_000) {
        return out + ", ... (" + (specs.size() - listed) + " more; 'zeroshot envs' lists them all)";
      }
      out.append(listed++ == 0 ? "" : ", ").append(id);
    }
    return out.toString();
  }

  /**
   * Ids a typo or a short name most likely meant: those whose name (without namespace and
   * version) or whole id is within a few edits of {@code id}'s, closest first, at most three.
   */
  private List<String> nearIds(String id) {
    String typed = id.toLowerCase(java.util.Locale.ROOT);
    String typedName = typed.replaceFirst("^.*/", "").replaceFirst("-v\\d+$", "");
    int allowed = Math.max(2, typed.length() / 4);
    Map<String, Integer> near = new LinkedHashMap<>();
    for (String candidate : specs.keySet()) {
      String c = candidate.toLowerCase(java.util.Locale.ROOT);
      String name = c.replaceFirst("^.*/", "").replaceFirst("-v\\d+$", "");
      int d = Math.min(editDistance(typed, c), editDistance(typedName, name));
      if (d <= allowed) {
        near.put(candidate, d);
      }
    }
    return near.entrySet().stream().sorted(Map.Entry.comparingByValue()).limit(3).map(Map.Entry::getKey).toList();
  }

  /** Levenshtein distance: the fewest insertions, deletions and substitutions from a to b. */
  static int editDistance(String a, String b) {
    int[] row = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      row[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int diagonal = row[0];
      row[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int above = row[j];
        row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length()];
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
