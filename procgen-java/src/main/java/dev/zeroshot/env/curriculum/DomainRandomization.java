package dev.zeroshot.env.curriculum;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

/** Domain randomization: every level drawn uniformly from the level space; feedback changes nothing. */
public final class DomainRandomization implements Curriculum {

  private final LevelSpace space;
  private final CurriculumRandom rng;
  private final HandedOut handedOut = new HandedOut();
  private long nextId;

  DomainRandomization(LevelSpace space, long seed) {
    this.space = space;
    this.rng = new CurriculumRandom(seed);
  }

  @Override
  public Pick next() {
    long id = nextId++;
    Pick p = new Pick(id, space.random(rng), false, true);
    handedOut.add(id, p.level(), false);
    return p;
  }

  @Override
  public void update(long levelId, Feedback feedback) {
    handedOut.check(levelId);
    handedOut.take(levelId);
  }

  /** DR reads no score; value_l1 is what a learner computes by default. */
  @Override
  public ScoreFunction scoreFunction() {
    return ScoreFunction.VALUE_L1;
  }

  @Override
  public double bestReturn(long levelId) {
    return Double.NaN;
  }

  @Override
  public LevelSpace space() {
    return space;
  }

  @Override
  public String name() {
    return "dr";
  }

  @Override
  public Map<String, String> settings() {
    return Map.of();
  }

  @Override
  public void write(DataOutputStream out) throws IOException {
    rng.write(out);
    out.writeLong(nextId);
  }

  @Override
  public void read(DataInputStream in) throws IOException {
    rng.read(in);
    nextId = in.readLong();
    handedOut.clear();
  }
}
