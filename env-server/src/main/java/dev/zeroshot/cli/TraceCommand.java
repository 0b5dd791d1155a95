package dev.zeroshot.cli;

import com.google.gson.JsonObject;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.context.Context;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code zeroshot trace ENV --out FILE}: an in-process rollout with random actions, written
 * byte for byte (actions, observations, rewards, flags), so that another client (the Python
 * one, over gRPC) can replay the actions and check it gets bit-identical results.
 *
 * <p>File: one JSON header line ({@code env_id, num_envs, seed, steps, context,
 * observation_bytes, action_bytes}), then the reset record and {@code steps} step records.
 * A record is [actions (steps only)] observations, rewards (float64 x N), terminated (uint8 x N),
 * truncated (uint8 x N), all little-endian.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
    description = "Write an in-process rollout (actions and results, byte for byte) for determinism checks across clients.")
final class TraceCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "ENV", description = "environment id, e.g. CartPole-v1")
  String envId;

  @Option(names = "--out", required = true, description = "file to write")
  Path out;

  @Mixin
  ContextOption context;

  @Mixin
  NumEnvsOption numEnvs = new NumEnvsOption(4);

  @Option(names = "--seed", description = "reset seed; actions use seed + 1 (default: ${DEFAULT-VALUE})")
  long seed = 0;

  @Option(names = "--steps", description = "steps after the reset (default: ${DEFAULT-VALUE})")
  int steps = 200;

  @Override
  public Integer call() throws IOException {
    if (steps < 0) {
      throw new IllegalArgumentException("--steps must be >= 0, got " + steps);
    }
    EnvSpec spec = EnvRegistry.builtin().spec(envId);
    Context ctx = context.resolve(spec);
    try (VectorEnv env = VectorEnv.builder(spec).numEnvs(numEnvs.value).context(ctx).threads(1).build();
        OutputStream os = new BufferedOutputStream(Files.newOutputStream(out))) {
      StepBuffers buf = StepBuffers.allocate(env);
      JsonObject header = new JsonObject();
      header.addProperty("env_id", envId);
      header.addProperty("num_envs", numEnvs.value);
      header.addProperty("seed", seed);
      header.addProperty("steps", steps);
      header.add("context", com.google.gson.JsonParser.parseString(ctx.toJson()));
      header.addProperty("observation_bytes", buf.observationBytes());
      header.addProperty("action_bytes", buf.actionBytes());
      os.write((header + "\n").getBytes(StandardCharsets.UTF_8));
      env.reset(seed, buf);
      write(os, buf);
      SplittableRandom policy = new SplittableRandom(seed + 1);
      for (int t = 0; t < steps; t++) {
        for (int i = 0; i < numEnvs.value; i++) {
          env.singleActionSpace().sample(policy, buf.actions(), i * buf.actionBytes());
        }
        os.write(bytes(buf.actions()));
        env.step(buf);
        write(os, buf);
      }
    }
    return 0;
  }

  private void write(OutputStream os, StepBuffers buf) throws IOException {
    os.write(bytes(buf.observations()));
    ByteBuffer r = ByteBuffer.allocate(numEnvs.value * 10).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < numEnvs.value; i++) {
      r.putDouble(buf.reward(i));
    }
    for (int i = 0; i < numEnvs.value; i++) {
      r.put((byte) (buf.terminated(i) ? 1 : 0));
    }
    for (int i = 0; i < numEnvs.value; i++) {
      r.put((byte) (buf.truncated(i) ? 1 : 0));
    }
    os.write(r.array());
  }

  private static byte[] bytes(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    d.clear();
    byte[] a = new byte[d.remaining()];
    d.get(a);
    return a;
  }
}
