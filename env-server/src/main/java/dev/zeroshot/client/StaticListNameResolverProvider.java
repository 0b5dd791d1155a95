package dev.zeroshot.client;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * gRPC name resolution for a fixed list of servers, {@code zeroshot-list:///HOST1:PORT1,HOST2:PORT2}
 * (what {@link ServerTarget} makes of {@code HOST1:PORT1,HOST2:PORT2}): each address is its own
 * group, so a load-balancing policy such as round_robin treats each as one backend. Host names
 * are looked up when the channel starts and again when gRPC asks for a refresh (a backend went
 * away); the balancing itself is gRPC's.
 */
final class StaticListNameResolverProvider extends NameResolverProvider {

  static final String SCHEME = "zeroshot-list";

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 5; // the usual priority; only this scheme is served, so no other provider competes
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return List.of(InetSocketAddress.class);
  }

  @Override
  public NameResolver newNameResolver(URI target, NameResolver.Args args) {
    if (!SCHEME.equals(target.getScheme())) {
      return null;
    }
    String path = target.getPath();
    List<InetSocketAddress> servers = ServerTarget.unresolvedList(path.startsWith("/") ? path.substring(1) : path);
    return new Resolver(servers);
  }

  private static final class Resolver extends NameResolver {
    private final List<InetSocketAddress> servers;
    private final String authority;
    private Listener2 listener;

    Resolver(List<InetSocketAddress> servers) {
      this.servers = servers;
      this.authority = servers.get(0).getHostString() + ":" + servers.get(0).getPort();
    }

    @Override
    public String getServiceAuthority() {
      return authority;
    }

    @Override
    public void start(Listener2 listener) {
      this.listener = listener;
      resolve();
    }

    @Override
    public void refresh() {
      resolve();
    }

    private void resolve() {
      List<EquivalentAddressGroup> groups = new ArrayList<>();
      for (InetSocketAddress s : servers) {
        InetSocketAddress resolved = new InetSocketAddress(s.getHostString(), s.getPort());
        if (resolved.isUnresolved()) {
          listener.onError(Status.UNAVAILABLE.withDescription("cannot resolve server host " + s.getHostString()));
          return;
        }
        groups.add(new EquivalentAddressGroup(resolved));
      }
      listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
    }

    @Override
    public void shutdown() {}
  }
}
