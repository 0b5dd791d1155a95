package dev.zeroshot.env.xland;

import java.util.List;
import java.util.StringJoiner;

/**
 * One XLand task: the goal, the production rules (applied in order after every action) and the
 * objects placed at reset (cell codes; duplicates allowed).
 */
public record Ruleset(Goal goal, List<Rule> rules, List<Integer> objects) {

  public Ruleset {
    rules = List.copyOf(rules);
    objects = List.copyOf(objects);
  }

  @Override
  public String toString() {
    StringJoiner objs = new StringJoiner(", ", "[", "]");
    objects.forEach(o -> objs.add(Tiles.name(o)));
    return "goal " + goal + "; rules " + rules + "; objects " + objs;
  }
}
