package dev.zeroshot.mbtl;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * {@code zeroshot dashboard DIR}: a read-only web page over the sweeps and runs under one folder,
 * served by the JDK's HTTP server. The page ({@code dashboard.html}, plain HTML and JavaScript)
 * polls three JSON endpoints and redraws without a reload:
 * <ul>
 *   <li>{@code /api/list}: the sweeps (folders with {@code sweep.json}) and the runs (folders with
 *       {@code metrics.csv} outside a sweep) under DIR;
 *   <li>{@code /api/sweep?path=P}: a sweep's transfer matrix as filled so far (from
 *       {@code sweep.json}, saved after every training), V_k per strategy (from {@code summary.csv},
 *       once a report is written) and the learning curve of every task folder;
 *   <li>{@code /api/run?path=P}: one run's learning curve.
 * </ul>
 * Paths are relative to DIR; one that leaves DIR (by {@code ..}, an absolute path or a symbolic
 * link) is refused with 403, a missing one with 404, other requests with 400, 404 or 405, each
 * with a JSON {@code {"error": ...}} that says why. Nothing is ever written.
 */
public final class Dashboard implements Closeable {

  /** Learning curves are thinned to at most this many points per run. */
  static final int MAX_POINTS = 400;
  private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

  private final Path root;
  private final HttpServer server;

  /** A request the dashboard refuses: its HTTP status and the reason. */
  static final class Refused extends RuntimeException {
    final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private Dashboard(Path root, HttpServer server) {
    this.root = root;
    this.server = server;
  }

