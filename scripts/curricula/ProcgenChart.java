// The picture of scripts/curricula/procgen.sh's results: per curriculum, the mean over seeds of the
// return on the training levels and on the unseen levels, beside the uniformly random policy's on
// the same splits, as grouped bars in the house chart style (dev.zeroshot.mbtl.Charts). The
// worst-10% mean is left out: on maze every episode returns 0 or 10, so it is 0 unless over 90%
// of a split's episodes are solved (summary.csv has it).
//   java -cp env-server/target/zeroshot.jar scripts/curricula/ProcgenChart.java OUT TITLE
// reads OUT/summary.csv and OUT/random-policy.txt ('zeroshot procgen-stats' on the training, then
// the unseen levels) and writes OUT/procgen.png.
import dev.zeroshot.mbtl.Charts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

public class ProcgenChart {
  public static void main(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Path out = Path.of(args[0]);
    List<String> lines = Files.readAllLines(out.resolve("summary.csv"));
    List<String> header = Arrays.asList(lines.get(0).split(","));
    List<String> categories = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      categories.add(f[0] + " (" + f[1] + " seeds)");
      values.add(new double[] {Double.parseDouble(f[header.indexOf("train_return")]),
          Double.parseDouble(f[header.indexOf("test_return")])});
    }
    // procgen-stats' result rows: id, episodes, mean length, mean return, completed
    double[] random = Files.readAllLines(out.resolve("random-policy.txt")).stream()
        .filter(l -> l.startsWith("procgen/")).mapToDouble(l -> Double.parseDouble(l.trim().split("\\s+")[3])).toArray();
    if (random.length != 2) {
      throw new IllegalArgumentException("random-policy.txt must hold two procgen-stats rows (training, then unseen levels)");
    }
    categories.add("uniformly random policy");
    values.add(random);
    Charts.groupedBars(args[1], categories, List.of("training levels 0-199", "unseen levels 1000+"),
        values.toArray(new double[0][]), "mean return (cheese = 10)", out.resolve("procgen.png"));
  }
}
