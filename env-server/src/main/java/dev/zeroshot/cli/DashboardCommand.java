package dev.zeroshot.cli;

import dev.zeroshot.mbtl.Dashboard;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zeroshot dashboard DIR}: a live, read-only web page over the sweeps and runs in DIR. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
    description = "Serve a read-only web page over the MBTL sweeps and training runs under DIR: the transfer-matrix "
        + "heatmap filling in as trainings finish, V_k per strategy and the learning curves, updated every 2 s.")
final class DashboardCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "folder holding sweeps and runs, e.g. runs")
  Path dir;

  @Option(names = "--port", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE})")
  int port = 8765;

  @Option(names = "--bind", description = "address to listen on; anything but loopback lets other machines read DIR's "
      + "sweeps (default: ${DEFAULT-VALUE})")
  String bind = "127.0.0.1";

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be in 0..65535, got " + port);
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("--bind " + bind + ": not an address of this machine");
    }
    Dashboard d;
    try {
      d = Dashboard.start(dir, new InetSocketAddress(address, port));
    } catch (java.net.BindException e) {
      throw new IllegalArgumentException("--port " + port + " on " + bind + ": " + e.getMessage()
          + " (give another --port, or 0 for a free one)");
    }
    PrintWriter out = spec.commandLine().getOut();
    String host = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
    out.printf("zeroshot dashboard: http://%s:%d/ serving %s (read-only); Ctrl-C stops it%n", host, d.port(), dir);
    out.flush();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      d.close();
      stop.countDown();
    }));
    stop.await();
    return 0;
  }
}
