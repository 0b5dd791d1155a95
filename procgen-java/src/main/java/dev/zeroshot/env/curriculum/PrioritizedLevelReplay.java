package dev.zeroshot.env.curriculum;

import dev.zeroshot.env.context.Context;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prioritized Level Replay (Jiang et al. 2021) and its two descendants, which differ only in
 * settings: robust PLR (no gradient steps on new levels) and ACCEL (robust PLR whose replayed
 * levels are edited into new ones). Each pick either replays a level from the {@link LevelBuffer}
 * or hands out a new one; a new level enters the buffer when its first score qualifies.
 *
 * <p>Replay decision: {@code proportionate} (PLR's paper: replay with probability seen / all
 * levels, for a finite set of seeds; with an unbounded level space it falls back to
 * {@code fixed}) or {@code fixed} (JaxUED: probability {@code replay-prob} once the buffer is
 * {@code min-fill} full). A new level of a finite space is drawn among those not in the buffer.
 * ACCEL: when a replayed level's episode is reported it is queued; the next non-replay pick
 * hands out that level edited {@code edits} times ({@link LevelSpace#edit}) instead of a random one.
 */
public final class PrioritizedLevelReplay implements Curriculum {

  /** Every setting, by option name; {@link Curricula} holds the presets. */
  public static final class Settings {
    public String name = "plr";
    public ScoreFunction score = ScoreFunction.VALUE_L1;
    public double temperature = 0.1;
    public double staleness = 0.1;
    public String schedule = "proportionate";
    public double replayProb = 0.5;
    public double minFill = 0.0;
    public int capacity = 4000;
    public double scoreAlpha = 1.0;
    public boolean exploratoryGrad = true;
    public int edits = 0;
    public double editScale = 0.05;

    static final String KNOWN = "score, temperature, staleness, schedule, replay-prob, min-fill, capacity, "
        + "score-alpha, exploratory-grad, edits, edit-scale";

    void apply(Options o) {
      score = ScoreFunction.parse(o.choice("score", score.key(), "value_l1", "pvl", "maxmc"));
      temperature = o.number("temperature", temperature, 1e-3, 1e3);
      staleness = o.number("staleness", staleness, 0, 1);
      schedule = o.choice("schedule", schedule, "proportionate", "fixed");
      replayProb = o.number("replay-prob", replayProb, 0, 1);
      minFill = o.number("min-fill", minFill, 0, 1);
      capacity = o.integer("capacity", capacity, 1, 10_000_000);
      scoreAlpha = o.number("score-alpha", scoreAlpha, 1e-6, 1);
      exploratoryGrad = o.flag("exploratory-grad", exploratoryGrad);
      edits = o.integer("edits", edits, 0, 1000);
      editScale = o.number("edit-scale", editScale, 0, 1);
      o.requireAllUsed(KNOWN);
    }

    Map<String, String> asMap() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("score", score.key());
      m.put("temperature", Double.toString(temperature));
      m.put("staleness", Double.toString(staleness));
      m.put("schedule", schedule);
      m.put("replay-prob", Double.toString(replayProb));
      m.put("min-fill", Double.toString(minFill));
      m.put("capacity", Integer.toString(capacity));
      m.put("score-alpha", Double.toString(scoreAlpha));
      m.put("exploratory-grad", Boolean.toString(exploratoryGrad));
      m.put("edits", Integer.toString(edits));
      m.put("edit-scale", Double.toString(editScale));
      return m;
    }
  }

  /** How many new levels of a finite space to try before settling for one already in the buffer. */
  private static final int UNSEEN_TRIES = 1000;
  /** At most this many replayed levels wait to be edited (the oldest are dropped). */
  private static final int EDIT_QUEUE = 4096;

  private final Settings s;
  private final LevelSpace space;
  private final CurriculumRandom rng;
  private final LevelBuffer buffer;
  private final HandedOut handedOut = new HandedOut();
  private final ArrayDeque<Context> toEdit = new ArrayDeque<>();
  private long nextId;

  PrioritizedLevelReplay(Settings settings, LevelSpace space, long seed) {
    this.s = settings;
    this.space = space;
    this.rng = new CurriculumRandom(seed);
    this.buffer = new LevelBuffer(settings.capacity, settings.temperature, settings.staleness);
  }

  @Override
  public Pick next() {
    if (replayNow()) {
      int slot = buffer.sample(rng);
      buffer.countPick();
      buffer.played(slot);
      return handOut(buffer.id(slot), buffer.level(slot), true);
    }
    buffer.countPick();
    Context level = !toEdit.isEmpty() ? space.edit(toEdit.pollFirst(), s.edits, s.editScale, rng) : newLevel();
    int slot = buffer.slotOf(level);
    if (slot >= 0) { // drawn again: it is the buffer's level, replayed
      buffer.played(slot);
      return handOut(buffer.id(slot), level, true);
    }
    return handOut(nextId++, level, false);
  }

  private Pick handOut(long id, Context level, boolean replay) {
    handedOut.add(id, level, replay);
    return new Pick(id, level, replay, replay || s.exploratoryGrad);
  }

  /** Whether this pick replays, by the schedule (see the class comment). */
  boolean replayNow() {
    if (buffer.size() == 0) {
      return false;
    }
    double target = Math.min(buffer.capacity(), space.size());
    if (buffer.size() < s.minFill * target) {
      return false;
    }
    double p = s.schedule.equals("proportionate") && space.size() != Long.MAX_VALUE ? buffer.size() / target
        : s.replayProb;
    return p >= 1 || rng.nextDouble() < p;
  }

  private Context newLevel() {
    Context level = space.random(rng);
    if (space.size() != Long.MAX_VALUE) {
      for (int t = 1; t < UNSEEN_TRIES && buffer.slotOf(level) >= 0; t++) {
        level = space.random(rng);
      }
    }
    return level;
  }

  @Override
  public void update(long levelId, Feedback feedback) {
    HandedOut.Entry e = handedOut.check(levelId);
    int slot = buffer.slotOf(levelId);
    if (slot >= 0) {
      double score = s.scoreAlpha * feedback.score() + (1 - s.scoreAlpha) * buffer.score(slot);
      buffer.update(slot, score, feedback.episodeReturn());
    } else {
      buffer.insert(levelId, e.level, feedback.score(), feedback.episodeReturn());
    }
    handedOut.take(levelId);
    if (s.edits > 0 && e.replay) {
      if (toEdit.size() == EDIT_QUEUE) {
        toEdit.pollFirst();
      }
      toEdit.addLast(e.level);
    }
  }

  @Override
  public ScoreFunction scoreFunction() {
    return s.score;
  }

  @Override
  public double bestReturn(long levelId) {
    int slot = buffer.slotOf(levelId);
    return slot < 0 ? Double.NaN : buffer.bestReturn(slot);
  }

  @Override
  public LevelSpace space() {
    return space;
  }

  @Override
  public String name() {
    return s.name;
  }

  @Override
  public Map<String, String> settings() {
    return s.asMap();
  }

  /** The buffer's size (for tests and reports). */
  public int bufferSize() {
    return buffer.size();
  }

  /** Each buffered level's replay probability, by level id (for tests and reports). */
  public Map<Long, Double> replayProbabilities() {
    double[] p = buffer.probabilities();
    Map<Long, Double> m = new LinkedHashMap<>();
    for (int slot = 0; slot < p.length; slot++) {
      m.put(buffer.id(slot), p[slot]);
    }
    return m;
  }

  /** The score the buffer holds for a level (NaN when it is not buffered). */
  public double score(long levelId) {
    int slot = buffer.slotOf(levelId);
    return slot < 0 ? Double.NaN : buffer.score(slot);
  }

  @Override
  public void write(DataOutputStream out) throws IOException {
    rng.write(out);
    out.writeLong(nextId);
    buffer.write(out);
    out.writeInt(toEdit.size());
    for (Context c : toEdit) {
      out.writeUTF(c.toJson());
    }
  }

  @Override
  public void read(DataInputStream in) throws IOException {
    rng.read(in);
    nextId = in.readLong();
    buffer.read(in, space.base().space());
    int n = in.readInt();
    if (n < 0 || n > EDIT_QUEUE) {
      throw new IOException("curriculum state: bad edit queue length " + n);
    }
    toEdit.clear();
    for (int i = 0; i < n; i++) {
      toEdit.addLast(Context.fromJson(space.base().space(), in.readUTF()));
    }
    handedOut.clear();
  }
}
