package dev.zeroshot.cli;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.GymEnv;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.procgen.DistributionMode;
import dev.zeroshot.env.procgen.ProcgenSuite;
import dev.zeroshot.env.procgen.play.PlayWindow;
import dev.zeroshot.env.xland.XLandPlay;
import dev.zeroshot.env.xland.XLandRenderer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zeroshot play GAME}: play a Procgen game in a window (arrow keys move, D A W S Q E
 * are the special actions, Escape quits), as Procgen's interactive mode; or an XLand id, drawn
 * from its world, one step a key press with XLand-MiniGrid's keys. Needs a display.
 */
@Command(name = "play", mixinStandardHelpOptions = true,
    description = "Play a Procgen game in a window: arrow keys move, D/A/W/S/Q/E are actions 9-14, Escape quits. "
        + "Or an XLand id: Up forward, Left/Right turn, Tab pick up, Left Shift put down, Space toggle.")
final class PlayCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "GAME", description = "a Procgen game (maze, heist, ...) or its env id")
  String game;

  @Option(names = "--mode", description = "distribution mode: easy, hard, extreme or memory (default: ${DEFAULT-VALUE})")
  String mode = "hard";

  @Option(names = "--level", description = "play only this level seed (default: a new level every episode)")
  Long level;

  @Mixin
  ContextOption context;

  @Option(names = "--seed", description = "seed of the level sequence (default: ${DEFAULT-VALUE})")
  long seed = 0;

  @Option(names = "--scale", description = "window pixels per observation pixel (default: ${DEFAULT-VALUE})")
  int scale = 8;

  @Option(names = "--fps", description = "steps per second (default: ${DEFAULT-VALUE}, as Procgen's interactive mode)")
  int fps = 15;

  @Option(names = "--frames", description = "quit after this many frames (a Procgen game steps every frame; 0 = never; for scripted checks)")
  long frames = 0;

  @Option(names = "--check", description = "read the window back after the last step and fail unless it shows the observation")
  boolean check;

  @Override
  public Integer call() {
    if (scale < 1 || scale > 32 || fps < 1 || fps > 240 || frames < 0) {
      throw new IllegalArgumentException("--scale must be in [1, 32], --fps in [1, 240], --frames >= 0");
    }
    String id = game.contains("/") || game.matches(".*-v\\d+$") ? game : ProcgenSuite.id(game, DistributionMode.parse(mode));
    EnvSpec envSpec = EnvRegistry.builtin().spec(id);
    boolean xland = XLandRenderer.xland(envSpec.make(envSpec.contextSpace().defaults())) != null;
    if (!id.startsWith("procgen/") && !xland) {
      throw new IllegalArgumentException(id + " is not a Procgen game or an XLand id; play needs one (see 'zeroshot envs')");
    }
    Context ctx = context.resolve(envSpec);
    if (level != null) {
      ctx = ctx.with(java.util.Map.of("num_levels", 1.0, "start_level", (double) level));
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(xland ? "%s, context: %s; Up forward, Left/Right turn, Tab pick up, Left Shift put down, Space toggle,"
        + " Escape quits%n" : "%s, context: %s; arrows move, D A W S Q E act, Escape quits%n", id, ctx);
    out.flush();
    GymEnv env = new GymEnv(envSpec.make(ctx), envSpec.maxEpisodeSteps());
    PlayWindow window;
    if (xland) {
      XLandPlay view = new XLandPlay(XLandRenderer.xland(env.env()).world());
      window = new PlayWindow(env, "zeroshot play " + id, Math.max(1, scale / 2), fps, view, view); // 8 * scale / 2 pixels a cell
    } else {
      window = new PlayWindow(env, "zeroshot play " + id, scale, fps);
    }
    window.run(seed, frames, out);
    out.printf("played %d steps%n", window.steps());
    if (check) {
      int bad = window.mismatchedPixels();
      out.printf("window check: %s%n", bad == 0 ? "the window shows the observation" : bad + " of " + window.framePixels() + " pixels differ");
      out.flush();
      return bad == 0 ? 0 : 1;
    }
    out.flush();
    return 0;
  }
}
