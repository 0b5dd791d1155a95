package dev.zeroshot.cli;

import dev.zeroshot.offline.Dataset;
import dev.zeroshot.offline.DatasetException;
import dev.zeroshot.offline.DatasetId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --root}, where dataset ids are looked up: shared by the commands that read or write datasets. */
final class DatasetsRootOption {

  @Option(names = "--root", description = "datasets root (default: $MINARI_DATASETS_PATH or ~/.minari/datasets)")
  Path root;

  /** The root given, or the default one. */
  Path dir() {
    return root != null ? root : DatasetId.defaultRoot();
  }

  /** {@code idOrDir} as a dataset folder: a folder as is, else a dataset id under the root. */
  Path dataDir(String idOrDir) {
    Path p = Path.of(idOrDir);
    if (Files.isDirectory(p)) {
      return p;
    }
    return DatasetId.parse(idOrDir).dataDir(dir());
  }

  /** The dataset {@code idOrDir} names; one that is not there or unreadable is an IllegalArgumentException (one error line). */
  Dataset open(String idOrDir) throws IOException {
    try {
      return Dataset.open(dataDir(idOrDir));
    } catch (DatasetException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
