package dev.zeroshot.env.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContextOverridesTest {

  @Test
  void parsesInOrderAndPrintsBack() {
    ContextOverrides o = ContextOverrides.parse(" length = 2.0 , gravity=9.0");
    assertEquals(List.of("length", "gravity"), List.copyOf(o.toMap().keySet()));
    assertEquals("length=2.0,gravity=9.0", o.toString());
    assertEquals(o, ContextOverrides.parse(o.toString()));
    assertTrue(ContextOverrides.parse("").isEmpty());
    assertTrue(ContextOverrides.parse(null).isEmpty());
  }

  @Test
  void syntaxIsCheckedWithoutAnEnv() {
    assertThrows(IllegalArgumentException.class, () -> ContextOverrides.parse("length"));
    assertThrows(IllegalArgumentException.class, () -> ContextOverrides.parse("length=long"));
    assertThrows(IllegalArgumentException.class, () -> ContextOverrides.parse("length=1,length=2"));
  }

  @Test
  void resolvesAgainstTheEnvsSpace() {
    ContextSpace space = EnvRegistry.builtin().spec("CartPole-v1").contextSpace();
    Context c = ContextOverrides.parse("length=2.0").resolve(space);
    assertEquals(space.defaults().with(Map.of("length", 2.0)), c);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ContextOverrides.parse("lenght=2.0").resolve(space));
    assertTrue(e.getMessage().startsWith("unknown context feature 'lenght' for CartPole-v1"), e.getMessage());
  }

  @Test
  void aContextsChangesAreTheFeaturesOffTheirDefaults() {
    ContextSpace space = EnvRegistry.builtin().spec("CartPole-v1").contextSpace();
    assertTrue(space.defaults().changes().isEmpty());
    ContextOverrides o = ContextOverrides.parse("length=2.0,gravity=9.0");
    assertEquals("gravity=9.0,length=2.0", o.resolve(space).changes().toString()); // feature order
    assertEquals(o.resolve(space), o.resolve(space).changes().resolve(space));
  }
}
