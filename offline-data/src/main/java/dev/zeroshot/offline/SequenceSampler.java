package dev.zeroshot.offline;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Uniform random windows of consecutive steps, for sequence models: a transition is drawn as
 * {@link TransitionSampler} draws one (every transition equally likely, bad files skipped) and
 * the window is the {@code context} steps of its episode that end with it, padded on the left
 * where the episode began less than {@code context} steps earlier, so that training sees the
 * episode starts as evaluation does. Files are read through the {@link TransitionSampler}'s
 * mappings; each episode's returns-to-go are computed once, when it is first drawn, and kept
 * (one float per transition).
 */
public final class SequenceSampler {

  private final TransitionSampler files;
  private final int obsBytes;
  private final float[][] returnsToGo;
  private final byte[] zeros;

  public SequenceSampler(TransitionSampler files) {
    this.files = files;
    this.obsBytes = files.dataset().observationFormat().bytes();
    this.returnsToGo = new float[files.episodes().size()][];
    this.zeros = new byte[obsBytes];
  }

  public TransitionSampler files() {
    return files;
  }

  /** Fills {@code out} with {@code n} windows of {@code out.context} steps drawn with {@code rng}. */
  public void sample(int n, SplittableRandom rng, SequenceBatch out) throws DatasetException {
    if (n > out.capacity || out.observationBytes != obsBytes) {
      throw new IllegalArgumentException("batch of " + out.capacity + " x " + out.observationBytes
          + " bytes cannot hold " + n + " x " + obsBytes);
    }
    int k = out.context;
    int r = 0;
    while (r < n) {
      if (files.usableSteps() == 0) {
        throw new DatasetException(files.dataset().dataDir(), "every episode file is unreadable");
      }
      long g = rng.nextLong(files.drawRange());
      int e = files.episodeOf(g);
      ArrowEpisodeFile.Layout l = files.usableLayout(e);
      if (l == null) {
        continue; // rejection keeps the draw uniform over the remaining episodes
      }
      int last = files.step(g, e);
      float[] rtg = returnsToGo(e, l);
      out.episode[r] = files.episodes().get(e).id();
      for (int j = 0; j < k; j++) {
        int t = last - (k - 1) + j;
        int row = r * k + j;
        boolean real = t >= 0;
        if (real) {
          l.observation(t, obsBytes, out.observations, row * obsBytes);
        } else {
          out.observations.put(row * obsBytes, zeros, 0, obsBytes);
        }
        out.actions[row] = real ? l.action(t) : 0;
        out.returnsToGo[row] = real ? rtg[t] : 0f;
        out.timesteps[row] = real ? t : 0;
        out.real[row] = real;
      }
      r++;
    }
    out.size = n;
  }

  private float[] returnsToGo(int e, ArrowEpisodeFile.Layout l) {
    if (returnsToGo[e] == null) {
      double[] rewards = new double[files.episodes().get(e).steps()];
      for (int t = 0; t < rewards.length; t++) {
        rewards[t] = l.reward(t);
      }
      returnsToGo[e] = returnsToGo(rewards);
    }
    return returnsToGo[e];
  }

  /** rtg[t] = rewards[t] + rewards[t + 1] + ... + rewards[T - 1] (undiscounted, as gen_dgrl's). */
  public static float[] returnsToGo(double[] rewards) {
    float[] rtg = new float[rewards.length];
    double sum = 0;
    for (int t = rewards.length - 1; t >= 0; t--) {
      sum += rewards[t];
      rtg[t] = (float) sum;
    }
    return rtg;
  }
}
