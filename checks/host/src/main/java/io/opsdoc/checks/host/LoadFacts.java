package io.opsdoc.checks.host;

/**
 * What linux-load read: {@code /proc/loadavg} as it is (e.g. {@code 0.26 0.35 0.28 4/151 27245}) and the online CPU
 * list {@code /sys/devices/system/cpu/online} (e.g. {@code 0-3}).
 */
public record LoadFacts(String loadavg, String cpusOnline) {
}
