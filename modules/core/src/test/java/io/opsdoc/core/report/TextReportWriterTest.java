package io.opsdoc.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextReportWriterTest {

    private static String wrapped(String text) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        TextReportWriter.wrap("    runbook:  ", text, new PrintStream(b, true, StandardCharsets.UTF_8));
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void chineseIsWrappedByDisplayWidth() {
        String zh = "从库收到的主库 binlog 多于已应用的：I/O 线程的读取位置领先于 SQL 线程的执行位置。这说明瓶颈在应用线程而不在网络，所以要看从库本身：锁、长查询、应用并行度、磁盘。";
        String out = wrapped(zh);
        assertThat(out.lines()).hasSizeGreaterThan(1).allSatisfy(l -> assertThat(TextReportWriter.width(l)).isLessThanOrEqualTo(100));
        assertThat(out.replaceAll("\\s+", "")).isEqualTo(("runbook:" + zh).replaceAll("\\s+", ""));
    }

    @Test
    void englishBreaksBetweenWords() {
        String en = "word ".repeat(60).trim();
        assertThat(wrapped(en).lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100))
                .allSatisfy(l -> assertThat(l).endsWith("word"));
    }

    @Test
    void markdownLinksKeepTheirText() {
        assertThat(TextReportWriter.plain("see [RELAY_APPLY_BEHIND](#relay-apply-behind) now")).isEqualTo("see RELAY_APPLY_BEHIND now");
    }
}
