package dev.zeroshot.agents;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * The training episodes a PPO trainer has finished: how many, and the mean return of the last
 * {@code window} of them (the "recent mean return" its metrics print). Saved with the trainer.
 */
final class RecentReturns {

  private final int window;
  private final ArrayDeque<Double> last = new ArrayDeque<>();
  private int episodes;

  RecentReturns(int window) {
    this.window = window;
  }

  void add(double episodeReturn) {
    episodes++;
    last.addLast(episodeReturn);
    if (last.size() > window) {
      last.removeFirst();
    }
  }

  /** Episodes finished since training began. */
  int episodes() {
    return episodes;
  }

  /** Mean return of the last {@code window} finished episodes (NaN before the first). */
  double mean() {
    if (last.isEmpty()) {
      return Double.NaN;
    }
    double s = 0;
    for (double r : last) {
      s += r;
    }
    return s / last.size();
  }

  void write(DataOutputStream out) throws IOException {
    out.writeInt(episodes);
    out.writeInt(last.size());
    for (double r : last) {
      out.writeDouble(r);
    }
  }

  void read(DataInputStream in) throws IOException {
    episodes = in.readInt();
    int n = in.readInt();
    last.clear();
    for (int i = 0; i < n; i++) {
      last.addLast(in.readDouble());
    }
  }
}
