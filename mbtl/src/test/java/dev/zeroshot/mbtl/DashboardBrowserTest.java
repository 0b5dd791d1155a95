package dev.zeroshot.mbtl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: headless Chromium (Debian's {@code chromium}) loads the page
 * against a sweep that is running in this test, one training released at a time, and the DOM
 * after the page's JavaScript ran must show the sweep, one heatmap cell per matrix entry with the
 * trained rows filling in, and a learning curve per finished task. Skips, saying so, where no
 * Chromium is installed ({@code .ci/run} installs it). {@code ZEROSHOT_DASHBOARD_PNG=FILE} also
 * saves a screenshot of the finished sweep (docs/dashboard.png).
 */
class DashboardBrowserTest {

  @TempDir
  Path tmp;

  static Optional<Path> chromium() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** Runs headless Chromium on {@code url} with {@code mode} (--dump-dom or --screenshot=FILE); returns stdout. */
  String browse(Path chromium, String url, String... mode) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-dev-shm-usage", "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium"),
        "--virtual-time-budget=4000"));
    cmd.addAll(List.of(mode));
    cmd.add(url);
    Path out = Files.createTempFile(tmp, "dom", ".html");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s: " + cmd);
    }
    assertEquals(0, p.exitValue(), "chromium exit status: " + cmd);
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  static int count(String dom, String regex) {
    Matcher m = Pattern.compile(regex).matcher(dom);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void theLivePageFillsInTheHeatmapAsTrainingsFinish() throws Exception {
    Optional<Path> chromium = chromium();
    Assumptions.assumeTrue(chromium.isPresent(),
        "no chromium on PATH (Debian: apt-get install chromium): the dashboard's browser test is skipped");
    int n = 8;
    Path root = tmp.resolve("runs");
    Path sweepDir = root.resolve("toy-sweep");
    TransferMatrix m = SyntheticMatrices.generate("two-peaked", n, 0.02, 3);
    TaskTrainer curves = DashboardTest.withCurves(m, sweepDir);
    Semaphore release = new Semaphore(0);
    Semaphore finished = new Semaphore(0);
    TaskTrainer gated = task -> { // one training per permit, so the test sees the sweep mid-way
      release.acquireUninterruptibly();
      return curves.train(task);
    };
    Sweep sweep = Sweep.create(SweepTest.settings(n, 4, List.of("mbtl"), false), sweepDir);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Dashboard d = Dashboard.start(root, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      Future<SweepResult> running = pool.submit(() -> sweep.run(gated, 1, new Sweep.Listener() {
        @Override
        public void trained(TrainedTask task, int trainedNow, int trainedTotal) {
          finished.release();
        }
      }));
      String url = "http://127.0.0.1:" + d.port() + "/#sweep=toy-sweep";
      Path browser = chromium.get();

      String before = browse(browser, url, "--dump-dom");
      assertTrue(before.contains("toy-sweep"), "the sweep is listed");
      assertEquals(n * n, count(before, "<rect class=\"cell "), "one heatmap cell per matrix entry");
      assertEquals(0, count(before, "<rect class=\"cell trained\""), "nothing trained yet");

      release.release(2);
      assertTrue(finished.tryAcquire(2, 60, TimeUnit.SECONDS));
      String mid = browse(browser, url, "--dump-dom");
      assertEquals(2 * n, count(mid, "<rect class=\"cell trained\""), "two rows filled in");
      assertTrue(mid.contains("2 of 8 rows trained"), "caption");
      assertEquals(2, count(mid, "<polyline class=\"curve\""), "a learning curve per finished task");

      release.release(100);
      SweepResult r = running.get(60, TimeUnit.SECONDS);
      SweepReport.write(r, sweepDir);
      String end = browse(browser, url, "--dump-dom");
      int rows = r.rows().size();
      assertEquals(rows * n, count(end, "<rect class=\"cell trained\""));
      assertTrue(end.contains("<svg id=\"vk\""), "V_k chart once the report is written");
      assertTrue(count(end, "<polyline class=\"curve\" data-name=\"mbtl\"") == 1, "mbtl's V_k curve");
      try (Stream<Path> tasks = Files.list(sweepDir.resolve("tasks"))) {
        assertEquals(tasks.count() + 1, count(end, "<polyline class=\"curve\""), "every task's curve and V_k");
      }
      String png = System.getenv("ZEROSHOT_DASHBOARD_PNG");
      if (png != null) {
        browse(browser, url, "--screenshot=" + Path.of(png).toAbsolutePath(), "--window-size=1400,900",
            "--hide-scrollbars");
      }
    } finally {
      release.release(100);
      pool.shutdownNow();
    }
  }
}