  /** Serves {@code root} at {@code address} (port 0: a free one) until {@link #close}. */
  public static Dashboard start(Path root, InetSocketAddress address) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("dashboard: " + root + " is not a folder");
    }
    HttpServer server = HttpServer.create(address, 0);
    Dashboard d = new Dashboard(root.toRealPath(), server);
    server.createContext("/", d::handle);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "dashboard-http");
      t.setDaemon(true);
      return t;
    }));
    server.start();
    return d;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      try {
        if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
          ex.getResponseHeaders().set("Allow", "GET, HEAD");
          throw new Refused(405, "method " + ex.getRequestMethod() + " not allowed: the dashboard is read-only (GET)");
        }
        String path = ex.getRequestURI().getPath();
        switch (path) {
          case "/", "/index.html" -> send(ex, 200, "text/html; charset=utf-8", page());
          case "/api/list" -> sendJson(ex, 200, list());
          case "/api/sweep" -> sendJson(ex, 200, sweep(folder(query(ex, "path"), Sweep.STATE)));
          case "/api/run" -> sendJson(ex, 200, run(folder(query(ex, "path"), "metrics.csv")));
          default -> throw new Refused(404, "no such page: " + path + " (the dashboard serves /, /api/list, "
              + "/api/sweep?path=P and /api/run?path=P)");
        }
      } catch (Refused e) {
        JsonObject o = new JsonObject();
        o.addProperty("error", e.getMessage());
        sendJson(ex, e.status, o);
      } catch (IOException | RuntimeException e) { // a file changed under us, a half-written file
        JsonObject o = new JsonObject();
        o.addProperty("error", "could not read: " + e.getMessage());
        sendJson(ex, 500, o);
      }
    }
  }

  private static String query(HttpExchange ex, String name) {
    String q = ex.getRequestURI().getRawQuery();
    if (q != null) {
      for (String kv : q.split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0 && URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
          return URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
        }
      }
    }
    throw new Refused(400, "missing query parameter '" + name + "' (a folder relative to the dashboard's folder)");
  }

  /** The folder {@code rel} under the root, which must hold {@code file}. */
  Path folder(String rel, String file) throws IOException {
    Path p = root.resolve(rel).normalize();
    if (!p.startsWith(root)) {
      throw new Refused(403, "'" + rel + "' is outside the dashboard's folder");
    }
    Path real;
    try {
      real = p.toRealPath();
    } catch (NoSuchFileException e) {
      throw new Refused(404, "no folder '" + rel + "' under the dashboard's folder");
    }
    if (!real.startsWith(root)) {
      throw new Refused(403, "'" + rel + "' leads outside the dashboard's folder");
    }
    if (!Files.isRegularFile(real.resolve(file))) {
      throw new Refused(404, "'" + rel + "' holds no " + file);
    }
    return real;
  }

  private String relative(Path p) {
    String r = root.relativize(p).toString().replace('\\', '/');
    return r.isEmpty() ? "." : r;
  }

  JsonObject list() throws IOException {
    List<Path> sweeps = new ArrayList<>();
    List<Path> runs = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root, 4)) {
      s.filter(p -> p.getFileName() != null).forEach(p -> {
        String name = p.getFileName().toString();
        if (name.equals(Sweep.STATE)) {
          sweeps.add(p.getParent());
        } else if (name.equals("metrics.csv")) {
          runs.add(p.getParent());
        }
      });
    }
    sweeps.sort(null);
    runs.sort(null);
    JsonObject o = new JsonObject();
    o.addProperty("root", root.getFileName() == null ? root.toString() : root.getFileName().toString());
    JsonArray sw = new JsonArray();
    for (Path d : sweeps) {
      JsonObject x = new JsonObject();
      x.addProperty("path", relative(d));
      try {
        Sweep sweep = Sweep.open(d);
        x.addProperty("describe", sweep.settings().describe());
        x.addProperty("trained", sweep.trained().size());
        x.addProperty("tasks", sweep.settings().n());
      } catch (IOException | RuntimeException e) {
        x.addProperty("error", e.getMessage());
      }
      sw.add(x);
    }
    o.add("sweeps", sw);
    JsonArray rs = new JsonArray();
    for (Path d : runs) {
      if (sweeps.stream().noneMatch(d::startsWith)) { // a sweep's task runs are shown with the sweep
        rs.add(relative(d));
      }
    }
    o.add("runs", rs);
    return o;
  }

  JsonObject sweep(Path dir) throws IOException {
    Sweep sweep = Sweep.open(dir);
    SweepSettings s = sweep.settings();
    int n = s.n();
    JsonObject o = new JsonObject();
    o.addProperty("path", relative(dir));
    o.addProperty("describe", s.describe());
    o.addProperty("feature", s.grid().columnName());
    o.addProperty("budget", s.budget());
    JsonArray labels = new JsonArray();
    for (int i = 0; i < n; i++) {
      labels.add(s.grid().columnValue(i));
    }
    o.add("labels", labels);
    var trained = sweep.trained();
    JsonArray matrix = new JsonArray();
    for (int i = 0; i < n; i++) {
      TrainedTask t = trained.get(i);
      matrix.add(t == null ? JsonNull.INSTANCE : Sweep.array(t.row()));
    }
    o.add("matrix", matrix);
    o.addProperty("trained", trained.size());
    o.add("vk", summary(dir.resolve("summary.csv")));
    JsonArray curves = new JsonArray();
    Path tasks = dir.resolve("tasks");
    if (Files.isDirectory(tasks)) {
      try (Stream<Path> ds = Files.list(tasks)) {
        for (Path d : ds.sorted().toList()) {
          if (Files.isRegularFile(d.resolve("metrics.csv"))) {
            JsonObject c = new JsonObject();
            c.addProperty("name", d.getFileName().toString());
            c.add("points", curve(d.resolve("metrics.csv")));
            curves.add(c);
          }
        }
      }
    }
    o.add("curves", curves);
    return o;
  }

  JsonObject run(Path dir) throws IOException {
    JsonObject o = new JsonObject();
    o.addProperty("path", relative(dir));
    o.add("points", curve(dir.resolve("metrics.csv")));
    return o;
  }

  /** summary.csv ({@code strategy,V1..VK,average}) as {strategy: [V_1..V_K]}; null before a report. */
  static JsonElement summary(Path csv) throws IOException {
    if (!Files.isRegularFile(csv)) {
      return JsonNull.INSTANCE;
    }
    JsonObject o = new JsonObject();
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] f = line.split(",", -1);
      JsonArray v = new JsonArray();
      for (int k = 1; k < f.length - 1; k++) {
        v.add(f[k].isEmpty() ? JsonNull.INSTANCE : GSON.toJsonTree(Double.parseDouble(f[k])));
      }
      o.add(f[0], v);
    }
    return o;
  }

  /**
   * A run's learning curve, [[step, return], ...], from its metrics.csv: PPO's
   * {@code global_step,recent_return}, an offline run's {@code step,eval_return}. Rows without a
   * return (or still being written) are skipped; long curves are thinned to {@link #MAX_POINTS}.
   */
  static JsonArray curve(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    JsonArray out = new JsonArray();
    if (lines.isEmpty()) {
      return out;
    }
    List<String> header = List.of(lines.get(0).split(","));
    int x = header.contains("global_step") ? header.indexOf("global_step") : header.indexOf("step");
    int y = header.contains("recent_return") ? header.indexOf("recent_return") : header.indexOf("eval_return");
    if (x < 0 || y < 0) {
      return out;
    }
    List<double[]> points = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      if (f.length != header.size() || f[y].isEmpty()) {
        continue;
      }
      try {
        double v = Double.parseDouble(f[y]);
        if (Double.isFinite(v)) {
          points.add(new double[] {Double.parseDouble(f[x]), v});
        }
      } catch (NumberFormatException e) {
        // a row still being written
      }
    }
    int stride = Math.max(1, (points.size() + MAX_POINTS - 1) / MAX_POINTS);
    for (int i = 0; i < points.size(); i++) {
      if (i % stride == 0 || i == points.size() - 1) {
        JsonArray p = new JsonArray();
        p.add(points.get(i)[0]);
        p.add(points.get(i)[1]);
        out.add(p);
      }
    }
    return out;
  }

  private static byte[] page() {
    try (InputStream in = Dashboard.class.getResourceAsStream("dashboard.html")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sendJson(HttpExchange ex, int status, JsonObject body) throws IOException {
    send(ex, status, "application/json; charset=utf-8", GSON.toJson(body).getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    }
  }
}
