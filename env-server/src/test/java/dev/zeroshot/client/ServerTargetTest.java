package dev.zeroshot.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The server address forms a client accepts, and one clear error for the rest. */
class ServerTargetTest {

  @Test
  void oneServerOrSeveral() {
    assertFalse(ServerTarget.parse("localhost:50051").several());
    assertFalse(ServerTarget.parse("[::1]:50051").several());
    assertTrue(ServerTarget.parse("h1:50051,h2:50052").several());
    assertTrue(ServerTarget.parse("10.0.0.1:1, [::1]:2").several());
    assertTrue(ServerTarget.parse("dns:///envs.cluster:50051").several());
    assertEquals("h1:50051,h2:50052", ServerTarget.parse("h1:50051,h2:50052").toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "localhost", "localhost:", "localhost:0", "localhost:70000", ":50051", "h1:1,",
      "h1:1,h2", "h1:x", "dns:envs:50051", "dns:///envs", "dns:///a:1,b:2"})
  void badAddressesAreRefusedNamingTheFormsAllowed(String bad) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerTarget.parse(bad));
    assertTrue(e.getMessage().contains("allowed: HOST:PORT, HOST1:PORT1,HOST2:PORT2,... or dns:///NAME:PORT"),
        e.getMessage());
  }
}
