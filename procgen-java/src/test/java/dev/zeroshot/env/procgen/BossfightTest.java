package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bossfight: level invariants over 1,000 levels per mode, the shot, shield, round and death rules, and the knobs. */
class BossfightTest {

  private static final int FIRE = 9;

  private static int count(ProcgenGame g, int type) {
    int n = 0;
    for (int i = 0; i < g.entityCount(); i++) {
      n += g.entity(i).type == type ? 1 : 0;
    }
    return n;
  }

  private static Entity first(ProcgenGame g, int type) {
    for (int i = 0; i < g.entityCount(); i++) {
      if (g.entity(i).type == type) {
        return g.entity(i);
      }
    }
    return null;
  }

  @ParameterizedTest
  @CsvSource({"procgen/bossfight-easy-v0, 3", "procgen/bossfight-v0, 5"})
  void levelsStartSafeWithTheBossInRange(String id, int maxShieldCycles) {
    GameDriver d = new GameDriver(id);
    Set<Integer> healths = new HashSet<>();
    Set<Integer> modes = new HashSet<>();
    for (int s = 0; s < 1000; s++) {
      Bossfight b = (Bossfight) d.level(s).game;
      Entity agent = b.agent();
      assertEquals(20, b.grid().width());
      assertEquals(10, b.boss().x);
      assertEquals(10, b.boss().y);
      assertTrue(b.roundHealth() >= 1 && b.roundHealth() <= 9, "round health " + b.roundHealth());
      assertTrue(b.numRounds() >= 1 && b.numRounds() <= 5, "rounds " + b.numRounds());
      assertEquals(b.roundHealth() * b.numRounds(), b.boss().health);
      assertTrue(b.shieldCycles() >= 2 && b.shieldCycles() <= maxShieldCycles, "shield cycles " + b.shieldCycles());
      assertTrue(b.shieldsUp(), "every level starts with the shield up");
      healths.add(b.roundHealth());
      for (int r = 0; r < b.numRounds(); r++) {
        modes.add(b.attackMode(r));
      }
      assertEquals(agent.ry, agent.y, "the ship starts on the bottom edge");
      assertTrue(agent.x >= agent.rx && agent.x <= 20 - agent.rx);
      int barriers = 0;
      for (int i = 0; i < b.entityCount(); i++) {
        Entity e = b.entity(i);
        if (e == agent) {
          continue;
        }
        assertFalse(e.collides(agent, 0), id + " level " + s + ": entity " + e.type + " on the ship at the start");
        if (e.type == Bossfight.BARRIER) {
          barriers++;
          assertTrue(e.y - e.ry > 2 * agent.ry && e.y + e.ry <= Bossfight.BOTTOM_MARGIN + .5f,
              id + " level " + s + ": a meteor at y " + e.y + " leaves room to pass below it and stays low");
          for (int j = 0; j < i; j++) {
            assertFalse(b.entity(j).type == Bossfight.BARRIER && b.entity(j).collides(e, 0), "meteors do not overlap");
          }
        }
      }
      assertTrue(barriers <= 3, "at most 3 meteors");
    }
    assertEquals(9, healths.size(), "every round health 1-9 occurs");
    assertEquals(4, modes.size(), "all four attack patterns occur");
    assertEquals(Bossfight.TIMEOUT, EnvRegistry.builtin().spec(id).maxEpisodeSteps());
  }

  /** A level with one hit per round and two rounds, its shots from the boss cleared. */
  private static GameDriver twoRoundLevel() {
    GameDriver d = new GameDriver("procgen/bossfight-v0", Map.of("max_round_health", 1.0, "passive_fire_prob", 0.0));
    for (int s = 0; ; s++) {
      if (((Bossfight) d.level(s).game).numRounds() == 2) {
        return d;
      }
    }
  }

  private static void shootBoss(Bossfight b) {
    Entity shot = b.addEntity(b.boss().x, b.boss().y - 1, 0, 1, .25f, Bossfight.PLAYER_BULLET);
    shot.collidesWithEntities = true;
  }

