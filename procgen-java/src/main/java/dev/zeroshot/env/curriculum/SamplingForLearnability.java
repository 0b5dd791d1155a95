package dev.zeroshot.env.curriculum;

import dev.zeroshot.env.context.Context;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sampling For Learnability (Rutherford et al. 2024): keep the levels of highest learnability
 * p (1 - p), p = the current policy's success rate on the level, and train on a mix of those and
 * fresh levels.
 *
 * <p>Rounds: a round draws {@code candidates} random levels; the fresh share of the picks
 * ({@code 1 - buffer-share}) hands them out in turn until each has {@code candidate-episodes}
 * reported episodes, which give its p. Then the {@code buffer-size} candidates of highest
 * learnability (ties: the earlier drawn) replace the buffer, from which the other share of picks
 * is drawn uniformly, and a new round starts. The paper estimates p with separate rollouts of the
 * policy (2,000 steps per candidate); here the candidates' episodes are the fresh half of the
 * training mix, so no env steps are spent outside training.
 */
public final class SamplingForLearnability implements Curriculum {

  /** Every setting, by option name (defaults: the paper's, but candidate-episodes, chosen here). */
  public static final class Settings {
    public int bufferSize = 1000;
    public int candidates = 25_000;
    public int candidateEpisodes = 4;
    public double bufferShare = 0.5;

    static final String KNOWN = "buffer-size, candidates, candidate-episodes, buffer-share";

    void apply(Options o) {
      bufferSize = o.integer("buffer-size", bufferSize, 1, 10_000_000);
      candidates = o.integer("candidates", candidates, 1, 10_000_000);
      candidateEpisodes = o.integer("candidate-episodes", candidateEpisodes, 1, 1_000_000);
      bufferShare = o.number("buffer-share", bufferShare, 0, 1);
      o.requireAllUsed(KNOWN);
    }

