package dev.zeroshot.client;

import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * Where a client finds its server or servers, as the user writes it: one {@code HOST:PORT}, a
 * static list {@code HOST1:PORT1,HOST2:PORT2,...}, or {@code dns:///NAME:PORT} (every address
 * the name resolves to, re-resolved by gRPC's DNS resolver). With several servers the channel
 * spreads its calls over them with gRPC's own {@code round_robin} policy; a session is one call,
 * so the sessions opened on one channel take the servers in turn. grpc-java has no public
 * scheme for a static list of addresses, so one is registered here
 * ({@link StaticListNameResolverProvider}).
 */
public final class ServerTarget {

  private static final String ALLOWED = "allowed: HOST:PORT, HOST1:PORT1,HOST2:PORT2,... or dns:///NAME:PORT";

  static {
    NameResolverRegistry.getDefaultRegistry().register(new StaticListNameResolverProvider());
  }

  private final String text;
  private final String channelTarget;
  private final boolean several;

  private ServerTarget(String text, String channelTarget, boolean several) {
    this.text = text;
    this.channelTarget = channelTarget;
    this.several = several;
  }

  /**
   * Reads a target.
   *
   * @throws IllegalArgumentException naming the part that is not HOST:PORT and the forms allowed
   */
  public static ServerTarget parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("server address is empty; " + ALLOWED);
    }
    String t = text.strip();
    if (t.startsWith("dns:")) {
      String rest = t.startsWith("dns:///") ? t.substring("dns:///".length()) : "";
      if (rest.contains(",") || rest.contains("/")) {
        throw new IllegalArgumentException("server address '" + text + "' is not dns:///NAME:PORT; " + ALLOWED);
      }
      hostPort(rest, text);
      return new ServerTarget(t, t, true);
    }
    if (!t.contains(",")) {
      hostPort(t, text);
      return new ServerTarget(t, t, false);
    }
    for (String part : t.split(",", -1)) {
      hostPort(part.strip(), text);
    }
    // brackets of IPv6 literals are not allowed in a URI path: percent-encoded, the resolver gets them back
    String path = t.replace(" ", "").replace("[", "%5B").replace("]", "%5D");
    return new ServerTarget(t, StaticListNameResolverProvider.SCHEME + ":///" + path, true);
  }

  /** Whether the target names several servers (a list, or a DNS name that may resolve to several). */
  public boolean several() {
    return several;
  }

  /**
   * Whether the target is one server whose host resolves only to loopback addresses: the peers a
   * server shares memory with (docs/protocol.md, "Shared memory").
   */
  public boolean onLoopback() {
    if (several) {
      return false;
    }
    try {
      InetAddress[] all = InetAddress.getAllByName(hostPort(text.strip(), text).getHostString());
      return all.length > 0 && Arrays.stream(all).allMatch(InetAddress::isLoopbackAddress);
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * How many servers the target names: the distinct entries of a list; for {@code dns:///} the
   * addresses the name resolves to now (1 if it does not resolve here; gRPC's resolver will say).
   */
  public int servers() {
    if (!several) {
      return 1;
    }
    if (channelTarget.startsWith("dns:")) {
      String hostPort = channelTarget.substring("dns:///".length());
      InetSocketAddress a = hostPort(hostPort, text);
      try {
        return Math.max(1, InetAddress.getAllByName(a.getHostString()).length);
      } catch (UnknownHostException e) {
        return 1;
      }
    }
    return new HashSet<>(List.of(text.replace(" ", "").split(","))).size();
  }

  /**
   * A plaintext channel tuned for lock-step stepping: direct executor, large messages, and an
   * 8 MiB initial HTTP/2 window (gRPC's 1 MiB would make a batch of 256 frames, 3 MB, wait for
   * window updates mid-message; the window still auto-tunes from there). For several servers,
   * round_robin over them.
   */
  public ManagedChannel channel(int maxMessageBytes) {
    return channel(maxMessageBytes, ClientSecurity.NONE);
  }

  /** The same, with TLS and/or a bearer token as {@code security} says. */
  public ManagedChannel channel(int maxMessageBytes, ClientSecurity security) {
    NettyChannelBuilder b = NettyChannelBuilder.forTarget(channelTarget, security.credentials()).directExecutor()
        .maxInboundMessageSize(maxMessageBytes).initialFlowControlWindow(8 << 20);
    if (several) {
      b.defaultLoadBalancingPolicy("round_robin");
    }
    return b.build();
  }

  /** The addresses of a static list target's channel path (no DNS lookup here). */
  static List<InetSocketAddress> unresolvedList(String list) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String part : list.split(",")) {
      out.add(hostPort(part, list));
    }
    return out;
  }

  /** Reads {@code HOST:PORT} ({@code [v6]:PORT} for an IPv6 literal), unresolved. */
  private static InetSocketAddress hostPort(String s, String whole) {
    int colon = s.lastIndexOf(':');
    String host = colon < 0 ? "" : s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = -1;
    try {
      port = colon < 0 ? -1 : Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      // refused below
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw new IllegalArgumentException("server address '" + whole + "': '" + s + "' is not HOST:PORT with a port in "
          + "1..65535; " + ALLOWED);
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  @Override
  public String toString() {
    return text;
  }
}
