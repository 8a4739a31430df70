package io.opsdoc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fault matrix's vocabulary: which faults, what each must produce, how a target of each scheme is written, how
 * one cell is run and judged, and how the table is printed. Shared by {@link FaultMatrixTest} and the subprocess
 * ({@link FaultMatrixCells}) that runs the unreachable column inside a network namespace.
 */
final class FaultMatrix {

    /** Short enough that 100-odd cells stay cheap, long enough that a loaded CI machine is not the verdict. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** The issue's budget: a check answers within its --timeout plus one second. */
    static final long BUDGET_MS = TIMEOUT.toMillis() + 1000;
    static final String PASSWORD = "matrix-S3cret-pw";

    enum Fault {
        REFUSED("refused port", "UNREACHABLE", "refused"),
        BLACK_HOLE("black hole", "TIMEOUT", null),
        GARBAGE("garbage", "PROTOCOL_ERROR", null),
        RESET("reset", "CONNECTION_RESET", null),
        UNREACHABLE("no route", "UNREACHABLE", "unreachable"),
        AUTH("wrong credentials", "AUTH_FAILED", null);

        final String label;
        final String code;
        /** A word the summary must carry so refused and no-route, which share a code, still read differently. */
        final String word;

        Fault(String label, String code, String word) {
            this.label = label;
            this.code = code;
            this.word = word;
        }
    }

    /** One check on one of its schemes: a row of the table. */
    record Row(String check, String scheme, boolean primary) {
        String name() {
            return primary ? check : check + " (" + scheme + ")";
        }
    }

    /** What one cell produced; {@code problem} is null when the cell held. */
    record Result(Row row, Fault fault, String code, long millis, String summary, String problem) {
        boolean held() {
            return problem == null;
        }

        /** Tab-separated, for the subprocess to hand results back through its standard output. */
        String line() {
            return String.join("\t", row.check(), row.scheme(), String.valueOf(row.primary()), fault.name(), String.valueOf(code), String.valueOf(millis),
                    oneLine(summary), problem == null ? "" : oneLine(problem));
        }

        static Result parse(String line) {
            String[] f = line.split("\t", -1);
            return new Result(new Row(f[0], f[1], Boolean.parseBoolean(f[2])), Fault.valueOf(f[3]), f[4],
                    Long.parseLong(f[5]), f[6], f[7].isEmpty() ? null : f[7]);
        }
    }

    private FaultMatrix() {
    }

    /**
     * A target of {@code scheme} at host:port. New schemes must be added here: the matrix fails on a scheme it
     * cannot write, so a new kind of check cannot silently escape it.
     */
    static String target(String scheme, String host, int port, Path workDir) {
        return target(scheme, host, port, workDir, "https");
    }

    /** {@code apiScheme}: how the k8s fault server is reached (the 401 server speaks plain http). */
    static String target(String scheme, String host, int port, Path workDir, String apiScheme) {
        String hp = host + ":" + port;
        return switch (scheme) {
            case "mysql" -> "mysql://monitor@" + hp;
            case "redis", "rediss", "kafka", "memcached" -> scheme + "://" + hp;
            case "flume" -> "flume://" + hp; // the agent's HTTP monitoring server: GET /metrics
            case "zk" -> "zk://" + hp; // every member is asked; one faulty member is the whole list here
            case "redis-sentinel" -> "redis-sentinel://" + hp + "/mymaster";
            case "http", "https" -> scheme + "://" + hp + "/health";
            case "tls" -> "tls://" + hp;
            case "nginx" -> "nginx://" + hp + "/nginx_status";
            case "haproxy" -> "haproxy://" + hp + "/stats";
            case "k8s" -> "k8s://?kubeconfig=" + kubeconfig(workDir, apiScheme + "://" + hp);
            // a known_hosts file that pins nothing: every fault here strikes before any host key is seen
            case "ssh" -> "ssh://opsdoc@" + hp + "?known-hosts=" + emptyFile(workDir, "known_hosts");
            // a user makes the check send basic auth (the matrix's password), so the 401 server answers it
            case "prometheus" -> "prometheus://monitor@" + hp;
            case "docker+tcp" -> "docker+tcp://" + hp;
            case "etcd", "etcds" -> scheme + "://" + hp; // etcds: the JVM's trust store, no client certificate
            case "tcp" -> "tcp://" + hp;
            case "icmp" -> "icmp://" + host; // no port: the faults' servers are all on 127.0.0.1, which answers
            case "rabbitmq", "rabbitmqs" -> scheme + "://monitor@" + hp;
            default -> throw new IllegalStateException("the fault matrix has no target template for " + scheme
                    + ":// — add one to FaultMatrix.target");
        };
    }

