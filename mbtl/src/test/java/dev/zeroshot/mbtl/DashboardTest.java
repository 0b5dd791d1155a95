package dev.zeroshot.mbtl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's JSON endpoints and its refusals (the page itself: DashboardBrowserTest). */
class DashboardTest {

  @TempDir
  Path tmp;

  /** A trainer of known rows that also writes each task's run folder with a learning curve, as PPO does. */
  static TaskTrainer withCurves(TransferMatrix m, Path sweepDir) {
    SweepTest.MatrixTrainer rows = new SweepTest.MatrixTrainer(m);
    return task -> {
      Path run = PpoTaskTrainer.taskDir(sweepDir, task);
      Files.createDirectories(run);
      StringBuilder csv = new StringBuilder("update,global_step,seconds,steps_per_second,learning_rate,recent_return,"
          + "episodes,policy_loss,value_loss,entropy,approx_kl,clip_fraction,explained_variance,grad_norm\n");
      for (int u = 1; u <= 4; u++) { // a return rising towards the task's own row value x 500
        csv.append(String.format(Locale.ROOT, "%d,%d,1.0,500.0,0.00025,%.4f,%d,0,0,0,0,0,0,0%n", u, 128 * u,
            500 * m.row(task)[task] * u / 4, u));
      }
      Files.writeString(run.resolve("metrics.csv"), csv);
      return rows.train(task);
    };
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesSweepsAndRunsAndRefusesWhatIsNotThere() throws Exception {
    Path root = tmp.resolve("runs");
    Path sweepDir = root.resolve("toy");
    TransferMatrix m = SyntheticMatrices.generate("two-peaked", 6, 0.02, 3);
    Sweep.create(SweepTest.settings(6, 3, List.of("mbtl"), false), sweepDir).run(withCurves(m, sweepDir), 1, null);
    Path lone = root.resolve("cp1");
    Files.createDirectories(lone);
    Files.writeString(lone.resolve("metrics.csv"), "step,seconds,eval_return\n100,1.0,\n200,2.0,12.5\n");
    Files.writeString(tmp.resolve("secret.txt"), "outside");
    try (Dashboard d = Dashboard.start(root, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int port = d.port();
      HttpResponse<String> page = get(port, "/");
      assertEquals(200, page.statusCode());
      assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
      assertTrue(page.body().contains("/api/sweep"));

      JsonObject list = JsonParser.parseString(get(port, "/api/list").body()).getAsJsonObject();
      assertEquals("toy", list.getAsJsonArray("sweeps").get(0).getAsJsonObject().get("path").getAsString());
      assertEquals(3, list.getAsJsonArray("sweeps").get(0).getAsJsonObject().get("trained").getAsInt());
      assertEquals("[\"cp1\"]", list.getAsJsonArray("runs").toString(), "the sweep's task runs are not listed as runs");

      JsonObject s = JsonParser.parseString(get(port, "/api/sweep?path=toy").body()).getAsJsonObject();
      assertEquals(6, s.getAsJsonArray("matrix").size());
      int trainedRows = 0;
      Sweep saved = Sweep.open(sweepDir);
      for (int i = 0; i < 6; i++) {
        if (!s.getAsJsonArray("matrix").get(i).isJsonNull()) {
          trainedRows++;
          assertEquals(saved.trained().get(i).row()[2], s.getAsJsonArray("matrix").get(i).getAsJsonArray().get(2)
              .getAsDouble(), "row " + i + " as saved");
        }
      }
      assertEquals(3, trainedRows);
      assertEquals("length", s.get("feature").getAsString());
      assertEquals(3, s.getAsJsonArray("curves").size());
      assertEquals(4, s.getAsJsonArray("curves").get(0).getAsJsonObject().getAsJsonArray("points").size());
      assertTrue(s.get("vk").isJsonNull(), "no report written yet");

      JsonObject run = JsonParser.parseString(get(port, "/api/run?path=cp1").body()).getAsJsonObject();
      assertEquals("[[200.0,12.5]]", run.getAsJsonArray("points").toString(), "rows without a return skipped");

      // refusals: each a 4xx with a JSON reason
      assertRefused(port, "/api/sweep?path=../", 403, "outside");
      assertRefused(port, "/api/sweep?path=" + tmp.toAbsolutePath(), 403, "outside");
      assertRefused(port, "/api/run?path=nope", 404, "no folder 'nope'");
      assertRefused(port, "/api/sweep?path=cp1", 404, "holds no sweep.json");
      assertRefused(port, "/api/sweep", 400, "missing query parameter 'path'");
      assertRefused(port, "/secret.txt", 404, "no such page");
      assertRefused(port, "/../secret.txt", 404, "no such page");
      Path outside = Files.createDirectories(tmp.resolve("outside"));
      Files.writeString(outside.resolve("metrics.csv"), "step,eval_return\n1,2\n");
      Files.createSymbolicLink(root.resolve("link"), outside);
      assertRefused(port, "/api/run?path=link", 403, "leads outside");
      HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/api/list")).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(405, post.statusCode());
      assertTrue(post.body().contains("read-only"), post.body());

      SweepReport.write(Sweep.open(sweepDir).run(withCurves(m, sweepDir), 1, null), sweepDir);
      JsonObject after = JsonParser.parseString(get(port, "/api/sweep?path=toy").body()).getAsJsonObject();
      assertEquals(3, after.getAsJsonObject("vk").getAsJsonArray("mbtl").size(), "V_1..V_3 from summary.csv");
    }
  }

  static void assertRefused(int port, String path, int status, String why) throws Exception {
    HttpResponse<String> r = get(port, path);
    assertEquals(status, r.statusCode(), path + ": " + r.body());
    String error = JsonParser.parseString(r.body()).getAsJsonObject().get("error").getAsString();
    assertTrue(error.contains(why), path + ": " + error);
  }
}
