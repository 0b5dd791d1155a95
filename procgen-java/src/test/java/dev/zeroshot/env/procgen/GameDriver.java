package dev.zeroshot.env.procgen;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.context.Context;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/** Drives one raw game directly (no time limit): reset, step with an action, read the frame. */
final class GameDriver {

  final ProcgenGame game;
  final ByteBuffer obs = ByteBuffer.allocate(ProcgenGame.OBSERVATION.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
  private final ByteBuffer act = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

  GameDriver(String id, Map<String, Double> context) {
    EnvSpec spec = EnvRegistry.builtin().spec(id);
    Context c = spec.contextSpace().with(context);
    game = (ProcgenGame) spec.make(c);
  }

  GameDriver(String id) {
    this(id, Map.of());
  }

  /** Seeds and resets: the level of the first reset after seed s. */
  GameDriver level(long seed) {
    game.seed(seed);
    game.reset(obs, 0);
    return this;
  }

  double step(int action) {
    act.putLong(0, action);
    return game.step(act, 0, obs, 0);
  }
}
