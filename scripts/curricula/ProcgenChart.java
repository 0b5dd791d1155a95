// The picture of scripts/curricula/procgen.sh's results: per curriculum, the mean over seeds of the
// return on the training levels, on the unseen levels, and the unseen levels' worst-10% mean, as
// grouped bars in the house chart style (dev.zeroshot.mbtl.Charts).
//   java -cp env-server/target/zeroshot.jar scripts/curricula/ProcgenChart.java OUT/summary.csv OUT/procgen.png
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
    List<String> lines = Files.readAllLines(Path.of(args[0]));
    List<String> header = Arrays.asList(lines.get(0).split(","));
    List<String> series = List.of("training levels 0-199", "unseen levels 1000+", "unseen, worst-10% mean");
    String[] columns = {"train_return", "test_return", "test_cvar10"};
    List<String> methods = new ArrayList<>();
    double[][] values = new double[lines.size() - 1][columns.length];
    for (int r = 1; r < lines.size(); r++) {
      String[] f = lines.get(r).split(",");
      methods.add(f[0] + " (" + f[1] + " seeds)");
      for (int c = 0; c < columns.length; c++) {
        values[r - 1][c] = Double.parseDouble(f[header.indexOf(columns[c])]);
      }
    }
    Charts.groupedBars("symbolic maze (world 9), PPO per curriculum: return, mean over seeds", methods, series, values,
        "return (cheese = 10)", Path.of(args[1]));
  }
}
