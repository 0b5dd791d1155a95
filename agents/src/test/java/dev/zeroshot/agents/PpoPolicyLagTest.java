package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.agents.nn.Param;
import dev.zeroshot.env.VectorEnvApi;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one-update policy lag: learning on batch N on a second thread while batch N+1 is collected. */
class PpoPolicyLagTest {

  @BeforeAll
  static void engine() {
    Torch.init(1);
  }

  private static PpoConfig cartPole(int lag) {
    PpoConfig c = PpoConfig.controlDiscrete();
    c.numEnvs = 4;
    c.totalTimesteps = 6L * 4 * c.numSteps;
    c.seed = 3;
    c.policyLag = lag;
    return c;
  }

  /** The weights after training, every update's recent return and episode count, and the timings. */
  private record Run(float[][] weights, List<String> updates, PpoTiming timing, PpoTiming learner) {}

  private static Run train(PpoConfig c) {
    List<String> updates = new ArrayList<>();
    try (VectorEnvApi env = Envs.forTraining(c); Ppo ppo = PpoTrainingTest.trainer(c, env)) {
      ppo.train(m -> updates.add(m.globalStep + ":" + m.episodesFinished + ":" + m.recentReturn + ":" + m.approxKl),
          () -> false);
      List<Param> ps = ppo.agent().net().params().list();
      float[][] w = new float[ps.size()][];
      for (int i = 0; i < w.length; i++) {
        w[i] = ps.get(i).value.clone();
      }
      return new Run(w, updates, ppo.timing(), ppo.learnerTiming());
    }
  }

  @Test
  void aLaggedRunIsDeterministicAndDiffersFromTheOnPolicyOne() {
    Run a = train(cartPole(1));
    Run b = train(cartPole(1));
    assertEquals(a.updates(), b.updates());
    for (int i = 0; i < a.weights().length; i++) {
      assertArrayEquals(a.weights()[i], b.weights()[i], "param " + i);
    }
    Run onPolicy = train(cartPole(0));
    assertFalse(Arrays.equals(a.weights()[0], onPolicy.weights()[0]), "lag 1 acts with older weights");
    assertEquals(6L * 4 * 128, a.timing().steps(), "every batch collected once, none past the last update");
    assertEquals(6L * 4 * 128, a.learner().steps(), "the learner thread learned every batch");
    assertTrue(a.learner().nanos(PpoTiming.Phase.LEARNING) > 0);
    assertTrue(a.timing().nanos(PpoTiming.Phase.WAITING) > 0, "the training thread waits for the learner");
  }

  @Test
  void withFrozenWeightsTheLaggedRunCollectsWhatTheOnPolicyRunCollects() {
    // a learning rate of 1e-30 (0 is refused) moves no weight by a float's ulp: the actor's
    // weights never change, so a lag cannot show, and the batches (actions drawn from update u's
    // stream, episodes, returns) must be the on-policy run's.
    PpoConfig lagged = cartPole(1);
    PpoConfig onPolicy = cartPole(0);
    for (PpoConfig c : List.of(lagged, onPolicy)) {
      c.learningRate = 1e-30;
      c.annealLr = false;
    }
    List<String> a = strip(train(lagged).updates());
    List<String> b = strip(train(onPolicy).updates());
    // update u's row counts the steps collected by then: under the lag that is batch u+1 too
    // (collected beside update u), except at the last update
    assertEquals(b.subList(1, 6), a.subList(0, 5));
    assertEquals(b.get(5), a.get(5));
  }

  /** The update rows without approx KL (the learner's shuffles differ between the modes). */
  private static List<String> strip(List<String> rows) {
    return rows.stream().map(r -> r.substring(0, r.lastIndexOf(':'))).toList();
  }

  @Test
  void lagWorksWithTheOverlapAndACurriculumDeterministically() {
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    for (List<String> out : List.of(first, second)) {
      PpoConfig c = CurriculumPpoTest.config("robust-plr", "capacity=8,min-fill=0.5");
      c.numEnvs = 5;
      c.totalTimesteps = 4L * 5 * c.numSteps;
      c.overlap = true;
      c.policyLag = 1;
      try (VectorEnvApi env = Envs.forTraining(c.validate()); Ppo ppo = PpoTrainingTest.trainer(c, env)) {
        ppo.onEpisode((step, i, level, f) -> out.add(step + ":" + i + ":" + level.levelId() + ":" + f));
        ppo.train(m -> out.add("update " + m.update + " " + m.recentReturn + " " + m.policyLoss), () -> false);
      }
    }
    assertTrue(first.size() > 20, "episodes were reported: " + first.size());
    assertEquals(first, second);
  }

  @Test
  void onlyLagZeroOrOneIsAccepted() {
    PpoConfig c = cartPole(2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::validate);
    assertTrue(e.getMessage().contains("policy lag must be 0 (on-policy) or 1"), e.getMessage());
  }
}
