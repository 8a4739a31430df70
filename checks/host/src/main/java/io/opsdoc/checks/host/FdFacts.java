package io.opsdoc.checks.host;

import java.util.List;

/**
 * What linux-fd-usage read: {@code /proc/sys/fs/file-nr} as it is ({@code allocated unused max}) and, on
 * {@code local:}, the processes holding at least half of their soft open-files limit (null over SSH).
 */
public record FdFacts(String fileNr, List<HostReader.ProcessFds> busyProcesses) {
}
