package dev.zeroshot.cli;

import dev.zeroshot.env.Env;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.GymEnv;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.procgen.DistributionMode;
import dev.zeroshot.env.procgen.FrameImages;
import dev.zeroshot.env.procgen.ProcgenSuite;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.xland.XLandRenderer;
import dev.zeroshot.env.xland.XLandSuite;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zeroshot record GAME --steps N --out FILE.gif}: an animated GIF of a game played by a
 * random policy (or a given action list), made headless. {@code --mosaic} instead writes a PNG
 * with a few levels of every Procgen game.
 */
@Command(name = "record", mixinStandardHelpOptions = true,
    description = "Record a Procgen game (or an XLand id, drawn from its world) played by a random (or given) "
        + "policy as an animated GIF, headless; or, with --mosaic, a PNG of every game.")
final class RecordCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "GAME",
      description = "a Procgen game (maze, heist, ...), an XLand id, or any env id with image observations")
  String game;

  @Option(names = "--out", required = true, description = "the file to write (.gif, or .png with --mosaic)")
  Path out;

  @Option(names = "--steps", description = "steps to record (default: ${DEFAULT-VALUE})")
  int steps = 200;

  @Option(names = "--mode", description = "distribution mode: easy, hard, extreme or memory (default: ${DEFAULT-VALUE})")
  String mode = "hard";

  @Mixin
  ContextOption context;

  @Option(names = "--seed", description = "seed of the env and of the random policy (default: ${DEFAULT-VALUE})")
  long seed = 0;

  @Option(names = "--actions", paramLabel = "a,b,...", description = "play these actions in a loop instead of random ones")
  String actions = "";

  @Option(names = "--scale", description = "pixels per observation pixel; for XLand ids a cell is 4 * scale pixels "
      + "(default: ${DEFAULT-VALUE})")
  int scale = 4;

  @Option(names = "--fps", description = "GIF frames per second (default: ${DEFAULT-VALUE})")
  int fps = 15;

  @Option(names = "--mosaic", description = "write a PNG mosaic of every Procgen game (4 levels each) to --out")
  boolean mosaic;

  @Override
  public Integer call() throws IOException {
    if (steps < 1 || scale < 1 || scale > 16 || fps < 1 || fps > 100) {
      throw new IllegalArgumentException("--steps must be >= 1, --scale in [1, 16], --fps in [1, 100]");
    }
    PrintWriter console = spec.commandLine().getOut();
    if (mosaic) {
      List<String> ids = new ArrayList<>();
      for (String g : ProcgenSuite.GAMES) {
        ids.add(ProcgenSuite.id(g, DistributionMode.HARD));
      }
      BufferedImage img = FrameImages.mosaic(ids, 4, 40, scale);
      ImageIO.write(img, "png", out.toFile());
      console.printf("wrote %s: %d games x 4 levels (%dx%d)%n", out, ids.size(), img.getWidth(), img.getHeight());
      return 0;
    }
    if (game == null) {
      throw new IllegalArgumentException("give a GAME (e.g. maze) or --mosaic");
    }
    String id = game.contains("/") || game.matches(".*-v\\d+$") ? game
        : ProcgenSuite.id(game, DistributionMode.parse(mode));
    EnvSpec envSpec = EnvRegistry.builtin().spec(id);
    Env probe = envSpec.make(envSpec.contextSpace().defaults());
    boolean xland = XLandRenderer.xland(probe) != null; // symbolic: drawn from the world, a cell 4 * scale pixels
    if (!xland && (!(probe.observationSpace() instanceof Box box) || box.shape().length != 3 || box.shape()[0] != 3)) {
      throw new IllegalArgumentException(id + " does not observe images; record needs a [3, H, W] uint8 observation"
          + " or an XLand id");
    }
    int[] scripted = parseActions(actions);
    Context ctx = context.resolve(envSpec);
    GymEnv env = new GymEnv(envSpec.make(ctx), envSpec.maxEpisodeSteps());
    StepBuffers b = StepBuffers.allocate(env);
    SplittableRandom policy = new SplittableRandom(seed);
    List<BufferedImage> frames = new ArrayList<>();
    XLandRenderer renderer = new XLandRenderer(4 * scale, XLandSuite.VIEW);
    Supplier<BufferedImage> frame = xland ? () -> renderer.render(XLandRenderer.xland(env.env()).world())
        : () -> FrameImages.toImage(b.observations(), 0, scale);
    env.reset(seed, b, 0);
    frames.add(frame.get());
    int episodes = 0;
    double total = 0;
    for (int t = 0; t < steps; t++) {
      if (scripted.length > 0) {
        b.setDiscreteAction(0, scripted[t % scripted.length]);
      } else {
        env.actionSpace().sample(policy, b.actions(), 0);
      }
      env.step(b, 0);
      total += b.reward(0);
      frames.add(frame.get());
      if (b.episodeEnded(0)) {
        episodes++;
        env.reset(b, 0);
        frames.add(frame.get());
      }
    }
    FrameImages.writeGif(frames, 1000 / fps, out);
    console.printf("wrote %s: %s, %d steps, %d frames, %d episode(s) ended, total reward %.2f%n",
        out, id, steps, frames.size(), episodes, total);
    console.flush();
    return 0;
  }

  private static int[] parseActions(String s) {
    if (s.isBlank()) {
      return new int[0];
    }
    String[] parts = s.split(",");
    int[] a = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        a[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--actions entry '" + parts[i].trim() + "' is not an integer");
      }
      if (a[i] < 0 || a[i] > 14) {
        throw new IllegalArgumentException("--actions entry " + a[i] + " is out of range for Discrete(15)");
      }
    }
    return a;
  }
}
