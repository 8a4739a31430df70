package io.opsdoc.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the fault matrix's "no route" column. Started by {@link FaultMatrixTest} under {@code unshare -n}: in a
 * fresh network namespace even the loopback interface is down, so a connect to 127.0.0.1 fails with ENETUNREACH,
 * the real "network is unreachable" without touching any outside address. One JVM runs every cell, so the budget
 * measures the check, not JVM start-up.
 *
 * <p>Arguments: a work directory (for kubeconfig files), a port, then {@code check:scheme:primary} per row. Prints
 * one {@code CELL<TAB>}{@link FaultMatrix.Result#line()} per row.
 */
public final class FaultMatrixCells {

    private FaultMatrixCells() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        List<FaultMatrix.Row> rows = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String[] r = args[i].split(":");
            rows.add(new FaultMatrix.Row(r[0], r[1], Boolean.parseBoolean(r[2])));
        }
        FaultMatrix.warmUp(rows, dir);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<FaultMatrix.Result>> results = new ArrayList<>();
        for (FaultMatrix.Row row : rows) {
            String target = FaultMatrix.target(row.scheme(), "127.0.0.1", port, dir);
            results.add(pool.submit(() -> FaultMatrix.run(row, FaultMatrix.Fault.UNREACHABLE, target)));
        }
        for (Future<FaultMatrix.Result> f : results) {
            System.out.println("CELL\t" + f.get().line());
        }
        pool.shutdownNow();
        System.exit(0); // client libraries may leave non-daemon threads behind
    }
}
