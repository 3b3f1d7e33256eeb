package io.thetalazy.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

final class MainTest {
    private static String[] report(Exception exception, boolean debug) {
        StringWriter text = new StringWriter();
        int code = Main.report(exception, new PrintWriter(text, true), debug);
        return new String[] {String.valueOf(code), text.toString()};
    }

    @Test
    void badInputIsOneLineWithItsCodeAndExitTwo() {
        String[] out = report(new FrameworkException(ErrorCode.INVALID_CONFIG, "width must be positive,\nfound -5"),
                false);
        assertThat(out[0]).isEqualTo("2");
        assertThat(out[1])
                .isEqualTo("error [invalid-config]: width must be positive, found -5" + System.lineSeparator());
    }

    @Test
    void anInternalErrorIsOneLineWithExitOneAndATraceOnlyWhenAsked() {
        IllegalStateException bug = new IllegalStateException("index 7 out of range\nsecond line");
        String[] out = report(bug, false);
        assertThat(out[0]).isEqualTo("1");
        assertThat(out[1]).isEqualTo("error [internal]: IllegalStateException: index 7 out of range; this is a bug: "
                + "rerun with THETALAZY_DEBUG=1 for the stack trace and report it" + System.lineSeparator());
        assertThat(report(bug, true)[1]).contains("\tat io.thetalazy.experiments.cli.MainTest");
    }
}
