import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The load of bench/serve-load.sh, for one exporter: CONCURRENCY scrapers cycle over the hung targets' probe URLs,
 * each sending X-Prometheus-Scrape-Timeout-Seconds and giving up (closing the connection) at that timeout, as
 * Prometheus does; meanwhile the health URL is polled every 100 ms (3 s timeout, like a kubelet probe) and the
 * healthy target's probe every second; the exporter's file descriptors and threads are sampled from /proc every
 * 250 ms: idle before, during the load, and for AFTER seconds after it (in-flight scrapes are abandoned at its end).
 * Prints key=value lines. Run with: java LoadGen.java key=value ... (single-file source, JDK 11+).
 */
public final class LoadGen {
    static final Set<Socket> OPEN = ConcurrentHashMap.newKeySet();

    record Answer(int status, String body, long millis) {
    }

    public static void main(String[] a) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (String s : a) {
            o.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        }
        String name = o.get("name");
        long pid = Long.parseLong(o.get("pid"));
        int concurrency = Integer.parseInt(o.getOrDefault("concurrency", "500"));
        int duration = Integer.parseInt(o.getOrDefault("duration", "30"));
        int after = Integer.parseInt(o.getOrDefault("after", "10"));
        double scrape = Double.parseDouble(o.getOrDefault("scrape", "10"));
        List<String> targets = Files.readAllLines(Path.of(o.get("targets")));
        String health = o.get("health");
        String healthy = o.get("healthy");
        Pattern healthyOk = Pattern.compile(o.get("healthyOk"), Pattern.MULTILINE);

        Sampler sampler = new Sampler(pid);
        sampler.start();
        Thread.sleep(3_000);
        sampler.phase = 1;

