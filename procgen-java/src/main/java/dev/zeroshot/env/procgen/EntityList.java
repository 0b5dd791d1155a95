package dev.zeroshot.env.procgen;

/**
 * The live entities of a game, in insertion order (Procgen iterates them in that order, and
 * the order decides ties), backed by a pool so that spawning and erasing never allocate once
 * the pool has grown to the game's peak.
 */
final class EntityList {

  private Entity[] live = new Entity[64];
  private Entity[] pool = new Entity[64];
  private int size;
  private int pooled;

  int size() {
    return size;
  }

  Entity get(int i) {
    return live[i];
  }

  /** Appends a fresh entity (reused from the pool when possible). */
  Entity add(float x, float y, float vx, float vy, float rx, float ry, int type) {
    Entity e = pooled > 0 ? pool[--pooled] : new Entity();
    e.init(x, y, vx, vy, rx, ry, type);
    if (size == live.length) {
      live = java.util.Arrays.copyOf(live, size * 2);
    }
    live[size++] = e;
    return e;
  }

  /** Removes entity i, keeping the others' order, and returns it to the pool. */
  void remove(int i) {
    Entity e = live[i];
    System.arraycopy(live, i + 1, live, i, size - i - 1);
    live[--size] = null;
    recycle(e);
  }

  void clear() {
    for (int i = 0; i < size; i++) {
      recycle(live[i]);
      live[i] = null;
    }
    size = 0;
  }

  private void recycle(Entity e) {
    if (pooled == pool.length) {
      pool = java.util.Arrays.copyOf(pool, pooled * 2);
    }
    pool[pooled++] = e;
  }
}
