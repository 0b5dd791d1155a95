package dev.zeroshot.python;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Python client's tests (clients/python/tests, pytest) as part of {@code ./mvnw verify}: they
 * run against zeroshot.jar, which is why this is an integration test (after package). The Python
 * is $ZEROSHOT_PYTHON, else the first of python3 and /usr/bin/python3 that imports grpc,
 * google.protobuf, numpy and pytest; without one the test is skipped with a line that says so.
 */
class PythonClientIT {

  private static final String NEEDS = "import grpc, google.protobuf, numpy, pytest";

  @Test
  void pythonClientTestsPass() throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent(); // failsafe runs in env-server/
    Path jar = root.resolve("env-server/target/zeroshot.jar");
    String python = python();
    if (python == null) {
      String why = "Python client tests skipped: no Python with grpcio, protobuf, numpy and pytest (set ZEROSHOT_PYTHON, "
          + "or on Debian: apt-get install python3-grpcio python3-protobuf python3-numpy python3-pytest)";
      System.out.println(why);
      Assumptions.abort(why);
    }
    System.out.println("Python client tests: " + python + " -m pytest clients/python/tests");
    List<String> cmd = new ArrayList<>(List.of(python, "-m", "pytest", "-q", "-p", "no:cacheprovider",
        root.resolve("clients/python/tests").toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).inheritIO();
    pb.environment().put("ZEROSHOT_JAR", jar.toString());
    pb.environment().remove("ZEROSHOT_ADDRESS"); // the tests start their own server from the jar
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the Python client tests ran past 30 minutes");
    }
    // pytest: 0 all passed, 1 some failed, 5 none collected (a failure here too)
    assertEquals(0, p.exitValue(), "pytest exit code (see its output above)");
  }

  /** $ZEROSHOT_PYTHON, else the first candidate that imports what the tests need; null if none. */
  private static String python() throws Exception {
    String chosen = System.getenv("ZEROSHOT_PYTHON");
    if (chosen != null && !chosen.isBlank()) {
      return chosen;
    }
    for (String candidate : List.of("python3", "/usr/bin/python3")) {
      if (candidate.startsWith("/") && !Files.isExecutable(Path.of(candidate))) {
        continue;
      }
      try {
        Process p = new ProcessBuilder(candidate, "-c", NEEDS).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
        p.destroyForcibly();
      } catch (java.io.IOException notThere) {
        // next candidate
      }
    }
    return null;
  }
}
