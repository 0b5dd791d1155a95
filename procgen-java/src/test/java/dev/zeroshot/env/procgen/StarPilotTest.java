package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Starpilot: the spawn schedule and entering enemies over 1,000 levels per mode, the shooting,
 * enemy-fire, collision and finish-line rules on scripted levels, and each context knob.
 */
class StarPilotTest {

  static final int FIRE_RIGHT = 9;
  static final int FIRE_LEFT = 10;

  /** A context whose schedule is empty (the first gap passes the finish time): a clean level until step 150. */
  static final Map<String, Double> EMPTY = Map.of("min_spawn_gap", 199.0, "max_spawn_gap", 200.0, "finish_time", 150.0);

  /** Steps the level with no-ops (past death: the game does not reset itself) and shows each enemy as it enters. */
  private static void entering(GameDriver d, int steps, Consumer<Entity> check) {
    for (int t = 0; t < steps; t++) {
      d.step(GameRulesTest.NOOP);
      for (int i = 0; i < d.game.entityCount(); i++) {
        Entity e = d.game.entity(i);
        if (e.type >= StarPilot.FLYER && e.type <= StarPilot.FAST_FLYER && e.spawnTime == d.game.curTime) {
          check.accept(e);
        }
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"procgen/starpilot-easy-v0, 2, 1, 5, 0.75", "procgen/starpilot-v0, 2, 1, 5, 1",
      "procgen/starpilot-extreme-v0, 5, 2, 10, 1"})
  void schedulesAndEnteringEnemiesFollowTheMode(String id, float flyerHealth, float fastHealth, float turretHealth,
      float flyerSpeed) {
    GameDriver d = new GameDriver(id);
    boolean easy = id.contains("easy");
    Set<Integer> types = new HashSet<>();
    int[] left = new int[1];
    for (int s = 0; s < 1000; s++) {
      StarPilot g = (StarPilot) d.level(s).game;
      assertEquals(16, g.grid().width());
      assertEquals(1, g.entityCount(), "only the agent at the start");
      Entity a = g.agent();
      assertTrue(a.x - a.rx >= 0 && a.x + a.rx <= 16 && a.y - a.ry >= 0 && a.y + a.ry <= 16, "agent inside the world");
      assertTrue(g.scheduleSize() > 0);
      for (int k = 0; k < g.scheduleSize(); k++) {
        int t = g.scheduledTime(k);
        assertTrue(t >= 11, "the first spawn comes after 1 + min_spawn_gap steps");
        assertTrue(k == 0 || t >= g.scheduledTime(k - 1), "schedule in time order");
        assertTrue(t <= 500 + 4 * 5, "groups start by step 500; a group's last ship 20 steps later");
      }
      int level = s;
      entering(d, 530, e -> {
        types.add(e.type);
        boolean fromLeft = e.x < 0;
        left[0] += fromLeft ? 1 : 0;
        assertEquals(fromLeft ? -e.rx : 16 + e.rx, e.x, 1e-6, "enters just outside the view");
        assertTrue(e.y - e.ry >= 0 && e.y + e.ry <= 16, id + " level " + level + ": enters within the view's height");
        assertTrue(fromLeft ? e.vx > 0 : e.vx < 0, "flies into the view");
        float speed = (float) Math.hypot(e.vx, e.vy);
        switch (e.type) {
          case StarPilot.FLYER -> {
            assertEquals(flyerHealth, e.health);
            assertEquals(flyerSpeed * StarPilot.V_SCALE, speed, 1e-5);
          }
          case StarPilot.FAST_FLYER -> {
            assertEquals(fastHealth, e.health);
            assertEquals(1.5f * StarPilot.V_SCALE, speed, 1e-5);
          }
          case StarPilot.TURRET -> {
            assertEquals(turretHealth, e.health);
            assertEquals(2 * 52 / 172f, e.ry, 1e-5, "turrets keep the art's aspect ratio");
          }
          case StarPilot.METEOR -> assertEquals(StarPilot.METEOR_HEALTH, e.health);
          default -> { }
        }
        if (e.type == StarPilot.METEOR || e.type == StarPilot.CLOUD || e.type == StarPilot.TURRET) {
          assertEquals(StarPilot.SLOW_V * StarPilot.V_SCALE, -e.vx, 1e-6, "slow objects drift straight left");
          assertEquals(0, e.vy);
        }
      });
    }
    if (easy) {
      assertEquals(Set.of(StarPilot.FLYER), types, "easy has flyers only");
      assertEquals(0, left[0], "easy enemies all enter from the right");
    } else {
      assertEquals(Set.of(StarPilot.FLYER, StarPilot.FAST_FLYER, StarPilot.METEOR, StarPilot.CLOUD, StarPilot.TURRET), types);
      assertTrue(left[0] > 0, "some flyers enter from the left");
    }
  }

  @Test
  void timeoutIsProcgens() {
    for (String id : new String[] {"procgen/starpilot-v0", "procgen/starpilot-easy-v0", "procgen/starpilot-extreme-v0"}) {
      assertEquals(1000, EnvRegistry.builtin().spec(id).maxEpisodeSteps());
    }
  }

  /** A clean level with the agent at (3, 8), standing still. */
  private static StarPilot clean(GameDriver d) {
    StarPilot g = (StarPilot) d.level(4).game;
    assertEquals(0, g.scheduleSize(), "the empty-schedule context schedules nothing");
    g.agent().x = 3;
    g.agent().y = 8;
    return g;
  }

  private static Entity enemy(StarPilot g, int type, float x, float y, float health) {
    Entity e = g.entities.add(x, y, 0, 0, .5f, .5f, type);
    e.health = health;
    e.spawnTime = g.curTime;
    return e;
  }

  private static int count(ProcgenGame g, int type) {
    int n = 0;
    for (int i = 0; i < g.entityCount(); i++) {
      n += g.entity(i).type == type ? 1 : 0;
    }
    return n;
  }

  @Test
  void shootingAFlyerTwiceDestroysItForOne() {
    GameDriver d = new GameDriver("procgen/starpilot-v0", EMPTY);
    StarPilot g = clean(d);
    Entity flyer = enemy(g, StarPilot.FLYER, 10, 8, 2);
    double total = 0;
    int rewardedAt = -1;
    boolean sawExplosion = false;
    for (int t = 1; t <= 30 && rewardedAt < 0; t++) {
      double r = d.step(FIRE_RIGHT);
      total += r;
      sawExplosion |= count(g, ProcgenGame.EXPLOSION) > 0;
      if (r > 0) {
        rewardedAt = t;
      }
      assertFalse(g.terminated());
    }
    assertEquals(1.0, total);
    assertTrue(sawExplosion, "hits leave explosions");
    assertTrue(flyer.willErase || count(g, StarPilot.FLYER) == 0, "the flyer is destroyed");
    // The first bullet leaves at x = 3.4 on step 1 and moves 0.8 a step from step 2, so it first
    // overlaps the flyer (|x - 10| < 0.4 + 0.5) on step 9 at x = 9.8; the second, one step
    // behind, hits on step 10, and the kill is scored in that step's rules.
    assertEquals(10, rewardedAt);
    d.step(GameRulesTest.NOOP);
    assertEquals(0, count(g, StarPilot.FLYER));
  }

  @Test
  void firingLeftMissesAFlyerOnTheRight() {
    GameDriver d = new GameDriver("procgen/starpilot-v0", EMPTY);
    StarPilot g = clean(d);
    enemy(g, StarPilot.FLYER, 10, 8, 2);
    double total = 0;
    for (int t = 0; t < 30; t++) {
      total += d.step(FIRE_LEFT);
    }
    assertEquals(0.0, total);
    assertEquals(1, count(g, StarPilot.FLYER));
  }

  @Test
  void meteorsAbsorbShots() {
    GameDriver d = new GameDriver("procgen/starpilot-v0", EMPTY);
    StarPilot g = clean(d);
    Entity meteor = enemy(g, StarPilot.METEOR, 10, 8, StarPilot.METEOR_HEALTH);
    double total = 0;
    for (int t = 0; t < 30; t++) {
      total += d.step(FIRE_RIGHT);
    }
    assertEquals(0.0, total);
    assertTrue(meteor.health < StarPilot.METEOR_HEALTH && meteor.health > StarPilot.METEOR_HEALTH - 30, "hit, not destroyed");
    assertEquals(1, count(g, StarPilot.METEOR));
  }

  @Test
  void aFlyerFiresOneAimedBulletThatKillsTheAgent() {
    GameDriver d = new GameDriver("procgen/starpilot-v0", EMPTY);
    StarPilot g = clean(d);
    Entity flyer = enemy(g, StarPilot.FLYER, 11, 8, 2);
    flyer.fireTime = 5;
    for (int t = 1; t <= 5; t++) {
      d.step(GameRulesTest.NOOP);
      assertEquals(t < 5 ? 0 : 1, count(g, StarPilot.BULLET2), "fires exactly fire_time steps after entering");
    }
    Entity bullet = null;
    for (int i = 0; i < g.entityCount(); i++) {
      bullet = g.entity(i).type == StarPilot.BULLET2 ? g.entity(i) : bullet;
    }
    assertEquals(-2 * StarPilot.V_SCALE, bullet.vx, 1e-6, "aimed straight at the agent, speed 2 x 0.4");
    assertEquals(0, bullet.vy, 1e-6);
    int t = 0;
    double total = 0;
    while (!g.terminated() && t < 40) {
      total += d.step(GameRulesTest.NOOP);
      t++;
    }
    assertTrue(g.terminated(), "the bullet kills the agent");
    assertFalse(g.levelComplete());
    assertEquals(0.0, total);
    assertEquals(1, count(g, StarPilot.BULLET2), "a flyer fires once");
  }

  @Test
  void aTurretFiresEveryFireTimeSteps() {
    GameDriver d = new GameDriver("procgen/starpilot-v0", EMPTY);
    StarPilot g = clean(d);
    Entity turret = enemy(g, StarPilot.TURRET, 13, 14, 5);
    turret.fireTime = 4;
    int shots = 0;
    for (int t = 1; t <= 12; t++) {
      d.step(GameRulesTest.NOOP);
      shots = count(g, StarPilot.BULLET3);
      assertEquals(t / 4, shots, "step " + t);
    }
  }

  @Test
  void touchingAMeteorEndsTheEpisode() {
    GameDriver d = new GameDriver("procgen/starpilot-v0", EMPTY);
    StarPilot g = clean(d);
    enemy(g, StarPilot.METEOR, 5, 8, StarPilot.METEOR_HEALTH);
    double total = 0;
    int t = 0;
    while (!g.terminated() && t < 20) {
      total += d.step(GameRulesTest.RIGHT);
      t++;
    }
    assertTrue(g.terminated());
    assertFalse(g.levelComplete());
    assertEquals(0.0, total);
  }

  @Test
  void cloudsAreHarmless() {
    GameDriver d = new GameDriver("procgen/starpilot-v0", EMPTY);
    StarPilot g = clean(d);
    Entity cloud = enemy(g, StarPilot.CLOUD, 3, 8, 0);
    cloud.renderZ = 1;
    for (int t = 0; t < 20; t++) {
      assertEquals(0.0, d.step(FIRE_RIGHT));
      assertFalse(g.terminated());
    }
  }

  @Test
  void theFinishLineEntersAtFinishTimeAndGivesTen() {
    GameDriver d = new GameDriver("procgen/starpilot-v0", EMPTY);
    StarPilot g = clean(d);
    double total = 0;
    int t = 0;
    while (!g.terminated() && t < 400) {
      total += d.step(GameRulesTest.NOOP);
      t++;
      assertEquals(t < 150 ? 0 : 1, count(g, StarPilot.FINISH_LINE), "step " + t);
      if (t == 150) {
        Entity f = g.entity(g.entityCount() - 1);
        assertEquals(8, f.ry, "the finish line spans the view's height");
        assertEquals(16 + f.rx, f.x, 1e-6);
      }
    }
    assertTrue(g.levelComplete());
    assertEquals(10.0, total);
    // It drifts left 0.2 a step from x = 16 + rx; its left edge (x - rx) meets the agent's right edge at 3.4.
    assertEquals(150 + (int) Math.ceil((16 - 3.4) / .2), t, 1);
  }

  @Test
  void knobsShapeTheSchedule() {
    GameDriver meteors = new GameDriver("procgen/starpilot-v0",
        Map.of("flyer_weight", 0.0, "fast_flyer_weight", 0.0, "cloud_weight", 0.0, "turret_weight", 0.0));
    GameDriver gaps = new GameDriver("procgen/starpilot-v0", Map.of("min_spawn_gap", 40.0, "max_spawn_gap", 41.0,
        "max_group_size", 1.0, "finish_time", 300.0));
    for (int s = 0; s < 50; s++) {
      StarPilot m = (StarPilot) meteors.level(s).game;
      for (int k = 0; k < m.scheduleSize(); k++) {
        assertEquals(StarPilot.METEOR, m.scheduledType(k));
      }
      StarPilot g = (StarPilot) gaps.level(s).game;
      assertEquals(7, g.scheduleSize(), "1 + 40 (+40 per spawn) up to 300: steps 41, 81, ..., 281");
      for (int k = 0; k < g.scheduleSize(); k++) {
        assertEquals(41 + 40 * k, g.scheduledTime(k));
      }
    }
  }

  @Test
  void knobsShapeTheEnemies() {
    GameDriver d = new GameDriver("procgen/starpilot-v0", Map.of("flyer_weight", 1.0, "fast_flyer_weight", 0.0,
        "meteor_weight", 0.0, "cloud_weight", 0.0, "turret_weight", 0.0, "left_spawn_prob", 1.0, "flyer_health", 7.0,
        "flyer_speed", 2.0));
    int[] seen = new int[1];
    for (int s = 0; s < 20; s++) {
      d.level(s);
      entering(d, 200, e -> {
        assertEquals(StarPilot.FLYER, e.type);
        assertTrue(e.x < 0, "left_spawn_prob 1: every flyer enters from the left");
        assertEquals(7, e.health);
        assertEquals(2 * StarPilot.V_SCALE, Math.hypot(e.vx, e.vy), 1e-5);
        seen[0]++;
      });
    }
    assertTrue(seen[0] > 20);
  }

  @Test
  void knobsShapeTheAgentAndBullets() {
    GameDriver slow = new GameDriver("procgen/starpilot-v0", merge(EMPTY, Map.of("agent_speed", 0.2, "bullet_radius", 0.3)));
    GameDriver fast = new GameDriver("procgen/starpilot-v0", merge(EMPTY, Map.of("agent_speed", 1.0)));
    StarPilot s = clean(slow);
    StarPilot f = clean(fast);
    for (int t = 0; t < 4; t++) {
      slow.step(GameRulesTest.RIGHT);
      fast.step(GameRulesTest.RIGHT);
    }
    assertTrue(s.agent().x - 3 < f.agent().x - 3, "agent_speed: the faster ship moves farther");
    slow.step(FIRE_RIGHT);
    Entity b = s.entity(s.entityCount() - 1);
    assertEquals(StarPilot.BULLET_PLAYER, b.type);
    assertEquals(0.3f, b.rx);
  }

  @Test
  void enemyBulletSpeedSetsTheAimedShotsSpeed() {
    GameDriver d = new GameDriver("procgen/starpilot-v0", merge(EMPTY, Map.of("enemy_bullet_speed", 1.0)));
    StarPilot g = clean(d);
    Entity flyer = enemy(g, StarPilot.FLYER, 11, 12, 2);
    flyer.fireTime = 1;
    d.step(GameRulesTest.NOOP);
    Entity b = g.entity(g.entityCount() - 1);
    assertEquals(StarPilot.BULLET2, b.type);
    assertEquals(StarPilot.V_SCALE, Math.hypot(b.vx, b.vy), 1e-6);
    assertEquals(Math.atan2(8 - 12, 3 - 11), Math.atan2(b.vy, b.vx), 1e-5, "aimed at the agent");
  }

  private static Map<String, Double> merge(Map<String, Double> a, Map<String, Double> b) {
    Map<String, Double> m = new java.util.HashMap<>(a);
    m.putAll(b);
    return m;
  }

  @Test
  void theBackgroundScrolls() {
    GameDriver d = new GameDriver("procgen/starpilot-v0", EMPTY);
    clean(d);
    int[] before = new int[64];
    for (int x = 0; x < 64; x++) {
      before[x] = d.game.pixel(x, 40);
    }
    for (int t = 0; t < 10; t++) {
      d.step(GameRulesTest.NOOP);
    }
    // 10 steps at 0.8 px a step: the row moved 8 pixels left (away from the agent at x 9-16 px).
    for (int x = 30; x < 56; x++) {
      assertEquals(before[x + 8], d.game.pixel(x, 40), "pixel " + x);
    }
  }

  @Test
  void theScrollingBackgroundsStripCopyEqualsAFreshlyTiledFrame() {
    ScrollingBackground scroll = new ScrollingBackground();
    Canvas cached = new Canvas();
    Canvas fresh = new Canvas();
    for (int style = 0; style < 2; style++) {
      byte[] texture = Backgrounds.texture(Backgrounds.Style.values()[style], style + 1);
      for (int t = 0; t < 200; t++) {
        float offset = t * .8f;
        scroll.draw(cached, texture, Backgrounds.SIZE, 64, offset);
        fresh.drawTiledStrip(texture, Backgrounds.SIZE, -(Math.round(offset) % 64), 0, 64, 2);
        for (int y = 0; y < 64; y++) {
          for (int x = 0; x < 64; x++) {
            assertEquals(fresh.pixel(x, y), cached.pixel(x, y), "t " + t + " pixel " + x + "," + y);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"procgen/starpilot-easy-v0, starpilot-easy.txt", "procgen/starpilot-v0, starpilot-hard.txt",
      "procgen/starpilot-extreme-v0, starpilot-extreme.txt"})
  void randomEpisodesMatchProcgenCpp(String id, String file) throws Exception {
    CppEpisodes.assertSameAsCpp(id, file, StarPilot.TIMEOUT);
  }
}
