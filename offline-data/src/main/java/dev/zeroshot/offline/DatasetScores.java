package dev.zeroshot.offline;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Data Diet scores of a dataset's transitions, one per transition in the dataset's order
 * (episode by episode, step by step), and the two CSV files they are kept in beside the
 * dataset, never inside its {@code data} folder (the episodes stay untouched):
 *
 * <pre>
 * &lt;root&gt;/&lt;id&gt;/scores/&lt;method&gt;.transitions.csv   # episode,step,score
 * &lt;root&gt;/&lt;id&gt;/scores/&lt;method&gt;.episodes.csv      # episode,steps,score
 * </pre>
 *
 * Each file starts with one {@code #} line saying how the scores were made. An episode's score
 * is the mean of its transitions' scores (for {@code return} and {@code length}, every
 * transition carries its episode's value, so that is the episode's value).
 */
public record DatasetScores(String method, double[] transitions) {

  /** The scoring methods, as {@code zeroshot dataset score --method} names them. */
  public static final List<String> METHODS = List.of("el2n", "grand", "return", "length");

  /** {@code <root>/<id>/scores}: the folder beside a dataset's {@code data} folder. */
  public static Path folder(Dataset ds) {
    return ds.dataDir().toAbsolutePath().getParent().resolve("scores");
  }

  public static Path transitionsFile(Dataset ds, String method) {
    return folder(ds).resolve(method + ".transitions.csv");
  }

  public static Path episodesFile(Dataset ds, String method) {
    return folder(ds).resolve(method + ".episodes.csv");
  }

  /** The {@code return} or {@code length} scores, read from the episode index alone. */
  public static DatasetScores ofEpisodes(Dataset ds, String method) {
    if (!method.equals("return") && !method.equals("length")) {
      throw new IllegalArgumentException("only return and length come from the episode index, not " + method);
    }
    double[] s = new double[Math.toIntExact(ds.totalSteps())];
    int i = 0;
    for (Dataset.EpisodeInfo e : ds.episodes()) {
      double v = method.equals("return") ? e.totalReturn() : e.steps();
      for (int t = 0; t < e.steps(); t++) {
        s[i++] = v;
      }
    }
    return new DatasetScores(method, s);
  }

  /** The mean score of each episode of {@code ds}. */
  public double[] episodeMeans(Dataset ds) {
    double[] m = new double[ds.episodes().size()];
    int i = 0;
    for (int e = 0; e < m.length; e++) {
      int steps = ds.episodes().get(e).steps();
      double sum = 0;
      for (int t = 0; t < steps; t++) {
        sum += transitions[i++];
      }
      m[e] = steps == 0 ? 0 : sum / steps;
    }
    return m;
  }

  /** Writes both files (each to a temporary name, then renamed), {@code provenance} on their first line. */
  public void write(Dataset ds, String provenance) throws IOException {
    if (transitions.length != ds.totalSteps()) {
      throw new IllegalArgumentException(transitions.length + " scores for " + ds.totalSteps() + " transitions");
    }
    Files.createDirectories(folder(ds));
    String head = "# " + method + " scores of " + ds.id() + ": " + provenance.replace('\n', ' ') + "\n";
    Path tf = transitionsFile(ds, method);
    Path tmp = tf.resolveSibling("." + tf.getFileName() + ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write(head);
      w.write("episode,step,score\n");
      int i = 0;
      for (Dataset.EpisodeInfo e : ds.episodes()) {
        for (int t = 0; t < e.steps(); t++) {
          w.write(e.id() + "," + t + "," + format(transitions[i++]) + "\n");
        }
      }
    }
    move(tmp, tf);
    Path ef = episodesFile(ds, method);
    tmp = ef.resolveSibling("." + ef.getFileName() + ".tmp");
    double[] means = episodeMeans(ds);
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write(head);
      w.write("episode,steps,score\n");
      for (int e = 0; e < means.length; e++) {
        Dataset.EpisodeInfo info = ds.episodes().get(e);
        w.write(info.id() + "," + info.steps() + "," + format(means[e]) + "\n");
      }
    }
    move(tmp, ef);
  }

  /**
   * Reads {@code method}'s transition scores of {@code ds}; a missing file, or one made for
   * other episodes (a dataset appended to since), is an IllegalArgumentException saying so.
   */
  public static DatasetScores read(Dataset ds, String method) throws IOException {
    Path f = transitionsFile(ds, method);
    if (!Files.isRegularFile(f)) {
      throw new IllegalArgumentException("no " + method + " scores for " + ds.id() + " (" + f + " not found); run 'zeroshot"
          + " dataset score --method " + method + " " + ds.id() + "' first");
    }
    double[] s = new double[Math.toIntExact(ds.totalSteps())];
    int i = 0;
    int lineNo = 0;
    try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      List<Dataset.EpisodeInfo> eps = ds.episodes();
      int e = 0;
      int t = 0;
      String line;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.startsWith("#") || line.startsWith("episode,")) {
          continue;
        }
        while (e < eps.size() && t == eps.get(e).steps()) {
          e++;
          t = 0;
        }
        String[] p = line.split(",");
        if (e >= eps.size() || p.length != 3 || Integer.parseInt(p[0]) != eps.get(e).id() || Integer.parseInt(p[1]) != t) {
          throw new IllegalArgumentException(f + " line " + lineNo + " does not match the dataset's episodes: the scores"
              + " were made for another version of " + ds.id() + "; score it again");
        }
        s[i++] = Double.parseDouble(p[2]);
        t++;
      }
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException(f + " line " + lineNo + " is not 'episode,step,score': " + ex.getMessage());
    }
    if (i != s.length) {
      throw new IllegalArgumentException(f + " holds " + i + " scores but " + ds.id() + " has " + s.length
          + " transitions; score it again");
    }
    return new DatasetScores(method, s);
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.9g", v);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException ex) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
