package dev.zeroshot.env.control;

import dev.zeroshot.env.Env;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.space.Space;
import java.util.SplittableRandom;

/**
 * What the classic-control tasks share: a context that is re-read in full whenever it changes
 * (so no derived constant can go stale, the defect CARL inherits from Gymnasium's CartPole),
 * a seedable random stream, and the terminal flag.
 */
abstract class ControlEnv implements Env {

  private Context context;
  /** SplitMix64: fast, and the same sequence on every JVM for a given seed. */
  protected SplittableRandom random = new SplittableRandom();
  protected boolean terminated;
  /** Set by the subclass (in applyContext where bounds depend on the context). */
  protected Space observationSpace;
  protected Space actionSpace;

  protected ControlEnv(Context context) {
    setContext(context);
  }

  @Override
  public final Context context() {
    return context;
  }

  @Override
  public final void setContext(Context context) {
    this.context = context;
    applyContext(context);
  }

  /** Copies every feature's value into the fields the dynamics read. */
  protected abstract void applyContext(Context context);

  @Override
  public final Space observationSpace() {
    return observationSpace;
  }

  @Override
  public final Space actionSpace() {
    return actionSpace;
  }

  @Override
  public final void seed(long seed) {
    random = new SplittableRandom(seed);
  }

  @Override
  public final boolean terminated() {
    return terminated;
  }

  /** Uniform in [low, high), numpy's {@code uniform(low, high)}. */
  protected final double uniform(double low, double high) {
    return low + (high - low) * random.nextDouble();
  }
}
