package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Same game, mode, context, seed and actions: bit-identical frames, rewards and ends, on any thread count. */
class ProcgenDeterminismTest {

  static Stream<String> procgenIds() {
    return EnvRegistry.builtin().specs().stream().map(EnvSpec::id).filter(id -> id.startsWith("procgen/"));
  }

  private static String digestRun(VectorEnv env, long seed, int steps) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    StepBuffers b = StepBuffers.allocate(env);
    SplittableRandom policy = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
    env.reset(seed, b);
    digest(md, b);
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < env.numEnvs(); i++) {
        b.setDiscreteAction(i, policy.nextInt(15));
      }
      env.step(b);
      digest(md, b);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static void digest(MessageDigest md, StepBuffers b) {
    ByteBuffer obs = b.observations().duplicate();
    obs.clear();
    md.update(obs);
    for (int i = 0; i < b.numEnvs(); i++) {
      long bits = Double.doubleToRawLongBits(b.reward(i));
      for (int k = 0; k < 8; k++) {
        md.update((byte) (bits >>> (8 * k)));
      }
      md.update((byte) ((b.terminated(i) ? 1 : 0) | (b.truncated(i) ? 2 : 0)));
    }
  }

  @ParameterizedTest
  @MethodSource("procgenIds")
  void sameSeedGivesBitIdenticalRuns(String id) throws Exception {
    String reference;
    try (VectorEnv env = EnvRegistry.builtin().vector(id).numEnvs(3).threads(1).build()) {
      reference = digestRun(env, 7, 300);
      assertEquals(reference, digestRun(env, 7, 300), id + ": a second run on the same env differs");
    }
    try (VectorEnv env = EnvRegistry.builtin().vector(id).numEnvs(3).threads(2).build()) {
      assertEquals(reference, digestRun(env, 7, 300), id + ": differs on 2 threads");
      assertNotEquals(reference, digestRun(env, 8, 300), id + ": another seed should give another run");
    }
  }
}
