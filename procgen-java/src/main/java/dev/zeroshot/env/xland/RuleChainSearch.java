package dev.zeroshot.env.xland;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a ruleset's goal can be reached, by a depth-first search over which objects
 * exist (a multiset of cell codes), ignoring where they are. The abstraction assumes every object
 * can be reached and every neighbourhood arranged (true in an open room with spare floor), so the
 * agent chooses which near-rules and tile-rules fire. Picking up is modelled exactly: it runs the
 * hold-rules in list order on the picked object, so a hold-rule that consumes an object cannot be
 * dodged. A product that is bare floor removes the objects.
 */
public final class RuleChainSearch {

  /** The search gives up (and says so) beyond this many distinct object multisets. */
  static final int MAX_STATES = 200_000;

  private final Ruleset ruleset;
  private final Set<Key> seen = new HashSet<>();

  /** A sorted multiset of cell codes as a hash key. */
  private record Key(int[] objects) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(objects, k.objects);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(objects);
    }
  }

  private RuleChainSearch(Ruleset ruleset) {
    this.ruleset = ruleset;
  }

  /** Whether some order of actions meets {@code ruleset}'s goal from its initial objects. */
  public static boolean solvable(Ruleset ruleset) {
    // objects no rule reads and the goal does not name can never matter: leave them out
    Set<Integer> relevant = new HashSet<>(List.of(ruleset.goal().a(), ruleset.goal().b()));
    for (Rule r : ruleset.rules()) {
      relevant.add(r.a());
      relevant.add(r.b());
    }
    int[] start = ruleset.objects().stream().filter(relevant::contains).mapToInt(Integer::intValue).sorted().toArray();
    return new RuleChainSearch(ruleset).search(start);
  }

  private boolean search(int[] objects) {
    if (!seen.add(new Key(objects))) {
      return false;
    }
    if (seen.size() > MAX_STATES) {
      throw new IllegalStateException("rule-chain search passed " + MAX_STATES + " object sets for " + ruleset);
    }
    if (goalMet(objects)) {
      return true;
    }
    for (int[] next : successors(objects)) {
      if (search(next)) {
        return true;
      }
    }
    return false;
  }

  /** What the pocket holds after picking up {@code cell}: the hold-rules run in order. */
  private int pickUp(int cell) {
    int pocket = cell;
    for (Rule r : ruleset.rules()) {
      if (r.kind() == Rule.Kind.AGENT_HOLD && pocket == r.a()) {
        pocket = r.product();
      }
    }
    return pocket;
  }

  private boolean goalMet(int[] objects) {
    Goal g = ruleset.goal();
    return switch (g.kind()) {
      case AGENT_HOLD -> {
        for (int o : objects) {
          if (Tiles.pickable(o) && pickUp(o) == g.a()) {
            yield true;
          }
        }
        yield false;
      }
      case AGENT_NEAR, AGENT_NEAR_UP, AGENT_NEAR_RIGHT, AGENT_NEAR_DOWN, AGENT_NEAR_LEFT, AGENT_ON_TILE ->
          count(objects, g.a()) > 0;
      case TILE_NEAR, TILE_NEAR_UP, TILE_NEAR_RIGHT, TILE_NEAR_DOWN, TILE_NEAR_LEFT ->
          pairPresent(objects, g.a(), g.b()) && movable(g.a(), g.b());
      case TILE_ON_POSITION -> count(objects, g.a()) > 0 && Tiles.pickable(g.a());
      case AGENT_ON_POSITION -> true;
    };
  }

  /** A tile pair can be brought together when one of them can be put down: pickable, and still itself once picked. */
  private boolean movable(int a, int b) {
    return Tiles.pickable(a) && pickUp(a) == a || Tiles.pickable(b) && pickUp(b) == b;
  }

  private List<int[]> successors(int[] objects) {
    List<int[]> out = new ArrayList<>();
    for (Rule r : ruleset.rules()) {
      switch (r.kind()) {
        case AGENT_HOLD -> { } // covered by picking up
        case AGENT_NEAR, AGENT_NEAR_UP, AGENT_NEAR_RIGHT, AGENT_NEAR_DOWN, AGENT_NEAR_LEFT -> {
          if (r.a() != r.product() && count(objects, r.a()) > 0) {
            out.add(replace(objects, r.a(), -1, r.product()));
          }
        }
        default -> {
          if (pairPresent(objects, r.a(), r.b()) && movable(r.a(), r.b())) {
            out.add(replace(objects, r.a(), r.b(), r.product()));
          }
        }
      }
    }
    // the generator lists the chain's rules first, so trying rules before pick-ups finds the goal sooner
    for (int o : distinct(objects)) {
      if (Tiles.pickable(o)) {
        int held = pickUp(o);
        if (held != o) {
          out.add(replace(objects, o, -1, held));
        }
      }
    }
    return out;
  }

  private static boolean pairPresent(int[] objects, int a, int b) {
    return a == b ? count(objects, a) >= 2 : count(objects, a) > 0 && count(objects, b) > 0;
  }

  private static int count(int[] objects, int cell) {
    int n = 0;
    for (int o : objects) {
      n += o == cell ? 1 : 0;
    }
    return n;
  }

  private static int[] distinct(int[] sorted) {
    return Arrays.stream(sorted).distinct().toArray();
  }

  /** {@code objects} without one {@code a} (and one {@code b} unless -1), plus {@code product} unless it is floor. */
  private static int[] replace(int[] objects, int a, int b, int product) {
    int[] out = new int[objects.length + 1];
    int n = 0;
    boolean dropA = true;
    boolean dropB = b != -1;
    for (int o : objects) {
      if (dropA && o == a) {
        dropA = false;
      } else if (dropB && o == b) {
        dropB = false;
      } else {
        out[n++] = o;
      }
    }
    if (Tiles.tile(product) != Tiles.FLOOR) {
      out[n++] = product;
    }
    int[] sorted = Arrays.copyOf(out, n);
    Arrays.sort(sorted);
    return sorted;
  }
}
