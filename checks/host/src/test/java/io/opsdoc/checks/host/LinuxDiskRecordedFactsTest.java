package io.opsdoc.checks.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * linux-disk and linux-inodes on output recorded from real hosts (GNU coreutils 9.1 df, Debian 12), including what
 * the lab's tmpfs cannot show: ext4 reserved blocks, a mount point with a space, a btrfs without inode counts.
 */
class LinuxDiskRecordedFactsTest {
    // df -P -T -k on an ext4 root with the default 5 % reserve: Used + Available < Size
    private static final String DF_BLOCKS = """
            Filesystem     Type     1024-blocks     Used Available Capacity Mounted on
            /dev/vda       ext4       264212084 27229784  79161128      26% /
            tmpfs          tmpfs       24683748        0  24683748       0% /dev/shm
            /dev/sdb1      ext4        10255636  9214600    516916      95% /var/lib/mysql
            /dev/sdc1      xfs         20961280 17000000   3961280      82% /srv/backup copies
            /dev/sdd1      ext4         1011672    24 944940       1% /mnt/ro
            """;
    private static final String MOUNTS = """
            /dev/vda / ext4 rw,relatime 0 0
            tmpfs /dev/shm tmpfs rw,relatime,size=24683748k 0 0
            /dev/sdb1 /var/lib/mysql ext4 rw,relatime 0 0
            /dev/sdc1 /srv/backup\\040copies xfs rw,relatime 0 0
            /dev/sdd1 /mnt/ro ext4 ro,relatime 0 0
            """;

    private static DiskFacts disk(List<HostReader.DeletedFile> deleted, List<String> requested) throws ProbeException {
        var ro = Mounts.readOnly(MOUNTS);
        return new DiskFacts("local", requested, Mounts.parseDf(DF_BLOCKS).stream().map(r -> new DiskFacts.Filesystem(
                r.device(), r.type(), r.mountPoint(), r.total(), r.used(), r.available(), ro.contains(r.mountPoint())))
                .toList(), deleted);
    }

    private static Evaluation evaluate(DiskFacts facts, Map<String, String> params) {
        LinuxDisk check = new LinuxDisk();
        return Evaluation.of(check, "local:", facts, Parameters.resolve(check.id(), check.parameters(), params));
    }

    private static List<Finding> findings(Evaluation e, String code) {
        return e.findings().stream().filter(f -> f.code().equals(code)).toList();
    }

    @Test
    void usageIsDfsUsePercentWithReservedBlocksCountedAsFull() throws Exception {
        Evaluation e = evaluate(disk(List.of(), List.of()), Map.of());
        Finding critical = findings(e, "DISK_USAGE_CRITICAL").get(0);
        assertThat(critical.severity()).isEqualTo(Severity.CRITICAL);
        // 9214600 / (9214600 + 516916) = 94.7 %: df prints 95 %, though used / size is only 89.8 %
        assertThat(critical.evidence()).containsEntry("mount", "/var/lib/mysql").containsEntry("used_percent", 95L);
        assertThat(critical.summary()).contains("/var/lib/mysql is 95% full");
        assertThat(critical.note()).isEqualTo("linux/disk-usage#disk-usage-critical");
        Finding warning = findings(e, "DISK_USAGE_WARNING").get(0);
        assertThat(warning.subject()).isEqualTo("/srv/backup copies");
        assertThat(e.findings()).noneMatch(f -> "/".equals(f.subject()) || "/dev/shm".equals(f.subject()));
        assertThat(e.metrics()).anyMatch(m -> m.name().equals("disk_used_percent") && m.labels().get("mount").equals("/"));
    }

