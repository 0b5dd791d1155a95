package dev.zeroshot.mbtl;

/** Progress of a long computation: {@code done} of {@code total} units of {@code what}. */
@FunctionalInterface
public interface Progress {
  void update(String what, int done, int total);

  Progress NONE = (what, done, total) -> { };
}
