package dev.zeroshot.agents;

import dev.zeroshot.env.Env;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.context.ContextSpace;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.env.space.Space;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A task that needs memory (test only): the first observation shows a cue, left {@code [1, 0]}
 * or right {@code [0, 1]}; the next {@code delay} observations are blank {@code [0, 0]}; the
 * action taken on the last of them earns 1 if it names the cue (0 left, 1 right), and ends the
 * episode. Every other action earns nothing. A policy without memory sees the same blank
 * observation whichever the cue was, so it earns 0.5 per episode at best; one that remembers the
 * cue earns 1.
 */
final class CueEnv implements Env {

  static final ContextSpace CONTEXT = new ContextSpace("synthetic/Cue-v0", List.of(
      new ContextFeature("delay", 3, 1, 20, "blank steps between the cue and the answer")));

  static final EnvSpec SPEC = new EnvSpec("synthetic/Cue-v0", "remember a cue over blank steps", CONTEXT,
      CueEnv::new, 0, null);

  private final Space observationSpace = Box.float32(new double[] {0, 0}, new double[] {1, 1});
  private final Space actionSpace = new Discrete(2);
  private Context context;
  private int delay;
  private SplittableRandom random = new SplittableRandom();
  private int cue;
  private int t;
  private boolean done;

  CueEnv(Context context) {
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
    this.delay = (int) context.get("delay");
  }

  @Override
  public void seed(long seed) {
    random = new SplittableRandom(seed);
  }

  @Override
  public void reset(ByteBuffer obs, int obsOffset) {
    cue = random.nextInt(2);
    t = 0;
    done = false;
    obs.putFloat(obsOffset, cue == 0 ? 1 : 0);
    obs.putFloat(obsOffset + 4, cue == 1 ? 1 : 0);
  }

  @Override
  public double step(ByteBuffer actions, int actionOffset, ByteBuffer obs, int obsOffset) {
    long a = actions.getLong(actionOffset);
    t++;
    obs.putFloat(obsOffset, 0);
    obs.putFloat(obsOffset + 4, 0);
    if (t > delay) {
      done = true;
      return a == cue ? 1 : 0;
    }
    return 0;
  }

  @Override
  public boolean terminated() {
    return done;
  }
}