  @Test
  void shotsBounceOffTheShieldAndHurtTheBossWithoutIt() {
    GameDriver d = twoRoundLevel();
    Bossfight b = (Bossfight) d.game;
    shootBoss(b);
    assertEquals(0.0, d.step(GameRulesTest.NOOP));
    assertEquals(2, b.boss().health, "the shield takes the shot");
    Entity reflected = first(b, Bossfight.REFLECTED_BULLET);
    assertTrue(reflected != null && reflected.vy < 0, "the shot bounces back down");
    assertEquals(0, count(b, Bossfight.PLAYER_BULLET));

    b.shieldsUp = false;
    shootBoss(b);
    assertEquals(1.0, d.step(GameRulesTest.NOOP), "the round's last hit pays +1");
    assertEquals(1, b.boss().health);
    assertEquals(1, b.roundNum());
    assertTrue(b.shieldsUp(), "a new round raises the shield");
    assertFalse(b.terminated());
    assertEquals(1, count(b, ProcgenGame.EXPLOSION), "the hit explodes");

    b.shieldsUp = false;
    shootBoss(b);
    assertEquals(11.0, d.step(GameRulesTest.NOOP), "the last hit pays +1 and +10");
    assertTrue(b.terminated() && b.levelComplete());
  }

  @Test
  void theShipFiresUpEveryThirdStepAtMost() {
    GameDriver d = twoRoundLevel();
    Bossfight b = (Bossfight) d.game;
    d.step(FIRE);
    d.step(FIRE);
    assertEquals(0, count(b, Bossfight.PLAYER_BULLET), "no shot in the first 3 steps");
    d.step(FIRE);
    Entity shot = first(b, Bossfight.PLAYER_BULLET);
    assertEquals(1, count(b, Bossfight.PLAYER_BULLET));
    assertEquals(b.agent().x, shot.x);
    assertEquals(0, shot.vx);
    assertEquals(1, shot.vy);
    d.step(FIRE);
    d.step(FIRE);
    assertEquals(1, count(b, Bossfight.PLAYER_BULLET), "then a pause");
    d.step(FIRE);
    assertEquals(2, count(b, Bossfight.PLAYER_BULLET));
  }

  @Test
  void theShieldDropsAfterItsCyclesOfBossMoves() {
    GameDriver d = twoRoundLevel();
    Bossfight b = (Bossfight) d.game;
    int t = 0;
    while (b.shieldsUp()) {
      d.step(GameRulesTest.NOOP);
      t++;
    }
    // The boss picks a new spot every 21 steps; the shield drops at the (cycles + 1)th.
    assertEquals(21 * (b.shieldCycles() + 1), t);
    for (int k = 0; k < 500; k++) {
      d.step(GameRulesTest.NOOP);
      assertFalse(b.shieldsUp(), "once down it stays down for the round");
    }
  }

  @Test
  void theBossItsShotsAndMeteorsKillAndMeteorsStopShots() {
    for (int type : new int[] {Bossfight.ENEMY_BULLET, Bossfight.BARRIER, Bossfight.BOSS}) {
      GameDriver d = twoRoundLevel();
      Bossfight b = (Bossfight) d.game;
      b.addEntity(b.agent().x, b.agent().y, 0, 0, .5f, type);
      assertEquals(0.0, d.step(GameRulesTest.NOOP));
      assertTrue(b.terminated() && !b.levelComplete(), "type " + type + " kills");
    }
    GameDriver d = twoRoundLevel();
    Bossfight b = (Bossfight) d.game;
    b.addEntity(b.agent().x, b.agent().y, 0, 0, .5f, Bossfight.LASER_TRAIL);
    d.step(GameRulesTest.NOOP);
    assertFalse(b.terminated(), "a trail is harmless");

    Entity meteor = b.addEntity(5, 4, 0, 0, .6f, Bossfight.BARRIER);
    meteor.collidesWithEntities = true;
    Entity shot = b.addEntity(5, 3.5f, 0, .1f, .5f, Bossfight.ENEMY_BULLET);
    d.step(GameRulesTest.NOOP);
    assertTrue(indexOf(b, shot) < 0, "a meteor stops a shot");
    assertTrue(indexOf(b, meteor) >= 0, "and stays");
  }

