package dev.zeroshot.env.curriculum;

import dev.zeroshot.env.context.Context;
import java.util.HashMap;
import java.util.Map;

/**
 * The levels a curriculum has handed out whose episodes have not been reported yet, so feedback
 * on a level it never handed out (or reported twice) is refused. A replayed level may be out
 * several times at once (several envs play it).
 */
final class HandedOut {

  /** One handed-out level and how many of its episodes are still unreported. */
  static final class Entry {
    final Context level;
    final boolean replay;
    int open;

    Entry(Context level, boolean replay) {
      this.level = level;
      this.replay = replay;
    }
  }

  private final Map<Long, Entry> open = new HashMap<>();

  void add(long id, Context level, boolean replay) {
    open.computeIfAbsent(id, k -> new Entry(level, replay)).open++;
  }

  /** Checks that an episode of {@code id} is out; returns its entry without taking it back. */
  Entry check(long id) {
    Entry e = open.get(id);
    if (e == null) {
      throw new IllegalArgumentException("level " + id + " was never handed out by this curriculum, or all its "
          + "episodes were already reported");
    }
    return e;
  }

  /** Takes one episode of {@code id} back (after {@link #check}). */
  void take(long id) {
    Entry e = open.get(id);
    if (--e.open == 0) {
      open.remove(id);
    }
  }

  int size() {
    return open.size();
  }

  void clear() {
    open.clear();
  }
}
