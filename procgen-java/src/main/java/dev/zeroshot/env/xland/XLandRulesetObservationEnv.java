package dev.zeroshot.env.xland;

import dev.zeroshot.env.EnvWrapper;
import dev.zeroshot.env.LevelInfo;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Space;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The other setting: the ruleset visible. The observation is the view flattened (tile channel,
 * then colour channel, {@code 2 * view * view} values) followed by the episode's goal and rules in
 * XLand-MiniGrid's encoding ({@link RulesetCodec#encodeGoalAndRules}: 5 goal values, then
 * {@link RulesetCodec#MAX_RULES} rules of 7 values, unused slots zero), as its
 * {@code RulesAndGoalsObservationWrapper}, in one uint8 vector. Episodes are single, as {@link XLandEnv}'s.
 */
public final class XLandRulesetObservationEnv extends EnvWrapper<XLandEnv> implements LevelInfo {

  private final int viewBytes;
  private final Box observation;
  private Ruleset encoded;
  private byte[] encoding;

  public XLandRulesetObservationEnv(Context context, Layout layout, int width, int height, int view) {
    super(new XLandEnv(context, layout, width, height, view));
    this.viewBytes = 2 * view * view;
    int n = viewBytes + RulesetCodec.GOAL_LENGTH + RulesetCodec.MAX_RULES * RulesetCodec.RULE_LENGTH;
    double[] low = new double[n];
    double[] high = new double[n];
    Arrays.fill(high, 0, viewBytes, Tiles.NUM_TILES - 1);
    Arrays.fill(high, viewBytes, n, 255); // ids, tiles, colours and positions: bytes
    this.observation = new Box(low, high, new int[] {n}, DType.UINT8);
  }

  @Override
  public Space observationSpace() {
    return observation;
  }

  @Override
  public void reset(ByteBuffer obs, int obsOffset) {
    inner.reset(obs, obsOffset);
    if (inner.ruleset() != encoded) { // a new level: encode its ruleset once, copy it every step
      encoded = inner.ruleset();
      encoding = RulesetCodec.encodeGoalAndRules(encoded);
    }
    obs.put(obsOffset + viewBytes, encoding);
  }

  @Override
  public double step(ByteBuffer actions, int actionOffset, ByteBuffer obs, int obsOffset) {
    double reward = inner.step(actions, actionOffset, obs, obsOffset);
    obs.put(obsOffset + viewBytes, encoding);
    return reward;
  }

  @Override
  public long levelSeed() {
    return inner.levelSeed();
  }

  @Override
  public boolean levelComplete() {
    return inner.levelComplete();
  }

  /** The env of the view and the rules, for tests and renderers. */
  public XLandEnv episode() {
    return inner;
  }
}
