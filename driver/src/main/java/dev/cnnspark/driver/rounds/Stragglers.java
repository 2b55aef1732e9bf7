package dev.cnnspark.driver.rounds;

import java.util.Locale;
import java.util.Optional;

/**
 * Notices a worker that stays much slower per minibatch than the fastest one: a synchronous round waits for its
 * slowest worker, so one such worker slows the whole job. Says so once per run, when the same partition has been at
 * least {@link #RATIO} times slower for {@link #ROUNDS} rounds in a row (a single slow round is GC or a busy
 * neighbour; a worker whose shard ran out early trains fewer minibatches but is compared per minibatch).
 */
public final class Stragglers {
  /** Per-minibatch time of the slowest worker over the fastest's that counts as a straggler. */
  public static final double RATIO = 2.0;
  /** Rounds in a row before it is reported. */
  public static final int ROUNDS = 3;

  private int partition = -1;
  private int rounds;
  private boolean reported;

  /** Takes one round's result; returns the warning the first time a straggler is established. */
  public Optional<String> observe(RoundResult r) {
    if (r.slowdown() < RATIO) {
      rounds = 0;
      return Optional.empty();
    }
    rounds = r.slowPartition() == partition ? rounds + 1 : 1;
    partition = r.slowPartition();
    if (rounds < ROUNDS || reported) {
      return Optional.empty();
    }
    reported = true;
    return Optional.of(String.format(Locale.ROOT, "the worker of partition %d has been %.1fx slower per minibatch "
        + "than the fastest worker for %d rounds in a row, and every round waits for it (its executor's log names "
        + "its device: 'RoundTask: ... partition %d ... on ...'). Seen causes: on JDK 17 a JVM now and then compiles "
        + "a Vector API kernel without its intrinsics (README, Backends; not seen on JDK 25), an executor sharing its "
        + "cores with other work, a CPU worker beside GPU workers.", partition, r.slowdown(), rounds, partition));
  }
}
