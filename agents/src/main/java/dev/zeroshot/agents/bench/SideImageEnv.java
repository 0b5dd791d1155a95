package dev.zeroshot.agents.bench;

import dev.zeroshot.env.Env;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.context.ContextSpace;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.env.space.Space;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic image task for testing and timing image learners before (or besides) the
 * Procgen games: each step shows a uint8 channel-first image of noise with one bright square,
 * in the left or the right half; action 0 says "left", 1 "right"; reward 1 when right, 0
 * otherwise; 10 steps per episode. A random policy scores 5, a perfect one 10, and only the
 * pixels tell which is which.
 */
public final class SideImageEnv implements Env {

  public static final int EPISODE_STEPS = 10;

  public static final ContextSpace CONTEXT = new ContextSpace("SideImage-v0", List.of(
      new ContextFeature("noise", 64, 0, 255, "amplitude of the background noise")));

  /** The spec of a {@code size} x {@code size} version (64 is Procgen's frame size). */
  public static EnvSpec spec(int size) {
    if (size < 8 || size > 256) {
      throw new IllegalArgumentException("image size must be in [8, 256], got " + size);
    }
    return new EnvSpec("synthetic/SideImage" + size + "-v0", "bright square on the left or the right",
        CONTEXT, c -> new SideImageEnv(c, size), EPISODE_STEPS, 9.5);
  }

  private Context context;
  private final int size;
  private int noise;
  private final Space observationSpace;
  private final Space actionSpace = new Discrete(2);
  private SplittableRandom random = new SplittableRandom();
  private int side;
  private int t;

  public SideImageEnv(Context context, int size) {
    this.size = size;
    this.observationSpace = Box.uniform(0, 255, new int[] {3, size, size}, DType.UINT8);
    setContext(context);
  }

  @Override
  public Space observationSpace() {
    return observationSpace;
  }

  @Override
  public Space actionSpace() {
    return actionSpace;
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public void setContext(Context context) {
    this.context = context;
    this.noise = (int) context.get("noise");
  }

  @Override
  public void seed(long seed) {
    random = new SplittableRandom(seed);
  }

  @Override
  public void reset(ByteBuffer obs, int obsOffset) {
    t = 0;
    draw(obs, obsOffset);
  }

  @Override
  public double step(ByteBuffer actions, int actionOffset, ByteBuffer obs, int obsOffset) {
    long a = actions.getLong(actionOffset);
    double reward = a == side ? 1 : 0;
    t++;
    draw(obs, obsOffset);
    return reward;
  }

  @Override
  public boolean terminated() {
    return t >= EPISODE_STEPS;
  }

  private void draw(ByteBuffer obs, int off) {
    side = random.nextInt(2);
    int plane = size * size;
    for (int i = 0; i < 3 * plane; i++) {
      obs.put(off + i, (byte) (noise == 0 ? 0 : random.nextInt(noise + 1)));
    }
    int sq = Math.max(2, size / 4);
    int x0 = side == 0 ? random.nextInt(size / 2 - sq + 1) : size / 2 + random.nextInt(size / 2 - sq + 1);
    int y0 = random.nextInt(size - sq + 1);
    for (int y = y0; y < y0 + sq; y++) {
      for (int x = x0; x < x0 + sq; x++) {
        obs.put(off + plane + y * size + x, (byte) 255); // the green channel
      }
    }
  }
}
