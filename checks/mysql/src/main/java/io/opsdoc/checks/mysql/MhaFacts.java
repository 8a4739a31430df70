package io.opsdoc.checks.mysql;

import java.util.List;

/**
 * What the MHA tools said on the manager host, for mysql-failover-readiness. Only lines that decide are kept, and
 * every {@code pass...=value} in them is masked already here: MHA echoes configuration values, and facts are printed
 * ({@code opsdoc check --facts}).
 *
 * @param host        the {@code mha-host} parameter as displayed ({@code local:} or {@code ssh://user@host}, never a
 *                    password)
 * @param conf        the {@code mha-conf} parameter: the application's configuration file on that host
 * @param status      {@code masterha_check_status --conf=CONF}; null when it could not be run
 * @param repl        {@code masterha_check_repl --conf=CONF}; null when not asked ({@code mha-check-repl=false}) or
 *                    not run
 * @param probeError  the probe-error code when the host or a tool could not be used; then the runs may be missing
 * @param probeReason its one-line reason
 */
public record MhaFacts(String host, String conf, Run status, Run repl, String probeError, String probeReason) {

    /**
     * One run of an MHA tool.
     *
     * @param exit  its exit status (masterha_check_status: 0 PING_OK, 2 NOT_RUNNING, 3 PARTIALLY_RUNNING, 10...51 the
     *              other states of MHA::ManagerConst, 1 an error; masterha_check_repl: 0 OK, else NOT OK)
     * @param lines the lines that decide, masked: all of masterha_check_status's, masterha_check_repl's errors,
     *              warnings and verdict
     */
    public record Run(int exit, List<String> lines) {
    }
}
