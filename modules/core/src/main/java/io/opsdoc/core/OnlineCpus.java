package io.opsdoc.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPUs online on this machine as sysconf(_SC_NPROCESSORS_ONLN) counts them (what nginx's {@code worker_processes
 * auto} uses), from /sys/devices/system/cpu/online; the JVM's count, which a cgroup quota can lower, is the fallback.
 */
public final class OnlineCpus {
    private OnlineCpus() {
    }

    public static int count() {
        try {
            int n = 0;
            for (String range : Files.readString(Path.of("/sys/devices/system/cpu/online")).trim().split(",")) {
                String[] ab = range.split("-");
                n += ab.length == 1 ? 1 : Integer.parseInt(ab[1]) - Integer.parseInt(ab[0]) + 1;
            }
            return n;
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }
}
