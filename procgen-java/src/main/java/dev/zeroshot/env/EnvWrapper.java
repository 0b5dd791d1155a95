package dev.zeroshot.env;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.space.Space;
import java.nio.ByteBuffer;

/**
 * An env around another, as Gymnasium's {@code Wrapper}: every call goes to {@link #inner} unless
 * a subclass overrides it (an observation wrapper overrides the observation space, reset and step).
 */
public abstract class EnvWrapper<E extends Env> implements Env {

  protected final E inner;

  protected EnvWrapper(E inner) {
    this.inner = inner;
  }

  @Override
  public Space observationSpace() {
    return inner.observationSpace();
  }

  @Override
  public Space actionSpace() {
    return inner.actionSpace();
  }

  @Override
  public Context context() {
    return inner.context();
  }

  @Override
  public void setContext(Context context) {
    inner.setContext(context);
  }

  @Override
  public void seed(long seed) {
    inner.seed(seed);
  }

  @Override
  public void reset(ByteBuffer obs, int obsOffset) {
    inner.reset(obs, obsOffset);
  }

  @Override
  public double step(ByteBuffer actions, int actionOffset, ByteBuffer obs, int obsOffset) {
    return inner.step(actions, actionOffset, obs, obsOffset);
  }

  @Override
  public boolean terminated() {
    return inner.terminated();
  }
}
