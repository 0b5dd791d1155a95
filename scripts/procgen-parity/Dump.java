import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.procgen.Entity;
import dev.zeroshot.env.procgen.Grid;
import dev.zeroshot.env.procgen.ProcgenGame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * Writes the lines dump.cpp writes, for a procgen-java id: each level's grid and entities after
 * generation, then its steps under the same action stream. Usage: Dump ID FROM TO STEPS.
 */
public final class Dump {

  public static void main(String[] args) {
    String id = args[0];
    int from = Integer.parseInt(args[1]);
    int to = Integer.parseInt(args[2]);
    int steps = Integer.parseInt(args[3]);
    EnvSpec spec = EnvRegistry.builtin().spec(id);
    ByteBuffer act = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    StringBuilder out = new StringBuilder();
    for (int seed = from; seed < to; seed++) {
      // One level: the level seed is exactly `seed`.
      ProcgenGame g = (ProcgenGame) spec.make(spec.contextSpace().with(Map.of("num_levels", 1.0, "start_level", (double) seed)));
      ByteBuffer obs = ByteBuffer.allocate(g.observationSpace().byteSize());
      g.seed(0);
      g.reset(obs, 0);
      Grid grid = g.grid();
      out.append("level ").append(seed).append(' ').append(grid.width()).append('x').append(grid.height()).append('\n');
      for (int y = 0; y < grid.height(); y++) {
        for (int x = 0; x < grid.width(); x++) {
          out.append(grid.get(x, y)).append(',');
        }
        out.append('\n');
      }
      for (int i = 0; i < g.entityCount(); i++) {
        Entity e = g.entity(i);
        out.append(String.format("e %d %d %08x %08x %08x %08x %08x %08x%n", e.type, e.theme, bits(e.x), bits(e.y),
            bits(e.vx), bits(e.vy), bits(e.rx), bits(e.ry)));
      }
      int lcg = seed * (int) 2654435761L + 1;
      for (int t = 0; t < steps; t++) {
        lcg = lcg * 1664525 + 1013904223;
        int a = Integer.remainderUnsigned(lcg >>> 16, 15);
        act.putLong(0, a);
        double r = g.step(act, 0, obs, 0);
        Entity ag = g.agent();
        out.append(String.format("s %d a%d %08x %08x %08x %08x r%s d%d c%d n%d%n", t, a, bits(ag.x), bits(ag.y),
            bits(ag.vx), bits(ag.vy), r == (long) r ? Long.toString((long) r) : Double.toString(r),
            g.terminated() ? 1 : 0, g.levelComplete() ? 1 : 0, g.entityCount()));
        if (g.terminated()) {
          break;
        }
      }
    }
    System.out.print(out);
  }

  private static int bits(float f) {
    return Float.floatToRawIntBits(f);
  }
}
