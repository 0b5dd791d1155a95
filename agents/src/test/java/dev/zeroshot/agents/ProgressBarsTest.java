package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import me.tongfei.progressbar.ProgressBar;
import org.junit.jupiter.api.Test;

class ProgressBarsTest {

  @Test
  void offATerminalTheBarIsPlainLinesThatAreNotCut() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    String extra = " 1,234 episodes | mean return -1234.56";
    try (ProgressBar bar = ProgressBars.on(out, false, "collect", 1_000_000).showSpeed().build()) {
      bar.stepTo(999_999);
      bar.setExtraMessage(extra);
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertFalse(text.contains("\r"), "no carriage returns in a log: " + text);
    String last = text.lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(last.startsWith("collect") && last.endsWith(extra.strip()), "the whole line, not cut at 80: " + last);
    assertTrue(last.length() > 80 && last.contains("999999/1000000"), last);
    assertTrue(text.lines().filter(l -> l.equals(last)).count() == 1, "the final state once: " + text);
  }
}
