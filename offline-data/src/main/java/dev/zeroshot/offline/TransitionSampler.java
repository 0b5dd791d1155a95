package dev.zeroshot.offline;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Uniform random minibatches of transitions from a dataset that need not fit in memory. Each
 * episode file is memory-mapped when first sampled (its columns located once, see
 * {@link ArrowEpisodeFile.Layout}) and rows are copied straight out of the mapping; at most
 * {@code maxMapped} files stay mapped (least recently used are dropped), so the heap holds only
 * the index (a few numbers per episode) and the batch, and the operating system's page cache
 * decides what stays in RAM.
 *
 * <p>A file that turns out truncated or corrupted (its checksum is checked when it is first
 * mapped, unless disabled) is reported once on {@code log}, dropped from sampling, and the
 * draw is retried: training goes on over the remaining episodes.
 */
public final class TransitionSampler {

  private final Dataset dataset;
  private final List<Dataset.EpisodeInfo> episodes;
  private final boolean verify;
  private final PrintStream log;
  private final int obsBytes;
  private final long[] cumulative; // cumulative[i] = steps of episodes 0..i-1 (usable ones)
  private final boolean[] bad;
  private final ArrowEpisodeFile.Layout[] known; // column offsets found at the first mapping (checksum checked then)
  private final LinkedHashMap<Integer, ArrowEpisodeFile.Layout> mapped;
  private final List<DatasetException> problems = new ArrayList<>();
  private long usableSteps;
  private long maps;

  public TransitionSampler(Dataset dataset, int maxMapped, boolean verifyChecksums, PrintStream log) {
    dataset.actionCount(); // Discrete actions only: a dataset of Box actions is refused here with one line
    this.dataset = dataset;
    this.episodes = dataset.episodes();
    this.verify = verifyChecksums;
    this.log = log;
    this.obsBytes = dataset.observationFormat().bytes();
    this.cumulative = new long[episodes.size() + 1];
    this.bad = new boolean[episodes.size()];
    this.known = new ArrowEpisodeFile.Layout[episodes.size()];
    for (int i = 0; i < episodes.size(); i++) {
      cumulative[i + 1] = cumulative[i] + episodes.get(i).steps();
    }
    this.usableSteps = cumulative[episodes.size()];
    if (usableSteps == 0) {
      throw new IllegalArgumentException("dataset " + dataset.id() + " has no transitions to sample");
    }
    int cap = Math.max(1, maxMapped);
    this.mapped = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Integer, ArrowEpisodeFile.Layout> e) {
        return size() > cap;
      }
    };
  }

  public Dataset dataset() {
    return dataset;
  }

  /** Transitions still sampled from (bad files excluded). */
  public long usableSteps() {
    return usableSteps;
  }

  /** Files found bad while sampling. */
  public List<DatasetException> problems() {
    return List.copyOf(problems);
  }

  /** How many times a file was mapped (a measure of the working set against {@code maxMapped}). */
  public long mapCount() {
    return maps;
  }

  /** Fills {@code out} with {@code n} transitions drawn uniformly (with replacement) using {@code rng}. */
  public void sample(int n, SplittableRandom rng, TransitionBatch out) throws DatasetException {
    if (n > out.capacity || out.observationBytes != obsBytes) {
      throw new IllegalArgumentException("batch of " + out.capacity + " x " + out.observationBytes
          + " bytes cannot hold " + n + " x " + obsBytes);
    }
    int r = 0;
    while (r < n) {
      if (usableSteps == 0) {
        throw new DatasetException(dataset.dataDir(), "every episode file is unreadable");
      }
      long g = rng.nextLong(cumulative[cumulative.length - 1]);
      int e = episodeOf(g);
      if (bad[e]) {
        continue; // rejection keeps the draw uniform over the remaining episodes
      }
      ArrowEpisodeFile.Layout l = layout(e);
      if (l == null) {
        continue;
      }
      int t = step(g, e);
      l.observation(t, obsBytes, out.observations, r * obsBytes);
      l.observation(t + 1, obsBytes, out.nextObservations, r * obsBytes);
      out.actions[r] = l.action(t);
      out.rewards[r] = (float) l.reward(t);
      out.terminated[r] = l.terminated(t);
      out.episode[r] = episodes.get(e).id();
      out.step[r] = t;
      r++;
    }
    out.size = n;
  }

  /** Steps of every episode, bad ones included (the range draws are made over). */
  long drawRange() {
    return cumulative[cumulative.length - 1];
  }

  /** The episode whose steps hold draw {@code g}, and the draw's step within it. */
  int episodeOf(long g) {
    int i = Arrays.binarySearch(cumulative, g);
    if (i >= 0) {
      // g is the first step of episode i (skip empty episodes sharing the boundary)
      while (i + 1 < cumulative.length && cumulative[i + 1] == g) {
        i++;
      }
      return i;
    }
    return -i - 2;
  }

  int step(long g, int e) {
    return (int) (g - cumulative[e]);
  }

  List<Dataset.EpisodeInfo> episodes() {
    return episodes;
  }

  /** Episode {@code e}'s mapped file, or null once it was found bad (then it is skipped). */
  ArrowEpisodeFile.Layout usableLayout(int e) {
    return bad[e] ? null : layout(e);
  }

  private ArrowEpisodeFile.Layout layout(int e) {
    ArrowEpisodeFile.Layout l = mapped.get(e);
    if (l != null) {
      return l;
    }
    Dataset.EpisodeInfo info = episodes.get(e);
    try {
      if (known[e] != null) {
        l = ArrowEpisodeFile.Layout.remap(info.file(), known[e]);
      } else {
        l = ArrowEpisodeFile.Layout.map(info.file(), dataset.observationFormat(), info.steps());
        if (verify && info.crc32c() != null && l.crc32c() != info.crc32c()) {
          throw new DatasetException(info.file(), String.format("checksum mismatch (CRC32C %08x, metadata says %08x): "
              + "the file is corrupted or truncated", l.crc32c(), info.crc32c()));
        }
        known[e] = l.offsetsOnly();
      }
    } catch (DatasetException ex) {
      bad[e] = true;
      usableSteps -= info.steps();
      problems.add(ex);
      if (log != null) {
        log.println("warning: skipping episode " + info.id() + ": " + ex.getMessage());
      }
      return null;
    }
    maps++;
    mapped.put(e, l);
    return l;
  }
}