  private static int indexOf(ProcgenGame g, Entity e) {
    for (int i = 0; i < g.entityCount(); i++) {
      if (g.entity(i) == e) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void knobsSetHealthRoundsShieldMeteorsAndFire() {
    GameDriver d = new GameDriver("procgen/bossfight-v0", Map.of("max_round_health", 1.0, "max_rounds", 1.0,
        "max_extra_shield_cycles", 0.0, "max_barriers", 0.0));
    for (int s = 0; s < 50; s++) {
      Bossfight b = (Bossfight) d.level(s).game;
      assertEquals(1, b.boss().health);
      assertEquals(2, b.shieldCycles());
      assertEquals(0, count(b, Bossfight.BARRIER));
    }
    GameDriver many = new GameDriver("procgen/bossfight-v0", Map.of("max_round_health", 30.0, "max_rounds", 10.0,
        "max_barriers", 10.0));
    int maxHealth = 0;
    int maxBarriers = 0;
    for (int s = 0; s < 200; s++) {
      Bossfight b = (Bossfight) many.level(s).game;
      maxHealth = Math.max(maxHealth, (int) b.boss().health);
      maxBarriers = Math.max(maxBarriers, count(b, Bossfight.BARRIER));
    }
    assertTrue(maxHealth > 45, "more health and rounds: " + maxHealth);
    assertTrue(maxBarriers > 3, "more meteors: " + maxBarriers);

    for (double speed : new double[] {.3, 1.2}) {
      GameDriver f = new GameDriver("procgen/bossfight-v0", Map.of("boss_bullet_speed", speed));
      Bossfight b = (Bossfight) f.level(4).game;
      Entity shot = null;
      for (int t = 0; t < 20 && shot == null; t++) {
        f.step(GameRulesTest.NOOP);
        shot = first(b, Bossfight.ENEMY_BULLET);
      }
      assertEquals(speed, Math.hypot(shot.vx, shot.vy), 1e-5, "boss shots fly at boss_bullet_speed");
    }

    for (double p : new double[] {0, 1}) {
      GameDriver f = new GameDriver("procgen/bossfight-v0", Map.of("passive_fire_prob", p));
      Bossfight b = (Bossfight) f.level(4).game;
      while (b.shieldsUp()) {
        f.step(GameRulesTest.NOOP);
      }
      for (int t = 0; t < 60; t++) {
        f.step(GameRulesTest.NOOP);
      }
      // Shots live at most 50 steps, so all those left were fired with the shield down.
      assertEquals(p == 0, count(b, Bossfight.ENEMY_BULLET) == 0, "passive_fire_prob " + p);
    }
  }

  /**
   * Outcomes measured with Procgen 0.10.7's C++ (hard mode, num_levels=1, start_level=LEVEL,
   * action 9 every step, up to 1,500 steps): the same level and actions give the same return
   * on the same step (-1: still alive after 1,500 steps).
   */
  @ParameterizedTest
  @CsvSource({"2, -1, 0", "5, 336, 2", "20, 359, 1", "30, 733, 4", "36, 283, 2"})
  void firingEveryStepMatchesProcgen(int level, int endStep, double expectedReturn) {
    GameDriver d = new GameDriver("procgen/bossfight-v0", Map.of("num_levels", 1.0, "start_level", (double) level)).level(0);
    double total = 0;
    int end = -1;
    for (int t = 1; t <= 1500 && end < 0; t++) {
      total += d.step(FIRE);
      end = d.game.terminated() ? t : -1;
    }
    assertEquals(endStep, end, "level " + level);
    assertEquals(expectedReturn, total, "level " + level);
  }
}
