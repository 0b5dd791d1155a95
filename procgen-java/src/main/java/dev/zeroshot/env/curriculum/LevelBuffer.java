package dev.zeroshot.env.curriculum;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * PLR's level buffer: up to {@code capacity} levels, each with a score, the episode count when it
 * was last played, and the best return seen on it. Replay samples from
 * P = (1 - rho) P_S + rho P_C, with rank prioritization P_S(i) ~ (1 / rank_i)^(1 / temperature)
 * (rank 1 = highest score; ties by slot) and staleness P_C(i) = (c - C_i) / sum_j (c - C_j)
 * (uniform while every level was just played). A new level takes a free slot, or replaces the
 * level of least replay probability if its score is higher (JaxUED's rule).
 *
 * <p>Cost per pick or score update with n levels: O(log^2 n) to sample (a cumulative table over
 * ranks, a Fenwick tree over play times) and one array shift to keep the rank order; inserting
 * into a full buffer is O(n) (finding the least likely level).
 */
final class LevelBuffer {

  private final int capacity;
  private final double temperature;
  private final double staleness;
  private final long[] ids;
  private final Context[] levels;
  private final double[] scores;
  private final long[] playedAt;
  private final double[] bestReturns;
  /** Slots by rank: highest score first, ties by slot. */
  private final int[] byRank;
  /** rankWeight[r] = (1 / (r + 1))^(1 / temperature); rankCumulative[r] = its sum over ranks 1..r+1. */
  private final double[] rankWeight;
  private final double[] rankCumulative;
  /** Fenwick tree over playedAt, for the staleness sums. */
  private final long[] playedTree;
  private final Map<Long, Integer> slotById = new HashMap<>();
  private final Map<Context, Integer> slotByLevel = new HashMap<>();
  private int size;
  private long episodes; // c: levels picked so far

  LevelBuffer(int capacity, double temperature, double staleness) {
    this.capacity = capacity;
    this.temperature = temperature;
    this.staleness = staleness;
    this.ids = new long[capacity];
    this.levels = new Context[capacity];
    this.scores = new double[capacity];
    this.playedAt = new long[capacity];
    this.bestReturns = new double[capacity];
    this.byRank = new int[capacity];
    this.rankWeight = new double[capacity];
    this.rankCumulative = new double[capacity];
    this.playedTree = new long[capacity + 1];
    double sum = 0;
    for (int r = 0; r < capacity; r++) {
      rankWeight[r] = Math.pow(1.0 / (r + 1), 1.0 / temperature);
      sum += rankWeight[r];
      rankCumulative[r] = sum;
    }
  }

  int size() {
    return size;
  }

  int capacity() {
    return capacity;
  }

  long episodes() {
    return episodes;
  }

  /** Counts one pick (replayed or new): staleness is measured in picks. */
  void countPick() {
    episodes++;
  }

  /** The slot of level id, or -1. */
  int slotOf(long id) {
    Integer s = slotById.get(id);
    return s == null ? -1 : s;
  }

  /** The slot holding this level, or -1. */
  int slotOf(Context level) {
    Integer s = slotByLevel.get(level);
    return s == null ? -1 : s;
  }

  long id(int slot) {
    return ids[slot];
  }

  Context level(int slot) {
    return levels[slot];
  }

  double score(int slot) {
    return scores[slot];
  }

  double bestReturn(int slot) {
    return bestReturns[slot];
  }

  /** Draws a slot from P = (1 - rho) P_S + rho P_C (the buffer must not be empty). */
  int sample(CurriculumRandom rng) {
    if (rng.nextDouble() < staleness) {
      return sampleStale(rng);
    }
    double u = rng.nextDouble() * rankCumulative[size - 1];
    int lo = 0;
    int hi = size - 1;
    while (lo < hi) { // first rank whose cumulative weight exceeds u
      int mid = (lo + hi) >>> 1;
      if (rankCumulative[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return byRank[lo];
  }

  private int sampleStale(CurriculumRandom rng) {
    double total = (double) size * episodes - prefixPlayed(size);
    if (total <= 0) {
      return rng.nextInt(size);
    }
    double u = rng.nextDouble() * total;
    int lo = 0;
    int hi = size - 1;
    while (lo < hi) { // first slot whose cumulative staleness exceeds u
      int mid = (lo + hi) >>> 1;
      if ((double) (mid + 1) * episodes - prefixPlayed(mid + 1) > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** Marks the slot played now (after {@link #countPick}). */
  void played(int slot) {
    setPlayedAt(slot, episodes);
  }

  /** Sets a slot's score (moving it in the rank order) and raises its best return. */
  void update(int slot, double score, double episodeReturn) {
    removeFromRanks(slot);
    scores[slot] = score;
    insertIntoRanks(slot);
    bestReturns[slot] = Double.isNaN(bestReturns[slot]) ? episodeReturn : Math.max(bestReturns[slot], episodeReturn);
  }

  /**
   * Adds a scored level: into a free slot, else over the least likely level if that one's score is
   * lower. Returns the slot, or -1 when the level did not qualify.
   */
  int insert(long id, Context level, double score, double episodeReturn) {
    int slot;
    if (size < capacity) {
      slot = size++;
    } else {
      slot = leastLikely();
      if (!(scores[slot] < score)) {
        return -1;
      }
      removeFromRanks(slot);
      slotById.remove(ids[slot]);
      slotByLevel.remove(levels[slot]);
    }
    ids[slot] = id;
    levels[slot] = level;
    scores[slot] = score;
    bestReturns[slot] = episodeReturn;
    setPlayedAt(slot, episodes);
    insertIntoRanks(slot);
    slotById.put(id, slot);
    slotByLevel.put(level, slot);
    return slot;
  }

  /** Each slot's replay probability under P (for tests, pictures and the replacement rule). */
  double[] probabilities() {
    double[] p = new double[size];
    if (size == 0) {
      return p;
    }
    double staleTotal = (double) size * episodes - prefixPlayed(size);
    for (int r = 0; r < size; r++) {
      int slot = byRank[r];
      double ps = rankWeight[r] / rankCumulative[size - 1];
      double pc = staleTotal <= 0 ? 1.0 / size : (episodes - playedAt[slot]) / staleTotal;
      p[slot] = (1 - staleness) * ps + staleness * pc;
    }
    return p;
  }

  /**
   * The slot of least replay probability (the lowest slot among equals), as {@link #probabilities}
   * would give it, without computing them all: scanning from the last rank up, a level's
   * probability is at least its score part, which only grows up the ranks, so the scan stops
   * once that part alone exceeds the least probability found.
   */
  private int leastLikely() {
    double scorePart = (1 - staleness) / rankCumulative[size - 1];
    double staleTotal = (double) size * episodes - prefixPlayed(size);
    double stalePart = staleTotal <= 0 ? 0 : staleness / staleTotal;
    double uniformPart = staleTotal <= 0 ? staleness / size : 0;
    int best = -1;
    double bestP = Double.POSITIVE_INFINITY;
    for (int r = size - 1; r >= 0 && scorePart * rankWeight[r] <= bestP; r--) {
      int slot = byRank[r];
      double p = scorePart * rankWeight[r] + stalePart * (episodes - playedAt[slot]) + uniformPart;
      if (p < bestP || (p == bestP && slot < best)) {
        best = slot;
        bestP = p;
      }
    }
    return best;
  }

  // ---- rank order ----

  private int ranked; // how many slots are in byRank

  /** Whether slot a ranks before slot b: higher score, then lower slot. */
  private boolean precedes(int a, int b) {
    return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
  }

  /** The first rank position whose slot does not precede {@code slot} (its own position when ranked). */
  private int searchRanks(int slot) {
    int lo = 0;
    int hi = ranked;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (precedes(byRank[mid], slot)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private void removeFromRanks(int slot) {
    int pos = searchRanks(slot);
    System.arraycopy(byRank, pos + 1, byRank, pos, ranked - pos - 1);
    ranked--;
  }

  private void insertIntoRanks(int slot) {
    int pos = searchRanks(slot);
    System.arraycopy(byRank, pos, byRank, pos + 1, ranked - pos);
    byRank[pos] = slot;
    ranked++;
  }

  // ---- play times (Fenwick tree) ----

  private void setPlayedAt(int slot, long t) {
    long delta = t - playedAt[slot];
    playedAt[slot] = t;
    for (int i = slot + 1; i <= capacity; i += i & -i) {
      playedTree[i] += delta;
    }
  }

  /** Sum of playedAt over slots [0, n). */
  private long prefixPlayed(int n) {
    long s = 0;
    for (int i = n; i > 0; i -= i & -i) {
      s += playedTree[i];
    }
    return s;
  }

  // ---- state ----

  void write(DataOutputStream out) throws IOException {
    out.writeInt(size);
    out.writeLong(episodes);
    for (int s = 0; s < size; s++) {
      out.writeLong(ids[s]);
      out.writeUTF(levels[s].toJson());
      out.writeDouble(scores[s]);
      out.writeLong(playedAt[s]);
      out.writeDouble(bestReturns[s]);
    }
  }

  void read(DataInputStream in, ContextSpace space) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > capacity) {
      throw new IOException("curriculum state holds " + n + " levels; this buffer holds at most " + capacity);
    }
    Arrays.fill(playedTree, 0);
    Arrays.fill(playedAt, 0);
    slotById.clear();
    slotByLevel.clear();
    ranked = 0;
    size = n;
    episodes = in.readLong();
    for (int s = 0; s < n; s++) {
      ids[s] = in.readLong();
      levels[s] = Context.fromJson(space, in.readUTF());
      scores[s] = in.readDouble();
      setPlayedAt(s, in.readLong());
      bestReturns[s] = in.readDouble();
      insertIntoRanks(s);
      slotById.put(ids[s], s);
      slotByLevel.put(levels[s], s);
    }
  }
}
