package dev.zeroshot.env.xland;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named benchmark: rulesets of consecutive levels, made by one of XLand-MiniGrid's four
 * generator settings (trivial, small, medium, high). Ruleset {@code i} is level
 * {@code firstLevel + i}, i.e. {@code generator(name).generate(firstLevel + i)}: exactly the
 * ruleset an XLand env with {@code benchmark=<number of the name>} plays on that level. So
 * {@code generate("small", 1000, 0)} is the levels an env with {@code --levels 0:1000} draws from,
 * and a benchmark needs no download: the file is a portable copy of what the seed defines.
 *
 * <p>File format (big-endian), XLand-MiniGrid's encodings ({@link RulesetCodec}):
 * <pre>
 *   8 bytes   ASCII "XLANDBM1"
 *   1 byte    name length n, then n ASCII bytes (trivial, small, medium or high)
 *   8 bytes   first level (int64)
 *   4 bytes   number of rulesets (int32)
 *   per ruleset: the goal (5 bytes), the rule count r (1 byte), r rules (7 bytes each),
 *                the object count o (1 byte), o objects (tile, colour: 2 bytes each)
 * </pre>
 *
 * @param name one of {@link #NAMES}' keys
 * @param firstLevel the level of the first ruleset
 * @param rulesets ruleset {@code i} is level {@code firstLevel + i}
 */
public record XLandBenchmark(String name, long firstLevel, List<Ruleset> rulesets) {

  private static final byte[] MAGIC = "XLANDBM1".getBytes(StandardCharsets.US_ASCII);

  /** The benchmarks by name, in the order of their {@code benchmark} context feature value (1 to 4). */
  public static final Map<String, RulesetGenerator> NAMES = names();

  public XLandBenchmark {
    generator(name);
    rulesets = List.copyOf(rulesets);
  }

  private static Map<String, RulesetGenerator> names() {
    Map<String, RulesetGenerator> m = new LinkedHashMap<>();
    m.put("trivial", RulesetGenerator.TRIVIAL);
    m.put("small", RulesetGenerator.SMALL);
    m.put("medium", RulesetGenerator.MEDIUM);
    m.put("high", RulesetGenerator.HIGH);
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The generator settings of a benchmark name. */
  public static RulesetGenerator generator(String name) {
    RulesetGenerator g = NAMES.get(name);
    if (g == null) {
      throw new IllegalArgumentException("unknown benchmark '" + name + "'; known: " + String.join(", ", NAMES.keySet()));
    }
    return g;
  }

  /** The generator settings of the {@code benchmark} context feature's value (1 trivial ... 4 high). */
  public static RulesetGenerator generator(int number) {
    if (number < 1 || number > NAMES.size()) {
      throw new IllegalArgumentException("benchmark number " + number + " must be in [1, " + NAMES.size() + "]: "
          + String.join(", ", NAMES.keySet()));
    }
    return List.copyOf(NAMES.values()).get(number - 1);
  }

  /** The {@code size} rulesets of levels {@code [seed, seed + size)} of the named benchmark. */
  public static XLandBenchmark generate(String name, int size, long seed) {
    RulesetGenerator g = generator(name);
    if (size < 1) {
      throw new IllegalArgumentException("benchmark size must be >= 1, got " + size);
    }
    List<Ruleset> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(g.generate(seed + i));
    }
    return new XLandBenchmark(name, seed, out);
  }

  public int size() {
    return rulesets.size();
  }

  /**
   * The first {@code n} rulesets (to train on) and the rest (held out, to test on); each part is
   * itself a benchmark whose levels follow on from the other's.
   */
  public List<XLandBenchmark> split(int n) {
    if (n < 1 || n >= size()) {
      throw new IllegalArgumentException("split point " + n + " must be in [1, " + (size() - 1) + "] for "
          + size() + " rulesets");
    }
    return List.of(new XLandBenchmark(name, firstLevel, rulesets.subList(0, n)),
        new XLandBenchmark(name, firstLevel + n, rulesets.subList(n, size())));
  }

  /** The file's bytes. */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeByte(name.length());
      out.write(name.getBytes(StandardCharsets.US_ASCII));
      out.writeLong(firstLevel);
      out.writeInt(size());
      byte[] goal = new byte[RulesetCodec.GOAL_LENGTH];
      byte[] rule = new byte[RulesetCodec.RULE_LENGTH];
      for (Ruleset r : rulesets) {
        RulesetCodec.encodeGoal(r.goal(), goal, 0);
        out.write(goal);
        out.writeByte(r.rules().size());
        for (Rule x : r.rules()) {
          RulesetCodec.encodeRule(x, rule, 0);
          out.write(rule);
        }
        out.writeByte(r.objects().size());
        out.write(RulesetCodec.encodeObjects(r.objects()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  /** Reads a file's bytes; a malformed file gets an error naming what is wrong. */
  public static XLandBenchmark fromBytes(byte[] data) {
    ByteBuffer in = ByteBuffer.wrap(data);
    try {
      byte[] magic = new byte[MAGIC.length];
      in.get(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new IllegalArgumentException("not an XLand benchmark file: it must start with \"XLANDBM1\"");
      }
      byte[] name = new byte[in.get() & 0xFF];
      in.get(name);
      long first = in.getLong();
      int count = in.getInt();
      if (count < 0) {
        throw new IllegalArgumentException("ruleset count " + count + " must be >= 0");
      }
      List<Ruleset> rulesets = new ArrayList<>(Math.min(count, 1 << 20));
      for (int i = 0; i < count; i++) {
        int at = in.position();
        Goal goal = RulesetCodec.decodeGoal(data, at);
        in.position(at + RulesetCodec.GOAL_LENGTH);
        int numRules = in.get() & 0xFF;
        List<Rule> rules = new ArrayList<>(numRules);
        for (int k = 0; k < numRules; k++) {
          rules.add(RulesetCodec.decodeRule(data, in.position()));
          in.position(in.position() + RulesetCodec.RULE_LENGTH);
        }
        int numObjects = in.get() & 0xFF;
        if (in.remaining() < 2 * numObjects) {
          throw new java.nio.BufferUnderflowException();
        }
        List<Integer> objects = RulesetCodec.decodeObjects(data, in.position(), numObjects);
        in.position(in.position() + 2 * numObjects);
        rulesets.add(new Ruleset(goal, rules, objects));
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " bytes follow the last of the " + count + " rulesets");
      }
      return new XLandBenchmark(new String(name, StandardCharsets.US_ASCII), first, rulesets);
    } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("XLand benchmark file ends early (" + data.length + " bytes)");
    }
  }

  public void write(Path file) throws IOException {
    Files.write(file, toBytes());
  }

  public static XLandBenchmark read(Path file) throws IOException {
    try {
      return fromBytes(Files.readAllBytes(file));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }
}
