package io.opsdoc.cli;

/**
 * On a machine with one or two CPUs the JDK's common pool has one worker, and {@code CompletableFuture} then runs
 * every task meant for its default executor on a new thread. The JDK HttpClient hands each response to that executor,
 * so every HTTP-based probe started and ended a thread: 3,525 thread starts for 3,000 {@code nginx-status} probes
 * under {@code serve} (JFR), about a quarter of the server's CPU per probe. Two workers make it a pool again.
 *
 * <p>Only tasks that do not block may use the common pool: code that waits on a process or a socket brings its own
 * executor (the host transport's output readers do). Must run before anything touches the common pool; a value the
 * user set with {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism} is kept.
 */
final class CommonPool {
    static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private CommonPool() {
    }

    static void atLeastTwoWorkers() {
        if (System.getProperty(PARALLELISM) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(PARALLELISM, "2");
        }
    }
}
