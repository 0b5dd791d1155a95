package dev.zeroshot.offline;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Data Diet pruning: keeps a share of a dataset's transitions or episodes, the highest-scoring
 * first (or a seeded random choice), and writes them as a new dataset whose metadata names the
 * parent and the rule. The parent is only read.
 *
 * <p>By episode, whole episodes are kept, each scored by the mean of its transitions. By
 * transition, each run of consecutive kept steps of an episode becomes an episode of the new
 * dataset: its observations are those steps' states plus the state the run's last step reached,
 * so every kept (s, a, r, s', terminated) is exactly the parent's; a run cut before its
 * episode's end is marked truncated there.
 */
public final class DatasetPruner {

  /** The rules, as {@code zeroshot dataset prune --by} names them. */
  public static final List<String> RULES = List.of("el2n", "grand", "random", "return", "length");

  /** What is kept and how it is chosen. */
  public enum Unit {
    TRANSITION, EPISODE
  }

  /**
   * @param keep the share kept, in (0, 1]
   * @param by a {@link #RULES} entry
   * @param lowest keep the lowest scores instead of the highest (ignored by {@code random})
   * @param seed the random rule's seed
   */
  public record Rule(double keep, String by, Unit unit, boolean lowest, long seed) {
    public Rule {
      if (!(keep > 0 && keep <= 1)) {
        throw new IllegalArgumentException("--keep must be in (0, 1], got " + keep);
      }
      if (!RULES.contains(by)) {
        throw new IllegalArgumentException("--by must be one of " + String.join(", ", RULES) + ", got '" + by + "'");
      }
    }

    /** The rule as the new dataset's metadata states it. */
    public String describe() {
      String order = by.equals("random") ? "seed " + seed : (lowest ? "lowest" : "highest") + " scores first";
      return String.format(Locale.ROOT, "keep %s of the %ss by %s (%s)", keep, unit.name().toLowerCase(Locale.ROOT), by,
          order);
    }
  }

  /** What a pruning wrote. */
  public record Result(int items, int kept, int episodes, long steps) {}

  private DatasetPruner() {}

  /** How many of {@code n} items a share keeps: {@code round(keep * n)}, which must be at least 1. */
  public static int keptCount(double keep, int n) {
    int k = (int) Math.round(keep * n);
    if (k < 1) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "--keep %s of %d items keeps none; keep more", keep, n));
    }
    return k;
  }

  /**
   * Which of {@code scores.length} items to keep: the {@link #keptCount} highest scores (lowest
   * with {@code rule.lowest()}), ties to the earlier item; or, by {@code random}, the first of
   * a permutation drawn from {@code rule.seed()} ({@code scores} may then be null).
   */
  public static boolean[] select(double[] scores, int n, Rule rule) {
    int k = keptCount(rule.keep(), n);
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (rule.by().equals("random")) {
      SplittableRandom rng = new SplittableRandom(rule.seed());
      for (int i = n - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        Integer tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
    } else {
      Comparator<Integer> byScore = Comparator.comparingDouble(i -> scores[i]);
      Arrays.sort(order, (rule.lowest() ? byScore : byScore.reversed()).thenComparingInt(i -> i));
    }
    boolean[] kept = new boolean[n];
    for (int i = 0; i < k; i++) {
      kept[order[i]] = true;
    }
    return kept;
  }

  /**
   * Writes the part of {@code parent} that {@code rule} keeps as dataset {@code id} in
   * {@code dataDir}. {@code transitionScores} (one per transition, the parent's order) may be
   * null for {@code random}. The new dataset is built in a hidden folder beside
   * {@code dataDir} and renamed into place once complete, so a failure leaves no dataset.
   */
  public static Result prune(Dataset parent, double[] transitionScores, Rule rule, DatasetId id, Path dataDir)
      throws IOException {
    if (Files.exists(dataDir)) {
      throw new IllegalArgumentException("dataset " + id.id() + " already exists; prune to a new id");
    }
    if (!parent.problems().isEmpty()) {
      throw new IllegalArgumentException(parent.id() + " has unreadable episodes (" + parent.problems().get(0).getMessage()
          + "); run 'zeroshot dataset verify'");
    }
    List<Dataset.EpisodeInfo> eps = parent.episodes();
    boolean[] keptSteps = new boolean[Math.toIntExact(parent.totalSteps())];
    int items;
    if (rule.unit() == Unit.EPISODE) {
      items = eps.size();
      double[] means = transitionScores == null ? null : new DatasetScores(rule.by(), transitionScores).episodeMeans(parent);
      boolean[] keptEpisodes = select(means, items, rule);
      int i = 0;
      for (int e = 0; e < items; e++) {
        Arrays.fill(keptSteps, i, i + eps.get(e).steps(), keptEpisodes[e]);
        i += eps.get(e).steps();
      }
    } else {
      items = keptSteps.length;
      keptSteps = select(transitionScores, items, rule);
    }
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("zeroshot_parent", parent.id());
    extra.put("zeroshot_pruning", rule.describe());
    extra.put("description", "pruned from " + parent.id() + ": " + rule.describe());
    Path tmp = dataDir.resolveSibling("." + dataDir.getFileName() + ".tmp-prune");
    DatasetWriter.deleteTree(tmp);
    int kept = 0;
    try (DatasetWriter w = DatasetWriter.derive(tmp, id, parent.metadata(), extra)) {
      int i = 0;
      for (Dataset.EpisodeInfo info : eps) {
        int start = i;
        i += info.steps();
        if (!anyKept(keptSteps, start, i)) {
          continue;
        }
        Episode ep = parent.episode(info);
        for (int t = 0; t < info.steps(); ) {
          if (!keptSteps[start + t]) {
            t++;
            continue;
          }
          int end = t;
          while (end < info.steps() && keptSteps[start + end]) {
            end++;
          }
          w.append(run(ep, t, end));
          kept += end - t;
          t = end;
        }
      }
    } catch (IOException | RuntimeException e) {
      DatasetWriter.deleteTree(tmp);
      throw e;
    }
    Dataset child = Dataset.open(tmp);
    try {
      Files.move(tmp, dataDir, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dataDir);
    }
    int keptItems = rule.unit() == Unit.EPISODE ? keptCount(rule.keep(), items) : kept;
    return new Result(items, keptItems, child.episodes().size(), child.totalSteps());
  }

  private static boolean anyKept(boolean[] kept, int from, int to) {
    for (int i = from; i < to; i++) {
      if (kept[i]) {
        return true;
      }
    }
    return false;
  }

  /** Steps [from, to) of {@code ep} as an episode: truncated at its end if the episode went on after it. */
  static Episode run(Episode ep, int from, int to) {
    int ob = ep.observationBytes();
    boolean[] trunc = Arrays.copyOfRange(ep.truncations(), from, to);
    if (to < ep.length()) {
      trunc[trunc.length - 1] = true;
    }
    byte[] obs = Arrays.copyOfRange(ep.observations(), from * ob, (to + 1) * ob);
    double[] rewards = Arrays.copyOfRange(ep.rewards(), from, to);
    boolean[] term = Arrays.copyOfRange(ep.terminations(), from, to);
    if (ep.actions() == null) {
      int k = ep.boxActions().length / ep.length();
      return Episode.ofBoxActions(0, ob, obs, Arrays.copyOfRange(ep.boxActions(), from * k, to * k), rewards, term, trunc,
          ep.levelSeed());
    }
    return new Episode(0, ob, obs, Arrays.copyOfRange(ep.actions(), from, to), rewards, term, trunc, ep.levelSeed());
  }
}
