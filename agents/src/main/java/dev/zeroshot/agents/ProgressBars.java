package dev.zeroshot.agents;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The one look of Zeroshot's progress bars (training, collection): ASCII on stderr, redrawn twice a second. */
public final class ProgressBars {

  private ProgressBars() {}

  /** A bar named {@code task} that counts to {@code max}; the caller may add more (e.g. a speed) and builds it. */
  public static ProgressBarBuilder onStderr(String task, long max) {
    return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(500).setConsumer(new ConsoleProgressBarConsumer(System.err)).continuousUpdate();
  }
}
