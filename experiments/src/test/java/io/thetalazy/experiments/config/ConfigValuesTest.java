package io.thetalazy.experiments.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Values are taken as given or refused: never truncated, never "last wins", never Jackson's words. */
final class ConfigValuesTest {
    @TempDir
    Path folder;

    @Test
    void nonIntegersAreRefusedNotTruncated() {
        assertThatThrownBy(() -> ConfigFiles.parse("width: 64.5\n", "run.yaml"))
                .hasMessage("run.yaml line 1: 'width' must be an integer, found 64.5");
        assertThatThrownBy(() -> ConfigFiles.parse("a: 1\n".replace("a: 1", "depth: 1.5"), "run.yaml"))
                .hasMessage("run.yaml line 1: 'depth' must be an integer, found 1.5");
        assertThatThrownBy(() -> ConfigFiles.parse("training:\n  maxSteps: 5.7\n", "run.yaml"))
                .hasMessage("run.yaml line 2: 'training.maxSteps' must be an integer (64-bit), found 5.7");
        assertThat(ConfigFiles.parse("width: 64.0\ntraining: {maxSteps: 1e5}\n", "t").training().maxSteps())
                .isEqualTo(100_000);
        assertThatThrownBy(() -> ConfigFiles.parse("width: 1e10\n", "run.yaml"))
                .hasMessage("run.yaml line 1: 'width' must be an integer from -2147483648 to 2147483647, found 1.0E10");
    }

    @Test
    void duplicateKeysNameTheKeyAndBothLines() {
        assertThatThrownBy(() -> ConfigFiles.parse("width: 64\ndepth: 2\nwidth: 128\n", "run.yaml"))
                .hasMessage("run.yaml: key 'width' is given twice, on lines 1 and 3; keep one");
        assertThatThrownBy(() -> ConfigFiles.parse("training:\n  maxSteps: 5\n  recordEvery: 1\n  maxSteps: 6\n", "r"))
                .hasMessage("r: key 'training.maxSteps' is given twice, on lines 2 and 4; keep one");
        assertThatThrownBy(() -> ConfigFiles.parse("rule: {name: ntk, gamma: 1, gamma: 2}\n", "r"))
                .hasMessage("r: key 'rule.gamma' is given twice, on lines 1 and 1; keep one");
    }

    @Test
    void typeErrorsSayKeyExpectedTypeAndValueFound() {
        String[][] cases = {
            {"width: many\n", "run.yaml line 1: 'width' must be an integer, found 'many' (a string)"},
            {"width:\n", "run.yaml line 1: 'width' has no value; give one, or delete the line to take the default (256)"},
            {"training: 5\n", "run.yaml line 1: 'training' must be a map of settings, found 5"},
            {"bias: yes\n", "run.yaml line 1: 'bias' must be true or false, found 'yes' (a string)"},
            {"initializer: 3\n", "run.yaml line 1: 'initializer' must be a name (a string), found 3"},
            {"rule: [ntk]\n", "run.yaml line 1: 'rule' must be a name or a map with a 'name' entry, found a list [\"ntk\"]"},
            {"training: {lossTolerance: small}\n",
                "run.yaml line 1: 'training.lossTolerance' must be a number, found 'small' (a string)"},
            {"options: 4\n", "run.yaml line 1: 'options' must be a map of settings, found 4"},
            {"- width\n", "run.yaml must be a map of settings (key: value lines), found a list [\"width\"]"},
            {"width: [1\n", "run.yaml is not valid YAML at line 2, column 1: expected ',' or ']', but got <stream end>"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> ConfigFiles.parse(c[0], "run.yaml")).as(c[0]).hasMessage(c[1]);
        }
    }

    @Test
    void infinityAndNanAreNumbersForTheRecordsToJudge() {
        assertThat(ConfigFiles.parse("training: {divergenceFactor: .inf}\n", "t").training().divergenceFactor())
                .isInfinite();
        assertThatThrownBy(() -> ConfigFiles.parse("training: {stepFraction: .nan}\n", "run.yaml"))
                .hasMessageContaining("training.stepFraction must be positive, found NaN");
        assertThatThrownBy(() -> ConfigFiles.parse("training: {learningRate: .inf}\n", "run.yaml"))
                .hasMessageContaining("learningRate must be a positive number, 'auto' or 'adaptive', found Infinity");
    }

    @Test
    void utf16WithAByteOrderMarkIsReadAndOtherEncodingsAreNamed() throws Exception {
        Path utf16 = folder.resolve("utf16.yaml");
        Files.write(utf16, "width: 48\n".getBytes(StandardCharsets.UTF_16));   // big-endian with its mark
        assertThat(ConfigFiles.read(utf16).width()).isEqualTo(48);
        Path bom = folder.resolve("bom.yaml");
        Files.write(bom, ("\uFEFFwidth: 40\n").getBytes(StandardCharsets.UTF_8));
        assertThat(ConfigFiles.read(bom).width()).isEqualTo(40);
        Path bare = folder.resolve("bare.yaml");
        Files.write(bare, "width: 4\n".getBytes(StandardCharsets.UTF_16LE));
        assertThatThrownBy(() -> ConfigFiles.read(bare)).hasMessage("config %s holds NUL characters: it looks like "
                .formatted(bare) + "UTF-16 without a byte-order mark; save it as UTF-8");
    }

    @Test
    void latin1IsRefusedNamingTheByte() throws Exception {
        Path latin = folder.resolve("latin.yaml");
        Files.write(latin, "# caf\u00e9\nwidth: 8\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> ConfigFiles.read(latin))
                .hasMessage("config %s is not UTF-8 text (byte 5 is not valid)".formatted(latin));
    }

    @Test
    void anEmptyConfigIsRecognized() {
        assertThat(ConfigFiles.isEmpty("# nothing here\n\n", "t")).isTrue();
        assertThat(ConfigFiles.isEmpty("", "t")).isTrue();
        assertThat(ConfigFiles.isEmpty("width: 8\n", "t")).isFalse();
    }
}
