package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.client.ServerCurriculum;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.curriculum.Curriculum;
import dev.zeroshot.env.curriculum.Feedback;
import dev.zeroshot.proto.v1.CurriculumSpec;
import dev.zeroshot.proto.v1.EpisodeScore;
import dev.zeroshot.proto.v1.MakeRequest;
import dev.zeroshot.proto.v1.ReportScoresRequest;
import dev.zeroshot.proto.v1.ResetRequest;
import dev.zeroshot.proto.v1.SessionRequest;
import dev.zeroshot.proto.v1.SessionResponse;
import io.grpc.Status;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A session made with a curriculum on a loopback server: level assignments, score reports, refusals. */
class CurriculumSessionTest {

  private static RemoteVectorEnv.Builder plr(TestServer ts) {
    return RemoteVectorEnv.builder(ts.target(), "CartPole-v1").numEnvs(4)
        .curriculum("plr", Map.of("capacity", "16"), "length=0.1:2.0", 7);
  }

  @Test
  void episodesAreReportedUnderTheLevelsTheServerHandedOut() throws Exception {
    try (TestServer ts = new TestServer(); RemoteVectorEnv env = plr(ts).build()) {
      ServerCurriculum c = env.curriculum();
      assertEquals("plr", c.info().getName());
      assertEquals("value_l1", c.info().getScore());
      assertEquals("16", c.info().getSettingsMap().get("capacity"));
      StepBuffers buf = StepBuffers.allocate(env);
      env.reset(3, buf);
      Set<Long> ids = new HashSet<>();
      int reported = 0;
      boolean replayed = false;
      for (int t = 0; t < 600; t++) {
        Curriculum.Pick[] before = new Curriculum.Pick[4];
        for (int i = 0; i < 4; i++) {
          before[i] = c.playing(i);
          double len = before[i].level().get("length");
          assertTrue(len >= 0.1 && len <= 2.0, "length " + len);
          buf.setDiscreteAction(i, t % 2);
        }
        env.step(buf);
        for (int i = 0; i < 4; i++) {
          if (buf.episodeEnded(i)) {
            c.report(before[i].levelId(), new Feedback(buf.episodeLength(i) / 100.0, false, buf.episodeReturn(i),
                buf.episodeLength(i)));
            reported++;
            ids.add(before[i].levelId());
          }
          replayed |= c.playing(i).replay();
        }
      }
      assertTrue(reported > 20, "episodes reported: " + reported);
      assertTrue(replayed, "PLR replays reported levels");

      // a level never handed out, and a NaN score: refused, and the session goes on
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.reportScores(List.of(
          EpisodeScore.newBuilder().setLevelId(999_999).setScore(1).setLength(3).build())));
      assertTrue(e.getMessage().contains("never handed out"), e.getMessage());
      long id = c.playing(0).levelId();
      e = assertThrows(IllegalArgumentException.class, () -> c.reportScores(List.of(
          EpisodeScore.newBuilder().setLevelId(id).setScore(Double.NaN).setLength(3).build())));
      assertTrue(e.getMessage().contains("finite") && e.getMessage().contains("nothing was applied"), e.getMessage());
      env.step(buf);
      env.reset(buf);
    }
  }

  @Test
  void aCurriculumSessionTakesTheMessagesThoughSharedMemoryIsTheDefaultOnLoopback() throws Exception {
    try (TestServer ts = new TestServer()) {
      try (RemoteVectorEnv env = plr(ts).build()) { // levels travel in the step messages
        assertEquals("messages", env.dataPlane());
        StepBuffers buf = StepBuffers.allocate(env);
        env.reset(1, buf);
        env.step(buf);
        assertTrue(env.curriculum().playing(0).levelId() >= 0);
      }
      try (RemoteVectorEnv env = RemoteVectorEnv.builder(ts.target(), "CartPole-v1").build()) {
        assertTrue(env.dataPlane().startsWith("shared memory"), "the default without a curriculum: " + env.dataPlane());
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plr(ts).sharedMemory(true).build());
      assertTrue(e.getMessage().contains("shared_memory"), e.getMessage());
    }
  }

  @Test
  void aMakeWithBadCurriculumSettingsIsRefusedAndTheSessionStaysUsable() throws Exception {
    try (TestServer ts = new TestServer()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RemoteVectorEnv
          .builder(ts.target(), "CartPole-v1").curriculum("plr", Map.of("temprature", "0.3"), "length", 1).build());
      assertTrue(e.getMessage().contains("unknown plr option temprature") && e.getMessage().contains("temperature"),
          e.getMessage());

      try (TestServer.Probe p = ts.probe()) {
        MakeRequest.Builder make = MakeRequest.newBuilder().setEnvId("CartPole-v1").setNumEnvs(2)
            .setCurriculum(CurriculumSpec.newBuilder().setName("sfl").putOptions("candidates", "-1").setFeatures("length"));
        SessionResponse r = p.send(SessionRequest.newBuilder().setMake(make).build());
        assertEquals(Status.Code.INVALID_ARGUMENT.value(), r.getRefused().getCode());
        assertTrue(r.getRefused().getMessage().contains("candidates"), r.getRefused().getMessage());
        // the same stream makes the env once the settings are right
        make.setCurriculum(CurriculumSpec.newBuilder().setName("sfl").putOptions("candidates", "8").setFeatures("length"));
        assertTrue(p.send(SessionRequest.newBuilder().setMake(make).build()).hasMake());
        SessionResponse reset = p.send(SessionRequest.newBuilder().setReset(ResetRequest.newBuilder().setSeed(1)).build());
        assertEquals(2, reset.getReset().getLevelsCount(), "every env's level after a reset");
        // a report for a level it never handed out: refused, and the session steps on
        r = p.send(SessionRequest.newBuilder().setReportScores(ReportScoresRequest.newBuilder()
            .addEpisodes(EpisodeScore.newBuilder().setLevelId(12345).setScore(0.5).setLength(1))).build());
        assertTrue(r.hasRefused());
        long id = reset.getReset().getLevels(0).getLevelId();
        r = p.send(SessionRequest.newBuilder().setReportScores(ReportScoresRequest.newBuilder()
            .addEpisodes(EpisodeScore.newBuilder().setLevelId(id).setScore(0).setSuccess(true).setLength(1))).build());
        assertEquals(1, r.getReportScores().getAccepted());
      }
    }
  }

  @Test
  void scoresInASessionWithoutACurriculumAreRefusedToo() throws Exception {
    try (TestServer ts = new TestServer(); TestServer.Probe p = ts.probe()) {
      assertTrue(p.send(SessionRequest.newBuilder().setMake(MakeRequest.newBuilder().setEnvId("CartPole-v1")
          .setNumEnvs(1)).build()).hasMake());
      SessionResponse r = p.send(SessionRequest.newBuilder().setReportScores(ReportScoresRequest.newBuilder()
          .addEpisodes(EpisodeScore.newBuilder().setLevelId(0).setScore(1))).build());
      assertTrue(r.getRefused().getMessage().contains("without a curriculum"), r.getRefused().getMessage());
      SessionResponse reset = p.send(SessionRequest.newBuilder().setReset(ResetRequest.newBuilder().setSeed(1)).build());
      assertFalse(reset.getReset().getLevelsCount() > 0);
    }
  }
}
