package dev.zeroshot.env;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Space;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Makes some context features visible: appends their current values (float32) to a float32
 * vector observation, as CARL's {@code obs_context_features} does for vector states. The
 * appended bounds are the features' bounds.
 */
final class ContextObservationEnv extends EnvWrapper<Env> {

  private final int[] featureIndex;
  private final int innerBytes;
  private final Box observationSpace;

  ContextObservationEnv(Env inner, List<String> visible) {
    super(inner);
    if (!(inner.observationSpace() instanceof Box box) || box.dtype() != DType.FLOAT32 || box.shape().length != 1) {
      throw new IllegalArgumentException("visible context needs a float32 vector observation; "
          + inner.context().space().owner() + " observes " + inner.observationSpace());
    }
    this.innerBytes = box.byteSize();
    this.featureIndex = new int[visible.size()];
    int n = box.elementCount();
    double[] low = new double[n + visible.size()];
    double[] high = new double[n + visible.size()];
    for (int i = 0; i < n; i++) {
      low[i] = box.low(i);
      high[i] = box.high(i);
    }
    for (int k = 0; k < visible.size(); k++) {
      featureIndex[k] = inner.context().space().indexOf(visible.get(k));
      ContextFeature f = inner.context().space().features().get(featureIndex[k]);
      low[n + k] = f.lower();
      high[n + k] = f.upper();
    }
    this.observationSpace = Box.float32(low, high);
  }

  @Override
  public Space observationSpace() {
    return observationSpace;
  }

  @Override
  public void reset(ByteBuffer obs, int obsOffset) {
    inner.reset(obs, obsOffset);
    writeContext(obs, obsOffset);
  }

  @Override
  public double step(ByteBuffer actions, int actionOffset, ByteBuffer obs, int obsOffset) {
    double r = inner.step(actions, actionOffset, obs, obsOffset);
    writeContext(obs, obsOffset);
    return r;
  }

  private void writeContext(ByteBuffer obs, int obsOffset) {
    Context c = inner.context();
    for (int k = 0; k < featureIndex.length; k++) {
      obs.putFloat(obsOffset + innerBytes + 4 * k, (float) c.get(featureIndex[k]));
    }
  }

}
