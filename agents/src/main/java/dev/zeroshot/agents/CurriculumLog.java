package dev.zeroshot.agents;

import dev.zeroshot.env.VectorEnvApi;
import dev.zeroshot.env.curriculum.Curriculum;
import dev.zeroshot.env.curriculum.CurriculumLink;
import dev.zeroshot.env.curriculum.CurriculumSampler;
import dev.zeroshot.env.curriculum.Feedback;
import dev.zeroshot.env.curriculum.LevelSpace;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A curriculum run's record of what it played: {@code curriculum.csv}, one row per episode
 * reported to the curriculum (the step it ended at, the env, the level's id and coordinates,
 * whether it was replayed and trained on, its score, success, return and length), and
 * {@code curriculum.json}, the curriculum's every setting. {@code zeroshot curriculum show}
 * draws the rows.
 */
final class CurriculumLog implements Closeable {

  static final String FILE = "curriculum.csv";
  static final String SETTINGS = "curriculum.json";

  private final BufferedWriter out;
  private final LevelSpace space;

  private CurriculumLog(BufferedWriter out, LevelSpace space) {
    this.out = out;
    this.space = space;
  }

  /** The CSV header for levels of {@code space}. */
  static String header(LevelSpace space) {
    return "global_step,env,level,replay,trained," + String.join(",", space.coordinateNames())
        + ",score,success,return,length";
  }

  /** Starts the files of a new run (nothing without a curriculum). */
  static void start(Path dir, PpoConfig cfg, VectorEnvApi env) throws IOException {
    if (cfg.curriculum == null) {
      return;
    }
    LevelSpace space = Envs.curriculum(cfg).space();
    Files.writeString(dir.resolve(FILE), header(space) + "\n", StandardCharsets.UTF_8);
    StringBuilder json = new StringBuilder("{\n  \"curriculum\": \"" + cfg.curriculum + "\",\n  \"levels\": \""
        + space + "\",\n  \"settings\": {");
    Map<String, String> settings = CurriculumLink.of(env) instanceof CurriculumSampler s
        ? s.curriculum().settings() : Envs.curriculum(cfg).settings();
    String sep = "\n";
    for (Map.Entry<String, String> e : settings.entrySet()) {
      json.append(sep).append("    \"").append(e.getKey()).append("\": \"").append(e.getValue()).append('"');
      sep = ",\n";
    }
    json.append(settings.isEmpty() ? "}\n}\n" : "\n  }\n}\n");
    PpoRun.writeAtomically(dir.resolve(SETTINGS), json.toString());
  }

  /** On resume: drops the rows after the checkpoint's step (they are played again). */
  static void truncate(Path dir, PpoConfig cfg, long globalStep) throws IOException {
    Path file = dir.resolve(FILE);
    if (cfg.curriculum == null || !Files.exists(file)) {
      return;
    }
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int comma = line.indexOf(',');
      if (kept.isEmpty() || (comma > 0 && Long.parseLong(line.substring(0, comma)) <= globalStep)) {
        kept.add(line);
      }
    }
    PpoRun.writeAtomically(file, String.join("\n", kept) + "\n");
  }

  /** Appends to the run's file, or null without a curriculum. */
  static CurriculumLog append(Path dir, PpoConfig cfg) throws IOException {
    if (cfg.curriculum == null) {
      return null;
    }
    Path file = dir.resolve(FILE);
    LevelSpace space = Envs.curriculum(cfg).space();
    if (!Files.exists(file)) {
      Files.writeString(file, header(space) + "\n", StandardCharsets.UTF_8);
    }
    return new CurriculumLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND), space);
  }

  void write(long step, int env, Curriculum.Pick level, Feedback f) throws IOException {
    StringBuilder row = new StringBuilder();
    row.append(step).append(',').append(env).append(',').append(level.levelId()).append(',')
        .append(level.replay() ? 1 : 0).append(',').append(level.train() ? 1 : 0);
    for (double x : space.coordinates(level.level())) {
      row.append(',').append(x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x)
          : String.format(Locale.ROOT, "%.6g", x));
    }
    row.append(String.format(Locale.ROOT, ",%.6g,%d,%.6g,%d", f.score(), f.success() ? 1 : 0, f.episodeReturn(),
        f.length()));
    out.write(row.toString());
    out.newLine();
  }

  void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
