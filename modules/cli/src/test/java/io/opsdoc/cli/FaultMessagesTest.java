package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.lab.SilentTcpServer;
import io.opsdoc.lab.faults.FaultyTcpServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The wording of fault verdicts where the matrix only checks the code: issue 19 found http-status telling a socket
 * that never sent a byte "headers arrived, the body did not finish", and a reset reported as "connection refused".
 */
@Tag("lab")
class FaultMessagesTest {

    @Test
    void aSocketThatNeverAnswersIsNoStatusLineNotAStalledBody() {
        try (SilentTcpServer silent = SilentTcpServer.start()) {
            Cli c = Cli.run("check", "http-status", "http://127.0.0.1:" + silent.port() + "/", "--timeout", "2s",
                    "--format", "nagios");
            assertThat(c.exit()).isEqualTo(3);
            assertThat(c.out()).startsWith("HTTP-STATUS UNKNOWN - TIMEOUT: ").contains("no status line came back")
                    .doesNotContain("headers arrived");
            assertThat(c.millis()).isLessThan(3_000);
        }
    }

    @Test
    void aResetIsAResetNotARefusal() {
        try (FaultyTcpServer reset = FaultyTcpServer.reset()) {
            Cli c = Cli.run("check", "http-status", "http://127.0.0.1:" + reset.port() + "/", "--format", "nagios");
            assertThat(c.out()).startsWith("HTTP-STATUS UNKNOWN - CONNECTION_RESET: 127.0.0.1:" + reset.port()
                    + " accepted the connection, then reset or closed it").doesNotContain("refused");
        }
    }

    @Test
    void garbageIsNotHttp() {
        try (FaultyTcpServer garbage = FaultyTcpServer.garbage()) {
            Cli c = Cli.run("check", "http-status", "http://127.0.0.1:" + garbage.port() + "/", "--format", "nagios");
            assertThat(c.out()).startsWith("HTTP-STATUS UNKNOWN - PROTOCOL_ERROR: ").contains("answered, but not with HTTP");
            assertThat(c.clean()).isTrue();
        }
    }
}
