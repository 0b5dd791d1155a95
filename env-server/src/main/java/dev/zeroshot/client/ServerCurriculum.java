package dev.zeroshot.client;

import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.context.ContextSpace;
import dev.zeroshot.env.curriculum.Curriculum;
import dev.zeroshot.env.curriculum.CurriculumLink;
import dev.zeroshot.env.curriculum.Feedback;
import dev.zeroshot.env.curriculum.ScoreFunction;
import dev.zeroshot.proto.v1.CurriculumInfo;
import dev.zeroshot.proto.v1.EnvSpec;
import dev.zeroshot.proto.v1.EpisodeScore;
import dev.zeroshot.proto.v1.LevelAssignment;
import dev.zeroshot.proto.v1.ReportScoresRequest;
import dev.zeroshot.proto.v1.SessionRequest;
import dev.zeroshot.proto.v1.SessionResponse;
import dev.zeroshot.proto.v1.StepResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The client's side of a session's curriculum, which runs on the server: the level each env
 * plays (from the results' level assignments) and the score reports, sent on the session stream.
 * A report the server refuses is thrown as {@link IllegalArgumentException}, and the session goes on.
 */
public final class ServerCurriculum implements CurriculumLink {

  private final SessionStream stream;
  private final ContextSpace space;
  private final CurriculumInfo info;
  private final ScoreFunction score;
  private final Curriculum.Pick[] playing;
  private final Map<Long, Double> bestReturns = new HashMap<>();

  ServerCurriculum(SessionStream stream, EnvSpec spec, int numEnvs, CurriculumInfo info) {
    this.stream = stream;
    List<ContextFeature> features = new ArrayList<>();
    for (var f : spec.getContextFeaturesList()) {
      features.add(new ContextFeature(f.getName(), f.getDefaultValue(), f.getLower(), f.getUpper(), f.getDescription(),
          f.getInteger()));
    }
    this.space = new ContextSpace(spec.getId(), features);
    this.info = info;
    this.score = ScoreFunction.parse(info.getScore());
    this.playing = new Curriculum.Pick[numEnvs];
  }

  /** The curriculum as the server made it: name, score, every setting, levels. */
  public CurriculumInfo info() {
    return info;
  }

  /** Takes a result's level assignments. */
  void read(StepResult r) {
    for (LevelAssignment a : r.getLevelsList()) {
      playing[a.getEnv()] = new Curriculum.Pick(a.getLevelId(), space.with(a.getContextMap()), a.getReplay(), a.getTrain());
      bestReturns.put(a.getLevelId(), a.getBestReturn());
    }
  }

  @Override
  public Curriculum.Pick playing(int envIndex) {
    return playing[envIndex];
  }

  @Override
  public void report(long levelId, Feedback f) {
    reportScores(List.of(EpisodeScore.newBuilder().setLevelId(levelId).setScore(f.score()).setSuccess(f.success())
        .setEpisodeReturn(f.episodeReturn()).setLength(f.length()).build()));
    bestReturns.remove(levelId);
  }

  /**
   * Sends finished episodes' feedback; returns how many the server applied (all). A refused report
   * (a level this session never handed out, a NaN score) is thrown as {@link IllegalArgumentException}
   * and the session goes on.
   */
  public int reportScores(List<EpisodeScore> episodes) {
    SessionResponse r = stream.call(SessionRequest.newBuilder()
        .setReportScores(ReportScoresRequest.newBuilder().addAllEpisodes(episodes)).build());
    if (r.hasRefused()) {
      throw new IllegalArgumentException(r.getRefused().getMessage());
    }
    if (!r.hasReportScores()) {
      throw stream.broken("server answered a score report with " + r.getResponseCase(), null);
    }
    return r.getReportScores().getAccepted();
  }

  @Override
  public ScoreFunction scoreFunction() {
    return score;
  }

  @Override
  public double bestReturn(long levelId) {
    return bestReturns.getOrDefault(levelId, Double.NaN);
  }
}
