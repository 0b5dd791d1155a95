package dev.zeroshot.mbtl.exec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An external command run to its end within a time limit (Slurm's client tools can hang when
 * the controller is unreachable: every call is bounded).
 *
 * @param exit the exit status, or {@link #TIMED_OUT} when the command was killed at its limit
 */
public record Command(List<String> argv, int exit, String stdout, String stderr) {

  public static final int TIMED_OUT = -1;

  /**
   * {@code argv} with {@code env} added to this process's environment (a PATH there is also where
   * the program is looked up); throws if it cannot start.
   */
  public static Command run(List<String> argv, Map<String, String> env, Duration limit) throws IOException {
    List<String> cmd = new java.util.ArrayList<>(argv);
    if (env.containsKey("PATH") && !cmd.get(0).contains("/")) {
      String found = null;
      for (String d : env.get("PATH").split(":")) {
        java.io.File f = new java.io.File(d, cmd.get(0));
        if (found == null && f.canExecute()) {
          found = f.getPath();
        }
      }
      if (found == null) {
        throw new IOException("Cannot run program \"" + cmd.get(0) + "\": not found in " + env.get("PATH"));
      }
      cmd.set(0, found);
    }
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    boolean ended;
    try {
      ended = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + argv.get(0));
    }
    if (!ended) {
      p.destroyForcibly();
      return new Command(argv, TIMED_OUT, "", "no answer within " + limit.toSeconds() + " s");
    }
    return new Command(argv, p.exitValue(), out.join(), err.join());
  }

  public boolean ok() {
    return exit == 0;
  }

  /** stderr on one line (Slurm's tools write several "error:" lines for one failure). */
  public String errorLine() {
    String s = stderr.strip().replaceAll("\\s*\\n\\s*", "; ");
    return s.isEmpty() ? (exit == TIMED_OUT ? "timed out" : "exit status " + exit) : s;
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