    Map<String, String> asMap() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("buffer-size", Integer.toString(bufferSize));
      m.put("candidates", Integer.toString(candidates));
      m.put("candidate-episodes", Integer.toString(candidateEpisodes));
      m.put("buffer-share", Double.toString(bufferShare));
      return m;
    }
  }

  private final Settings s;
  private final LevelSpace space;
  private final CurriculumRandom rng;
  private final HandedOut handedOut = new HandedOut();
  private final List<Long> bufferIds = new ArrayList<>();
  private final List<Context> bufferLevels = new ArrayList<>();
  private long[] candidateIds;
  private Context[] candidateLevels;
  private int[] handedCount;
  private int[] plays;
  private int[] successes;
  private final Map<Long, Integer> candidateIndex = new HashMap<>();
  private int cursor;
  private int candidatesDone; // candidates with all their episodes reported
  private long nextId;
  private int rounds;

  SamplingForLearnability(Settings settings, LevelSpace space, long seed) {
    this.s = settings;
    this.space = space;
    this.rng = new CurriculumRandom(seed);
    newRound();
  }

  private void newRound() {
    int n = s.candidates;
    candidateIds = new long[n];
    candidateLevels = new Context[n];
    handedCount = new int[n];
    plays = new int[n];
    successes = new int[n];
    candidateIndex.clear();
    for (int i = 0; i < n; i++) {
      candidateIds[i] = nextId++;
      candidateLevels[i] = space.random(rng);
      candidateIndex.put(candidateIds[i], i);
    }
    cursor = 0;
    candidatesDone = 0;
  }

  @Override
  public Pick next() {
    if (!bufferIds.isEmpty() && rng.nextDouble() < s.bufferShare) {
      int k = rng.nextInt(bufferIds.size());
      handedOut.add(bufferIds.get(k), bufferLevels.get(k), true);
      return new Pick(bufferIds.get(k), bufferLevels.get(k), true, true);
    }
    int n = candidateIds.length;
    int c = cursor;
    for (int t = 0; t < n && handedCount[c] >= s.candidateEpisodes; t++) {
      c = (c + 1) % n;
    }
    // when every candidate has its episodes out already, the one at the cursor plays once more
    cursor = (c + 1) % n;
    handedCount[c]++;
    handedOut.add(candidateIds[c], candidateLevels[c], false);
    return new Pick(candidateIds[c], candidateLevels[c], false, true);
  }

  @Override
  public void update(long levelId, Feedback feedback) {
    handedOut.check(levelId);
    handedOut.take(levelId);
    Integer c = candidateIndex.get(levelId);
    if (c == null) {
      return; // a buffer level, or a candidate of an earlier round
    }
    plays[c]++;
    if (feedback.success()) {
      successes[c]++;
    }
    if (plays[c] == s.candidateEpisodes && ++candidatesDone == candidateIds.length) {
      endRound();
    }
  }

  /** The top {@code buffer-size} candidates by learnability become the buffer. */
  private void endRound() {
    int n = candidateIds.length;
    Integer[] order = new Integer[n];
    double[] learn = new double[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      learn[i] = learnability(successes[i], plays[i]);
    }
    java.util.Arrays.sort(order, (a, b) -> learn[a] != learn[b] ? Double.compare(learn[b], learn[a]) : Integer.compare(a, b));
    bufferIds.clear();
    bufferLevels.clear();
    for (int r = 0; r < Math.min(s.bufferSize, n); r++) {
      bufferIds.add(candidateIds[order[r]]);
      bufferLevels.add(candidateLevels[order[r]]);
    }
    rounds++;
    newRound();
  }

  /** p (1 - p) for {@code successes} of {@code plays} episodes (0 for none played). */
  public static double learnability(int successes, int plays) {
    if (plays == 0) {
      return 0;
    }
    double p = (double) successes / plays;
    return p * (1 - p);
  }

  @Override
  public ScoreFunction scoreFunction() {
    return ScoreFunction.LEARNABILITY;
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
    return "sfl";
  }

  @Override
  public Map<String, String> settings() {
    return s.asMap();
  }

  /** The buffer's levels, highest learnability first (for tests and reports). */
  public List<Context> buffer() {
    return List.copyOf(bufferLevels);
  }

  /** Rounds finished so far. */
  public int rounds() {
    return rounds;
  }

  @Override
  public void write(DataOutputStream out) throws IOException {
    rng.write(out);
    out.writeLong(nextId);
    out.writeInt(rounds);
    out.writeInt(bufferIds.size());
    for (int i = 0; i < bufferIds.size(); i++) {
      out.writeLong(bufferIds.get(i));
      out.writeUTF(bufferLevels.get(i).toJson());
    }
    out.writeInt(candidateIds.length);
    for (int i = 0; i < candidateIds.length; i++) {
      out.writeLong(candidateIds[i]);
      out.writeUTF(candidateLevels[i].toJson());
      out.writeInt(plays[i]);
      out.writeInt(successes[i]);
    }
    out.writeInt(cursor);
  }

  @Override
  public void read(DataInputStream in) throws IOException {
    var cs = space.base().space();
    rng.read(in);
    nextId = in.readLong();
    rounds = in.readInt();
    int b = in.readInt();
    if (b < 0 || b > s.bufferSize) {
      throw new IOException("curriculum state: " + b + " buffered levels, more than buffer-size " + s.bufferSize);
    }
    bufferIds.clear();
    bufferLevels.clear();
    for (int i = 0; i < b; i++) {
      bufferIds.add(in.readLong());
      bufferLevels.add(Context.fromJson(cs, in.readUTF()));
    }
    int n = in.readInt();
    if (n != s.candidates) {
      throw new IOException("curriculum state has " + n + " candidates; these settings have " + s.candidates);
    }
    candidateIndex.clear();
    candidatesDone = 0;
    for (int i = 0; i < n; i++) {
      candidateIds[i] = in.readLong();
      candidateLevels[i] = Context.fromJson(cs, in.readUTF());
      plays[i] = in.readInt();
      successes[i] = in.readInt();
      // episodes handed out before the save are not coming back: hand them out again
      handedCount[i] = plays[i];
      candidateIndex.put(candidateIds[i], i);
      if (plays[i] >= s.candidateEpisodes) {
        candidatesDone++;
      }
    }
    cursor = in.readInt();
    handedOut.clear();
  }
}
