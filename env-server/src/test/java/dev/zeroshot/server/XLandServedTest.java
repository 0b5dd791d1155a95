package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The XLand variants served over gRPC with the shared-memory plane step as they do in-process. */
class XLandServedTest {

  @ParameterizedTest
  @ValueSource(strings = {"XLand-MiniGrid-R1-9x9-Meta-v0", "XLand-MiniGrid-R1-9x9-RulesetObs-v0"})
  void sharedMemoryStepsMatchTheLocalVectorEnv(String id) throws Exception {
    int n = 4;
    try (TestServer ts = new TestServer();
        RemoteVectorEnv remote = RemoteVectorEnv.builder(ts.target(), id).numEnvs(n).sharedMemory(true).build();
        VectorEnv local = EnvRegistry.builtin().vector(id).numEnvs(n).threads(1).build()) {
      assertEquals(local.singleObservationSpace(), remote.singleObservationSpace());
      StepBuffers a = remote.sharedBuffers();
      StepBuffers b = StepBuffers.allocate(local);
      remote.reset(9, a);
      local.reset(9, b);
      SplittableRandom rng = new SplittableRandom(2);
      double rewards = 0;
      for (int t = 0; t < 2000; t++) {
        for (int i = 0; i < n; i++) {
          long act = rng.nextInt(6);
          a.setDiscreteAction(i, act);
          b.setDiscreteAction(i, act);
        }
        remote.step(a);
        local.step(b);
        assertEquals(b.observations(), a.observations(), "observations at step " + t);
        for (int i = 0; i < n; i++) {
          assertEquals(b.reward(i), a.reward(i), "reward at step " + t);
          assertEquals(b.terminated(i), a.terminated(i));
          assertEquals(b.truncated(i), a.truncated(i));
          rewards += a.reward(i);
        }
      }
      assertTrue(rewards > 0, "random play meets some trivial goals in 8000 steps");
    }
  }
}