    /** A kubeconfig whose only cluster is the fault server (over https; the token is the matrix's secret). */
    private static Path kubeconfig(Path dir, String server) {
        Path file = dir.resolve("kubeconfig-" + server.replaceAll("[^a-z0-9]+", "-"));
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: fault
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                users:
                - name: matrix
                  user:
                    token: %s
                contexts:
                - name: fault
                  context: {cluster: fault, user: matrix}
                current-context: fault
                """.formatted(server, PASSWORD);
        // cells run in parallel and share a file per server: written once, atomically, never under a reader
        try {
            synchronized (FaultMatrix.class) {
                if (!Files.exists(file)) {
                    Path tmp = Files.createTempFile(dir, "kubeconfig", ".tmp");
                    Files.writeString(tmp, yaml, StandardCharsets.UTF_8);
                    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static Path emptyFile(Path dir, String name) {
        Path file = dir.resolve(name);
        try {
            synchronized (FaultMatrix.class) {
                if (!Files.exists(file)) {
                    Files.createFile(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * Runs every row once against a refused port, unjudged, so the timed cells measure the checks and not this JVM
     * loading Netty, Vert.x and the Kafka client for the first time on a shared 2-core machine.
     */
    static void warmUp(List<Row> rows, Path dir) {
        rows.parallelStream().forEach(r -> Cli.run(Map.of(), "check", r.check(),
                target(r.scheme(), "127.0.0.1", io.opsdoc.lab.Ports.closedPort(), dir), "--timeout", "5s", "--format", "json"));
    }

    /** What a cell must produce: the exit code, the first finding's code (null: none) and a word of its summary. */
    record Expected(int exit, String code, String word) {
    }

    /**
     * tcp-port's findings are these faults: a refused port or no route is its CRITICAL verdict, not an UNKNOWN, and
     * a port that accepts the connect is open whatever the service then does (black hole, garbage, reset are for the
     * checks that speak the service's protocol). Every other check must not decide: UNKNOWN with the fault's code.
     */
    static Expected expected(Row row, Fault fault) {
        if (row.check().equals("tcp-port")) {
            return switch (fault) {
                case REFUSED -> new Expected(2, "PORT_CLOSED", "refused");
                case UNREACHABLE -> new Expected(2, "NO_ROUTE", "no route");
                case BLACK_HOLE, GARBAGE, RESET -> new Expected(0, null, null);
                case AUTH -> throw new IllegalStateException("tcp-port sends no credentials");
            };
        }
        if (row.check().equals("host-reachability")) {
            // echo requests to 127.0.0.1 are answered whatever listens on the fault's port; with no route, none is
            return fault == Fault.UNREACHABLE ? new Expected(2, "HOST_UNREACHABLE", "answered none")
                    : new Expected(0, null, null);
        }
        return new Expected(3, fault.code, fault.word);
    }

    /** Runs one cell in this JVM and judges it. */
    static Result run(Row row, Fault fault, String target) {
        Cli c = Cli.run(Map.of("OPSDOC_PASSWORD", PASSWORD), "check", row.check(), target,
                "--timeout", TIMEOUT.toSeconds() + "s", "--format", "json");
        String code = null;
        String summary = c.err().strip();
        try {
            JsonNode finding = new ObjectMapper().readTree(c.out()).path("reports").path(0).path("findings").path(0);
            code = finding.path("code").asText(null);
            summary = finding.path("summary").asText(summary);
        } catch (IOException e) {
            // judged below: no parsable report is itself the failure
        }
        List<String> problems = new ArrayList<>();
        Expected want = expected(row, fault);
        if (c.exit() != want.exit()) {
            problems.add("exit " + c.exit() + " (want " + want.exit() + ")");
        }
        if (!java.util.Objects.equals(want.code(), code)) {
            problems.add("code " + code + " (want " + want.code() + ")");
        }
        if (want.word() != null && !summary.toLowerCase().contains(want.word())) {
            problems.add("summary does not say '" + want.word() + "'");
        }
        if (c.millis() > BUDGET_MS) {
            problems.add(c.millis() + " ms (budget " + BUDGET_MS + " ms)");
        }
        if (!c.clean()) {
            problems.add("stack trace or exception name in the output");
        }
        if (c.all().contains(PASSWORD)) {
            problems.add("the secret was printed");
        }
        return new Result(row, fault, code, c.millis(), summary, problems.isEmpty() ? null : String.join("; ", problems));
    }

    /** Markdown: one row per check and scheme, one column per fault, each cell "held 812 ms" or "FAILED ...". */
    static String table(List<Result> results, Map<Fault, String> notRun) {
        Map<String, Map<Fault, Result>> byRow = new TreeMap<>();
        for (Result r : results) {
            byRow.computeIfAbsent(r.row().name(), k -> new LinkedHashMap<>()).put(r.fault(), r);
        }
        StringBuilder s = new StringBuilder("| check |");
        for (Fault f : Fault.values()) {
            s.append(' ').append(f.label).append(" → ").append(f.code).append(" |");
        }
        s.append("\n|---|").append("---|".repeat(Fault.values().length)).append('\n');
        for (var row : byRow.entrySet()) {
            s.append("| ").append(row.getKey()).append(" |");
            for (Fault f : Fault.values()) {
                Result r = row.getValue().get(f);
                String cell = r != null ? (r.held() ? "held " + r.millis() + " ms" : "**FAILED** " + r.problem())
                        : notRun.containsKey(f) ? "n/a" : "not run";
                s.append(' ').append(cell.replace("|", "/")).append(" |");
            }
            s.append('\n');
        }
        long held = results.stream().filter(Result::held).count();
        long worst = results.stream().mapToLong(Result::millis).max().orElse(0);
        s.append("\n").append(held).append(" of ").append(results.size()).append(" cells held; worst time ")
                .append(worst).append(" ms (budget ").append(BUDGET_MS).append(" ms = --timeout ")
                .append(TIMEOUT.toSeconds()).append("s + 1 s)\n");
        notRun.forEach((f, why) -> s.append("- ").append(f.label).append(": ").append(why).append('\n'));
        return s.toString();
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
