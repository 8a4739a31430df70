package io.opsdoc.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@link Check#collect} gets: the target, its credential, the parameters, a hard deadline, and the pool to take
 * protocol clients from (kept between runs by {@code opsdoc serve}, opened per run otherwise).
 * Every network call a check makes must be bounded by {@link #remaining()}.
 */
public record CheckContext(Target target, Optional<Secret> password, Parameters parameters, Instant deadline, ClientPool clients) {

    /** A context whose clients are opened and closed within the run (the CLI's case). */
    public CheckContext(Target target, Optional<Secret> password, Parameters parameters, Instant deadline) {
        this(target, password, parameters, deadline, ClientPool.none());
    }

    /** Time left before the deadline, never negative; at least 1 ms so a library never reads 0 as "no timeout". */
    public Duration remaining() {
        Duration d = Duration.between(Instant.now(), deadline);
        return d.toMillis() < 1 ? Duration.ofMillis(1) : d;
    }

    /** Remaining time in whole milliseconds, for client libraries that take an int timeout. */
    public int remainingMillis() {
        return (int) Math.min(Integer.MAX_VALUE, remaining().toMillis());
    }
}