    @Test
    void readOnlyMountsAreReportedWithOctalEscapesDecoded() throws Exception {
        Evaluation e = evaluate(disk(List.of(), List.of()), Map.of());
        assertThat(findings(e, "FS_READ_ONLY")).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("/mnt/ro");
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
        });
        assertThat(Mounts.readOnly("/dev/x /a\\040b ext4 ro 0 0\n")).containsExactly("/a b");
    }

    @Test
    void namedMountsAreCheckedWhateverTheirTypeAndOthersSkipped() throws Exception {
        String shm = """
                Filesystem     Type     1024-blocks     Used Available Capacity Mounted on
                tmpfs          tmpfs          10240     9728       512      95% /run/lab
                """;
        DiskFacts facts = new DiskFacts("ssh", List.of("/run/lab"), Mounts.parseDf(shm).stream().map(r ->
                new DiskFacts.Filesystem(r.device(), r.type(), r.mountPoint(), r.total(), r.used(), r.available(), false))
                .toList(), null);
        assertThat(findings(evaluate(facts, Map.of()), "DISK_USAGE_CRITICAL")).hasSize(1);
        assertThat(findings(evaluate(facts, Map.of("critical", "96%")), "DISK_USAGE_WARNING")).hasSize(1);
    }

    @Test
    void deletedOpenFilesCountOncePerFileOnTheirMount() throws Exception {
        List<HostReader.DeletedFile> deleted = List.of(
                new HostReader.DeletedFile(812, "mysqld", "12", "/var/lib/mysql/slow.log", 700_000_000L),
                new HostReader.DeletedFile(812, "mysqld", "13", "/var/lib/mysql/slow.log", 700_000_000L),
                new HostReader.DeletedFile(900, "java", "4", "/tmp/x.log", 10_000_000_000L));
        Evaluation e = evaluate(disk(deleted, List.of()), Map.of());
        assertThat(findings(e, "DELETED_OPEN_FILES")).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("/var/lib/mysql");
            assertThat(f.evidence()).containsEntry("held_bytes", 700_000_000L).containsEntry("files", 1);
            assertThat(f.summary()).contains("pid 812 (mysqld)");
        });
        // over SSH nothing is looked at, and nothing is claimed
        assertThat(findings(evaluate(disk(null, List.of()), Map.of()), "DELETED_OPEN_FILES")).isEmpty();
    }

    @Test
    void inodesFromDfMinusISkipFileSystemsWithoutAnInodeTable() throws Exception {
        String dfi = """
                Filesystem     Type     Inodes   IUsed   IFree IUse% Mounted on
                /dev/vda       ext4   16777216  425616 16351600    3% /
                /dev/sdb1      ext4     655360  622592   32768   95% /var/spool
                /dev/sdc1      btrfs         0       0       0     - /data
                """;
        InodeFacts facts = new InodeFacts(List.of(), Mounts.parseDf(dfi).stream().map(r -> new InodeFacts.Inodes(
                r.device(), r.type(), r.mountPoint(), r.total(), r.used(), r.available())).toList());
        LinuxInodes check = new LinuxInodes();
        Evaluation e = Evaluation.of(check, "local:", facts, Parameters.resolve(check.id(), check.parameters(), Map.of()));
        assertThat(e.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("INODES_CRITICAL");
            assertThat(f.evidence()).containsEntry("inodes_used_percent", 95L).containsEntry("inodes_free", 32768L);
        });
        assertThat(e.metrics()).noneMatch(m -> "/data".equals(m.labels().get("mount")));
    }

    @Test
    void factsRoundTripThroughJsonForCaptureAndReplay() throws Exception {
        var mapper = io.opsdoc.core.Json.mapper();
        DiskFacts disk = disk(List.of(new HostReader.DeletedFile(1, "x", "3", "/var/lib/mysql/a", 5)), List.of("/var"));
        assertThat(mapper.treeToValue(mapper.valueToTree(disk), DiskFacts.class)).isEqualTo(disk);
        FdFacts fd = new FdFacts("1 0 2", List.of(new HostReader.ProcessFds(1, "init", 10, 1024)));
        assertThat(mapper.treeToValue(mapper.valueToTree(fd), FdFacts.class)).isEqualTo(fd);
        MemoryFacts mem = new MemoryFacts(Map.of("MemTotal", 1L), 0L, 1L, 3.0, 10.5);
        assertThat(mapper.treeToValue(mapper.valueToTree(mem), MemoryFacts.class)).isEqualTo(mem);
        ZombieFacts z = LinuxZombies.of("5 (a b) Z 1 0 0\n1 (init) S 0 0 0\n");
        assertThat(mapper.treeToValue(mapper.valueToTree(z), ZombieFacts.class)).isEqualTo(z);
    }

    @Test
    void dfWithoutItsTableIsAProbeFailureNotAnEmptyHost() {
        assertThatThrownBy(() -> Mounts.parseDf("df: /x: No such file or directory\n")).isInstanceOf(ProbeException.class)
                .hasMessageContaining("df printed no table");
    }

    @Test
    void targetsAreLocalOrSshWithKnownOptionsOnly() {
        assertThat(HostTarget.of(Target.parse("local:")).procRoot()).isEqualTo("/proc");
        assertThat(HostTarget.of(Target.parse("local:?proc=/host/proc")).procRoot()).isEqualTo("/host/proc");
        HostTarget ssh = HostTarget.of(Target.parse("ssh://opsdoc@db1:2222?identity=/k&known-hosts=/kh"));
        assertThat(ssh.where()).isEqualTo("opsdoc@db1:2222");
        assertThat(ssh.knownHostsName()).isEqualTo("[db1]:2222");
        assertThat(HostTarget.of(Target.parse("ssh://opsdoc@db1")).knownHostsName()).isEqualTo("db1");
        assertThatThrownBy(() -> HostTarget.of(Target.parse("ssh://db1"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("names no user");
        assertThatThrownBy(() -> HostTarget.of(Target.parse("ssh://u@db1?password=x"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("not supported");
        assertThatThrownBy(() -> HostTarget.of(Target.parse("local:?proc=host/proc"))).isInstanceOf(UsageException.class);
    }

    @Test
    void onlyFixedCommandsAreSentAndPathsAreQuoted() {
        assertThat(HostCommands.dfLine(false, List.of("/a b", "/x'; rm -rf /; '")))
                .isEqualTo("LC_ALL=C df -P -T -k -- '/a b' '/x'\\''; rm -rf /; '\\'''");
        assertThat(HostCommands.catLine("/proc/loadavg")).isEqualTo("cat -- '/proc/loadavg'");
        assertThatThrownBy(() -> HostCommands.catLine("/etc/shadow")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostCommands.catLine("/proc/../etc/shadow")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zombiesAndTheirParentsFromStatLinesWithOddCommandNames() {
        String stat = """
                1 (init) S 0 1 1 0 -1 4194560
                812 (my (odd) app) S 1 812 812 0 -1 4194560
                900 (worker) Z 812 812 812 0 -1 4227084
                901 (worker) Z 812 812 812 0 -1 4227084
                950 (sh) Z 1 950 950 0 -1 4227084
                """;
        ZombieFacts facts = LinuxZombies.of(stat);
        assertThat(facts.processes()).isEqualTo(5);
        assertThat(facts.zombies()).hasSize(3);
        assertThat(facts.parents()).extracting(ZombieFacts.Task::command).containsExactly("init", "my (odd) app");
        LinuxZombies check = new LinuxZombies();
        Evaluation e = Evaluation.of(check, "local:", facts, Parameters.resolve(check.id(), check.parameters(),
                Map.of("warning", "3")));
        assertThat(e.findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.summary()).contains("pid 812 (my (odd) app): 2 zombie(s)");
        });
    }
}
