package io.opsdoc.checks.redis;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What redis-host-tuning read: the server's INFO and CONFIG GET, and three kernel files of the host it runs on, as
 * the files hold them (trailing newline stripped).
 *
 * @param redis      INFO all and CONFIG GET tcp-backlog, disable-thp, save, appendonly
 * @param host       the {@code host} parameter as displayed ({@code local:} or {@code user@host:port})
 * @param thpEnabled {@code /sys/kernel/mm/transparent_hugepage/enabled}, e.g. {@code always [madvise] never}; null
 *                   when the kernel has no THP
 * @param overcommitMemory {@code /proc/sys/vm/overcommit_memory}: 0, 1 or 2
 * @param somaxconn  {@code /proc/sys/net/core/somaxconn} in the network namespace the host transport reads
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HostTuningFacts(RedisFacts redis, String host, String thpEnabled, String overcommitMemory,
        String somaxconn) {
}
