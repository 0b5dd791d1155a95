package dev.zeroshot.env;

/**
 * A piece of user input (an env id, a feature name) quoted in an error message, cut to a bounded
 * length: a 10,000-character id must not make a 10,000-character message (a server sends the
 * message in a status header, which a client caps at 8 KiB by default).
 */
public final class Echo {

  /** The most characters of the input a message repeats. */
  public static final int MAX_CHARS = 64;

  private Echo() {}

  /** {@code 'input'}, or its first {@link #MAX_CHARS} characters and its length when longer. */
  public static String quote(String input) {
    if (input.length() <= MAX_CHARS) {
      return "'" + input + "'";
    }
    int end = Character.isHighSurrogate(input.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
    return "'" + input.substring(0, end) + "...' (" + input.length() + " characters)";
  }
}