        long loadEnd = System.nanoTime() + duration * 1_000_000_000L;
        AtomicInteger next = new AtomicInteger();
        AtomicLong sent = new AtomicLong(), answered = new AtomicLong(), abandoned = new AtomicLong(), cut = new AtomicLong();
        Map<String, AtomicLong> kinds = new ConcurrentHashMap<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < loadEnd) {
                    String url = targets.get(Math.floorMod(next.getAndIncrement(), targets.size()));
                    Answer r = get(url, scrape, (long) (scrape * 1000));
                    if (System.nanoTime() >= loadEnd && r == null) {
                        cut.incrementAndGet(); // cut by the end of the load, not by its scrape timeout
                        continue;
                    }
                    sent.incrementAndGet();
                    if (r == null) {
                        abandoned.incrementAndGet();
                    } else {
                        answered.incrementAndGet();
                        kinds.computeIfAbsent(kind(r), k -> new AtomicLong()).incrementAndGet();
                    }
                }
            }, "scraper-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
        List<Long> healthMs = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger healthFailed = new AtomicInteger();
        Thread poller = new Thread(() -> {
            while (System.nanoTime() < loadEnd) {
                long t0 = System.nanoTime();
                Answer r = get(health, 0, 3_000);
                if (r == null || r.status() != 200) {
                    healthFailed.incrementAndGet();
                    healthMs.add(3_000L);
                } else {
                    healthMs.add(r.millis());
                }
                sleepUntil(t0 + 100_000_000L);
            }
        }, "health");
        poller.setDaemon(true);
        poller.start();
        List<Long> healthyMs = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger healthyFailed = new AtomicInteger();
        Thread healthyPoller = new Thread(() -> {
            while (System.nanoTime() < loadEnd) {
                long t0 = System.nanoTime();
                Answer r = get(healthy, scrape, (long) (scrape * 1000));
                if (r == null || !healthyOk.matcher(r.body()).find()) {
                    healthyFailed.incrementAndGet();
                    String why = r == null ? "no answer" : kind(r) + " " + r.millis() + " ms: "
                            + r.body().lines().filter(l -> !l.startsWith("#")).reduce((x, y) -> x + " | " + y).orElse("");
                    System.err.println(name + ": healthy probe failed: " + why);
                }
                if (r != null) {
                    healthyMs.add(r.millis());
                }
                sleepUntil(t0 + 1_000_000_000L);
            }
        }, "healthy");
        healthyPoller.setDaemon(true);
        healthyPoller.start();

        sleepUntil(loadEnd);
        sampler.phase = 2;
        for (Socket s : OPEN) {
            try {
                s.close(); // the load ends: every scraper still waiting gives up now
            } catch (IOException e) {
                // already closed
            }
        }
        long t0 = System.nanoTime();
        Answer first = get(healthy, scrape, (long) (scrape * 1000));
        long firstMs = (System.nanoTime() - t0) / 1_000_000;
        boolean firstOk = first != null && healthyOk.matcher(first.body()).find();
        for (Thread t : workers) {
            t.join(15_000);
        }
        Thread.sleep(Math.max(0, after * 1000L - (System.nanoTime() - t0) / 1_000_000));
        sampler.phase = 3;
        Thread.sleep(300);
        sampler.running = false;
        sampler.join();

        String p = name + ".";
        out(p + "probes_sent", sent.get());
        out(p + "probes_answered", answered.get());
        out(p + "probes_abandoned", abandoned.get());
        out(p + "probes_cut_at_end", cut.get());
        out(p + "answered_fraction", String.format("%.4f", sent.get() == 0 ? 0 : answered.get() / (double) sent.get()));
        kinds.forEach((k, v) -> out(p + "answer_kind." + k, v.get()));
        out(p + "health_requests", healthMs.size());
        out(p + "health_failed", healthFailed.get());
        out(p + "health_p50_ms", pct(healthMs, 50));
        out(p + "health_p99_ms", pct(healthMs, 99));
        out(p + "health_max_ms", pct(healthMs, 100));
        out(p + "healthy_probes", healthyMs.size() + healthyFailed.get());
        out(p + "healthy_failed", healthyFailed.get());
        out(p + "healthy_p50_ms", pct(healthyMs, 50));
        out(p + "healthy_max_ms", pct(healthyMs, 100));
        out(p + "healthy_after_ms", firstMs);
        out(p + "healthy_after_ok", firstOk);
        out(p + "fds_idle", sampler.idleFds());
        out(p + "fds_peak", sampler.peakFds);
        out(p + "fds_after", sampler.lastFds);
        out(p + "threads_idle", sampler.idleThreads());
        out(p + "threads_peak", sampler.peakThreads);
        out(p + "threads_after", sampler.lastThreads);
        out(p + "fds_back_ms", sampler.backMs(true));
        out(p + "threads_back_ms", sampler.backMs(false));
    }

    static String kind(Answer r) {
        if (r.status() != 200) {
            return "http_" + r.status();
        }
        if (r.body().contains("opsdoc_probe_rejected")) {
            return r.body().contains("reason=\"deadline\"") ? "rejected_deadline" : "rejected_queue_full";
        }
        if (r.body().contains("opsdoc_check_status")) {
            return "opsdoc_status_" + r.body().replaceAll("(?s).*opsdoc_check_status\\{[^}]*} ([0-9]).*", "$1");
        }
        if (r.body().contains("probe_success 1")) {
            return "probe_success_1";
        }
        return r.body().contains("probe_success 0") ? "probe_success_0" : "other";
    }

    /** One request on its own connection; null when no whole answer came within {@code ms} (the connection is then closed). */
    static Answer get(String url, double scrapeTimeout, long ms) {
        URI u = URI.create(url);
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            OPEN.add(s);
            try {
                s.connect(new java.net.InetSocketAddress(u.getHost(), u.getPort()), (int) ms);
                s.setSoTimeout((int) ms);
                String header = scrapeTimeout > 0 ? "X-Prometheus-Scrape-Timeout-Seconds: " + scrapeTimeout + "\r\n" : "";
                OutputStream out = s.getOutputStream();
                out.write(("GET " + u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()) + " HTTP/1.1\r\nHost: "
                        + u.getHost() + ":" + u.getPort() + "\r\n" + header + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[8192];
                StringBuilder b = new StringBuilder();
                long end = t0 + ms * 1_000_000L;
                int n;
                while ((n = in.read(buf)) >= 0) {
                    b.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    long left = (end - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        return null;
                    }
                    s.setSoTimeout((int) left);
                }
                String text = b.toString();
                int sp = text.indexOf(' ');
                if (sp < 0) {
                    return null;
                }
                int status = Integer.parseInt(text.substring(sp + 1, sp + 4));
                int body = text.indexOf("\r\n\r\n");
                return new Answer(status, body < 0 ? "" : text.substring(body + 4), (System.nanoTime() - t0) / 1_000_000);
            } finally {
                OPEN.remove(s);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static long pct(List<Long> values, int p) {
        List<Long> v;
        synchronized (values) {
            v = new ArrayList<>(values);
        }
        if (v.isEmpty()) {
            return -1;
        }
        Collections.sort(v);
        return v.get(Math.min(v.size() - 1, (int) Math.ceil(p / 100.0 * v.size()) - 1 < 0 ? 0 : (int) Math.ceil(p / 100.0 * v.size()) - 1));
    }

    static void sleepUntil(long nanos) {
        long ms = (nanos - System.nanoTime()) / 1_000_000;
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void out(String k, Object v) {
        System.out.println(k + "=" + v);
    }

    /** fds and threads of the exporter: phase 0 idle, 1 load, 2 after the load, 3 done. */
    static final class Sampler extends Thread {
        final long pid;
        volatile int phase;
        volatile boolean running = true;
        final List<long[]> idle = new ArrayList<>();
        final List<long[]> afterLoad = new ArrayList<>(); // {millis since the load ended, fds, threads}
        long peakFds, peakThreads, lastFds, lastThreads;
        long loadEnded;

        Sampler(long pid) {
            this.pid = pid;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                long fds;
                long threads;
                try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                    fds = s.count();
                    threads = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("Threads:"))
                            .mapToLong(l -> Long.parseLong(l.substring(8).trim())).findFirst().orElse(-1);
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read /proc/" + pid + ": " + e);
                }
                int ph = phase;
                if (ph == 0) {
                    idle.add(new long[] {fds, threads});
                } else {
                    peakFds = Math.max(peakFds, fds);
                    peakThreads = Math.max(peakThreads, threads);
                }
                if (ph >= 2) {
                    if (loadEnded == 0) {
                        loadEnded = System.nanoTime();
                    }
                    afterLoad.add(new long[] {(System.nanoTime() - loadEnded) / 1_000_000, fds, threads});
                }
                lastFds = fds;
                lastThreads = threads;
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long idleFds() {
            return idle.stream().mapToLong(x -> x[0]).max().orElse(-1);
        }

        long idleThreads() {
            return idle.stream().mapToLong(x -> x[1]).max().orElse(-1);
        }

        /** Milliseconds after the load until the count stayed within idle + 10 % for good; -1 if it never did. */
        long backMs(boolean fds) {
            long limit = (long) Math.floor((fds ? idleFds() : idleThreads()) * 1.1);
            long since = -1;
            for (long[] s : afterLoad) {
                long v = fds ? s[1] : s[2];
                if (v <= limit) {
                    if (since < 0) {
                        since = s[0];
                    }
                } else {
                    since = -1;
                }
            }
            return since;
        }
    }
}
