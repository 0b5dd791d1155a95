package dev.zeroshot.cli;

import dev.zeroshot.env.context.ContextOverrides;
import dev.zeroshot.env.context.LevelRange;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters for the option values several commands take, so each is parsed in one
 * place, once, and a bad value is refused with the same message whichever command it came to.
 */
final class Converters {

  private Converters() {}

  /** A converter by a parser whose IllegalArgumentException's message says what was wrong and what is allowed. */
  abstract static class Parsed<T> implements ITypeConverter<T> {
    private final Function<String, T> parse;

    Parsed(Function<String, T> parse) {
      this.parse = parse;
    }

    @Override
    public T convert(String value) {
      try {
        return parse.apply(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code A:B}, {@code A:} or {@code N}: a {@link LevelRange}. */
  static final class Levels extends Parsed<LevelRange> {
    Levels() {
      super(LevelRange::parse);
    }
  }

  /** {@code k=v,...}: context overrides, syntax-checked (names are checked against the env later). */
  static final class Overrides extends Parsed<ContextOverrides> {
    Overrides() {
      super(ContextOverrides::parse);
    }
  }

  /** {@code LOW:HIGH} with finite LOW < HIGH: an {@link Interval}. */
  static final class Intervals implements ITypeConverter<Interval> {
    @Override
    public Interval convert(String value) {
      String[] p = value.split(":", -1);
      try {
        if (p.length != 2) {
          throw new NumberFormatException();
        }
        double low = Double.parseDouble(p[0].strip());
        double high = Double.parseDouble(p[1].strip());
        if (!(high > low) || !Double.isFinite(low) || !Double.isFinite(high)) {
          throw new NumberFormatException();
        }
        return new Interval(low, high);
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' must be LOW:HIGH with finite numbers, HIGH > LOW (e.g. 0:500)");
      }
    }
  }

  /** Two numbers, {@code low < high}. */
  record Interval(double low, double high) {
    double[] toArray() {
      return new double[] {low, high};
    }
  }
}
