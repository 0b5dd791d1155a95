package dev.zeroshot.offline;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * gen_dgrl's "mixed" data: a new dataset whose episodes come from several datasets of the same
 * env (e.g. an expert's and a policy's of about 75% of its return) in given shares of the
 * episode count. Each parent's episodes are a seeded random choice without replacement, written
 * in the parent's order, parent after parent; the parents are only read.
 */
public final class DatasetMixer {

  /** One parent and the share of the mixture's episodes it gives. */
  public record Part(Dataset dataset, double share) {
    public Part {
      if (!(share > 0 && share <= 1)) {
        throw new IllegalArgumentException("a mixture share must be in (0, 1], got " + share + " for " + dataset.id());
      }
    }
  }

  /** What a mixing wrote: the episodes taken from each part (in the parts' order), and the totals. */
  public record Result(int[] taken, int episodes, long steps) {}

  /** The metadata keys every parent must agree on: the same env, spaces, context and levels. */
  static final List<String> SAME = List.of(DatasetInfo.ENV_ID, "observation_space", "action_space", DatasetInfo.CONTEXT,
      DatasetInfo.LEVELS);

  /** metadata.json key: the parents and their shares, {@code id=share (n episodes), ...}. */
  public static final String MIXTURE = "zeroshot_mixture";

  private DatasetMixer() {}

  /**
   * How many of {@code total} episodes each share gets: the floors of {@code share * total},
   * the remainder going one by one to the largest fractional parts (ties to the earlier part),
   * so the counts sum to {@code total} exactly.
   */
  public static int[] counts(double[] shares, int total) {
    int[] n = new int[shares.length];
    double[] frac = new double[shares.length];
    int sum = 0;
    for (int i = 0; i < shares.length; i++) {
      double x = shares[i] * total;
      n[i] = (int) Math.floor(x);
      frac[i] = x - n[i];
      sum += n[i];
    }
    for (; sum < total; sum++) {
      int best = 0;
      for (int i = 1; i < shares.length; i++) {
        if (frac[i] > frac[best]) {
          best = i;
        }
      }
      n[best]++;
      frac[best] = -1;
    }
    return n;
  }

  /**
   * The largest mixture the parents can fill at these shares without drawing an episode twice:
   * the largest total with {@code share * total <= episodes} for every parent, so that even the
   * count rounded up ({@link #counts}) is there.
   */
  public static int largestTotal(List<Part> parts) {
    int total = Integer.MAX_VALUE;
    for (Part p : parts) {
      total = Math.min(total, (int) Math.floor(p.dataset().episodes().size() / p.share() + 1e-9));
    }
    return total;
  }

  private static double[] shares(List<Part> parts) {
    return parts.stream().mapToDouble(Part::share).toArray();
  }

  /**
   * Writes {@code total} episodes (null: {@link #largestTotal}) mixed from {@code parts} as
   * dataset {@code id} in {@code dataDir}. Everything is checked before anything is written; the
   * new dataset is built in a hidden folder beside {@code dataDir} and renamed into place once
   * complete, so a failure leaves no dataset.
   */
  public static Result mix(List<Part> parts, Integer total, long seed, DatasetId id, Path dataDir) throws IOException {
    if (parts.size() < 2) {
      throw new IllegalArgumentException("a mixture needs at least two datasets, got " + parts.size());
    }
    if (Files.exists(dataDir)) {
      throw new IllegalArgumentException("dataset " + id.id() + " already exists; mix into a new id");
    }
    double shareSum = 0;
    for (Part p : parts) {
      shareSum += p.share();
    }
    if (Math.abs(shareSum - 1) > 1e-9) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "the mixture shares must sum to 1, got %s", shareSum));
    }
    Dataset first = parts.get(0).dataset();
    for (Part p : parts) {
      Dataset d = p.dataset();
      if (!d.problems().isEmpty()) {
        throw new IllegalArgumentException(d.id() + " has unreadable episodes (" + d.problems().get(0).getMessage()
            + "); run 'zeroshot dataset verify'");
      }
      for (String key : SAME) {
        if (!Objects.equals(d.meta(key), first.meta(key))) {
          throw new IllegalArgumentException(String.format("cannot mix %s and %s: their %s differ (%s vs %s); a mixture's "
              + "parents must share env, spaces, context and levels", first.id(), d.id(), key, first.meta(key), d.meta(key)));
        }
      }
    }
    int most = largestTotal(parts);
    for (Part p : parts) {
      if (p.dataset().episodes().isEmpty()) {
        throw new IllegalArgumentException(p.dataset().id() + " holds no episodes; a mixture takes episodes from every part");
      }
    }
    int n = total == null ? most : total;
    if (n < 1 || n > most) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "--episodes must be in [1, %d] (the most these "
          + "parents fill at these shares without repeating an episode), got %d", most, n));
    }
    int[] taken = counts(shares(parts), n);
    SplittableRandom rng = new SplittableRandom(seed);
    List<String> described = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      described.add(String.format(Locale.ROOT, "%s=%s (%d episodes)", parts.get(i).dataset().id(), parts.get(i).share(),
          taken[i]));
    }
    String mixture = String.join(", ", described);
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("zeroshot_parent", String.join(",", parts.stream().map(p -> p.dataset().id()).toList()));
    extra.put(MIXTURE, mixture);
    extra.put("zeroshot_mix_seed", Long.toString(seed));
    extra.put(DatasetInfo.POLICY, "mixture(" + String.join(", ", parts.stream().map(p -> p.dataset().meta(DatasetInfo.POLICY)
        + "=" + p.share()).toList()) + ")");
    extra.put("algorithm_name", "mixture");
    extra.put("description", "episodes mixed from " + mixture + " (seed " + seed + "), by zeroshot dataset mix");
    Path tmp = dataDir.resolveSibling("." + dataDir.getFileName() + ".tmp-mix");
    DatasetWriter.deleteTree(tmp);
    // the first parent's env, spaces and scores; not its provenance (checkpoint, epsilon, ...), which is its alone
    JsonObject base = first.metadata().deepCopy();
    for (String key : List.copyOf(base.keySet())) {
      if (key.startsWith("zeroshot_") && !SAME.contains(key)) {
        base.remove(key);
      }
    }
    try (DatasetWriter w = DatasetWriter.derive(tmp, id, base, extra)) {
      for (int i = 0; i < parts.size(); i++) {
        Dataset d = parts.get(i).dataset();
        boolean[] pick = choose(d.episodes().size(), taken[i], rng);
        for (int e = 0; e < pick.length; e++) {
          if (pick[e]) {
            w.append(d.episode(d.episodes().get(e)));
          }
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
    return new Result(taken, child.episodes().size(), child.totalSteps());
  }

  /** {@code k} of {@code n} indices, uniformly without replacement (a partial Fisher-Yates shuffle). */
  static boolean[] choose(int n, int k, SplittableRandom rng) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    boolean[] pick = new boolean[n];
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(n - i);
      int tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
      pick[order[i]] = true;
    }
    return pick;
  }
}
