package dev.zeroshot.env.context;

import dev.zeroshot.env.Echo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The context features an environment declares, in a fixed order, plus optional rules that tie
 * features together (e.g. a lower initial-state bound below the upper one). It is the only way
 * to make a {@link Context}, so every context that exists has been validated.
 */
public final class ContextSpace {

  private final String owner;
  private final List<ContextFeature> features;
  private final Map<String, Integer> index = new HashMap<>();
  private final List<Function<Context, String>> rules;

  /**
   * @param owner what the features belong to, for messages (an env id)
   * @param features the features, in the order their values are stored
   * @param rules cross-feature checks; each returns null when satisfied or a message
   */
  public ContextSpace(String owner, List<ContextFeature> features, List<Function<Context, String>> rules) {
    this.owner = owner;
    this.features = List.copyOf(features);
    for (int i = 0; i < this.features.size(); i++) {
      if (index.put(this.features.get(i).name(), i) != null) {
        throw new IllegalArgumentException(owner + " declares context feature '" + this.features.get(i).name() + "' twice");
      }
    }
    this.rules = List.copyOf(rules);
  }

  public ContextSpace(String owner, List<ContextFeature> features) {
    this(owner, features, List.of());
  }

  public String owner() {
    return owner;
  }

  /** The same features and rules under another owner (a variant of an env, e.g. its symbolic id). */
  public ContextSpace withOwner(String newOwner) {
    return new ContextSpace(newOwner, features, rules);
  }

  public List<ContextFeature> features() {
    return features;
  }

  public int size() {
    return features.size();
  }

  /** Index of a feature; throws naming the known features if there is none such. */
  public int indexOf(String name) {
    Integer i = index.get(name);
    if (i == null) {
      throw new IllegalArgumentException("unknown context feature " + Echo.quote(name) + " for " + owner
          + "; known features: " + names());
    }
    return i;
  }

  public ContextFeature feature(String name) {
    return features.get(indexOf(name));
  }

  public List<String> names() {
    List<String> names = new ArrayList<>();
    for (ContextFeature f : features) {
      names.add(f.name());
    }
    return Collections.unmodifiableList(names);
  }

  /** The context with every feature at its default. */
  public Context defaults() {
    double[] v = new double[features.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = features.get(i).defaultValue();
    }
    return of(v);
  }

  /** Defaults overridden by {@code values}; validates every name, bound and rule. */
  public Context with(Map<String, Double> values) {
    return defaults().with(values);
  }

  /**
   * Parses {@code "name=value,name=value"} (whitespace allowed, empty string = defaults) on top
   * of the defaults ({@link ContextOverrides#parse}, then {@link ContextOverrides#resolve}).
   */
  public Context parse(String spec) {
    return ContextOverrides.parse(spec).resolve(this);
  }

  /** Makes a context from values in feature order, validating bounds and rules. */
  Context of(double[] values) {
    if (values.length != features.size()) {
      throw new IllegalArgumentException(owner + " has " + features.size() + " context features, got "
          + values.length + " values");
    }
    for (int i = 0; i < values.length; i++) {
      String problem = features.get(i).check(values[i]);
      if (problem != null) {
        throw new IllegalArgumentException(problem + " (" + owner + ")");
      }
    }
    Context c = new Context(this, values.clone());
    for (Function<Context, String> rule : rules) {
      String problem = rule.apply(c);
      if (problem != null) {
        throw new IllegalArgumentException(problem + " (" + owner + ", context " + c + ")");
      }
    }
    return c;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (ContextFeature f : features) {
      sb.append(String.format("%-22s default %-12s %s  %s%n", f.name(), f.format(f.defaultValue()),
          f.range(), f.description()));
    }
    return sb.toString();
  }
}
