package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The cached tile layer never shows a stale frame: every frame equals one drawn from scratch. */
class RenderCacheTest {

  static java.util.stream.Stream<String> procgenIds() {
    return ProcgenDeterminismTest.procgenIds();
  }

  @ParameterizedTest
  @MethodSource("procgenIds")
  void cachedFramesEqualFreshOnes(String id) {
    GameDriver d = new GameDriver(id).level(11);
    ByteBuffer fresh = ByteBuffer.allocate(d.obs.capacity());
    SplittableRandom policy = new SplittableRandom(5);
    for (int t = 0; t < 300; t++) {
      d.step(policy.nextInt(15));
      if (d.game.terminated()) {
        d.game.reset(d.obs, 0);
      }
      d.game.invalidateUnderlay();
      d.game.render(fresh, 0);
      assertArrayEquals(fresh.array(), d.obs.array(), id + " step " + t);
    }
  }
}
