package dev.zeroshot.cli;

import static dev.zeroshot.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The control-suite commands as a user types them. */
class CommandLineTest {

  @Test
  void envsListsEveryControlTaskWithSpacesAndFeatures() {
    CliRun r = run("envs");
    assertEquals(0, r.exit, r.err);
    for (String id : new String[] {"CartPole-v1", "Pendulum-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Acrobot-v1",
        "TrafficSignal-v0"}) {
      assertTrue(r.out.contains(id + "  ("), id + " missing from:\n" + r.out);
    }
    assertTrue(r.out.contains("action:      Discrete(2)"));
    assertTrue(r.out.contains("masscart"));
    assertTrue(r.out.contains("[0.1, 10.0]"));
  }

  @Test
  void rolloutPrintsEachEpisodeAndIsDeterministic() {
    CliRun a = run("rollout", "CartPole-v1", "--context", "length=1.0", "--episodes", "4", "--seed", "7");
    assertEquals(0, a.exit, a.err);
    Matcher m = Pattern.compile("(?m)^\\s+(\\d+)\\s+(\\S+)\\s+(\\d+)$").matcher(a.out);
    int episodes = 0;
    while (m.find()) {
      episodes++;
      assertEquals(Double.parseDouble(m.group(2)), Integer.parseInt(m.group(3)), 1e-9, "CartPole return = length");
    }
    assertEquals(4, episodes, a.out);
    assertTrue(a.out.contains("length=1.0"));
    assertTrue(a.out.contains("steps/s"));
    CliRun b = run("rollout", "CartPole-v1", "--context", "length=1.0", "--episodes", "4", "--seed", "7");
    assertEquals(a.out.substring(0, a.out.indexOf("mean return")), b.out.substring(0, b.out.indexOf("mean return")));
  }

  @Test
  void badInputIsOneClearLineAndExitCode2() {
    CliRun unknownEnv = run("rollout", "CartPole-v0");
    assertEquals(2, unknownEnv.exit);
    assertEquals("error: unknown env id 'CartPole-v0'; did you mean CartPole-v1?", unknownEnv.err.strip());
    CliRun badContext = run("rollout", "Pendulum-v1", "--context", "m=-1");
    assertEquals(2, badContext.exit);
    assertTrue(badContext.err.contains("'m' = -1.0 is outside the allowed range [1.0E-6, inf)"), badContext.err);
    CliRun badEpisodes = run("rollout", "Pendulum-v1", "--episodes", "0");
    assertEquals(2, badEpisodes.exit);
    assertTrue(badEpisodes.err.contains("--episodes must be >= 1"), badEpisodes.err);
  }
}
