package io.thetalazy.experiments.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.FrameworkException;
import org.junit.jupiter.api.Test;

final class ConfigFilesTest {
    @Test
    void missingKeysTakeTheirDefaultsAndTheResolvedConfigWritesThemOut() {
        RunConfig config = ConfigFiles.parse("width: 64\nrule: {name: theta-lazy, gamma: 0.25}\n", "test");
        assertThat(config.width()).isEqualTo(64);
        assertThat(config.depth()).isEqualTo(RunConfig.defaults().depth());
        assertThat(config.rule().name()).isEqualTo("theta-lazy");
        assertThat(config.rule().parameters()).containsEntry("gamma", 0.25);
        String yaml = ConfigFiles.toYaml(config);
        assertThat(yaml).contains("width: 64", "depth:", "learningRate: auto", "maxSteps:", "seed:");
        RunConfig again = ConfigFiles.parse(yaml, "resolved");
        assertThat(ConfigFiles.toYaml(again)).isEqualTo(yaml);
    }

    @Test
    void unknownKeysNameTheClosestValidKey() {
        assertThatThrownBy(() -> ConfigFiles.parse("widht: 64\n", "run.yaml"))
                .isInstanceOf(FrameworkException.class)
                .hasMessageContaining("unknown key 'widht'")
                .hasMessageContaining("did you mean 'width'");
        assertThatThrownBy(() -> ConfigFiles.parse("training: {learningrate: 0.1}\n", "run.yaml"))
                .hasMessageContaining("unknown key 'training.learningrate'")
                .hasMessageContaining("did you mean 'learningRate'");
    }

    @Test
    void learningRateTakesANumberAutoOrAdaptive() {
        assertThat(ConfigFiles.parse("training: {learningRate: 0.25}", "t").training().learningRate())
                .isEqualTo(LearningRate.fixed(0.25));
        assertThat(ConfigFiles.parse("training: {learningRate: adaptive}", "t").training().learningRate().mode())
                .isEqualTo(LearningRate.Mode.ADAPTIVE);
        assertThatThrownBy(() -> ConfigFiles.parse("training: {learningRate: fast}", "t"))
                .hasMessageContaining("learningRate must be a positive number, 'auto' or 'adaptive'");
        assertThatThrownBy(() -> ConfigFiles.parse("training: {learningRate: -1}", "t"))
                .hasMessageContaining("learningRate must be a positive number");
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> ConfigFiles.parse("width: many\n", "run.yaml"))
                .isInstanceOf(FrameworkException.class)
                .hasMessageContaining("width");
        assertThatThrownBy(() -> ConfigFiles.parse("width: [1\n", "run.yaml"))
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> ConfigFiles.parse("training: {maxSteps: -3}", "run.yaml"))
                .hasMessageContaining("maxSteps must be non-negative");
    }

    @Test
    void dtypeIsFloat64UnlessFloat32IsAsked() {
        assertThat(ConfigFiles.parse("width: 8\n", "t").dtype()).isEqualTo("float64");
        RunConfig single = ConfigFiles.parse("dtype: float32\n", "t");
        assertThat(single.dataType()).isEqualTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        assertThat(ConfigFiles.toYaml(single)).contains("dtype: float32");
        assertThatThrownBy(() -> ConfigFiles.parse("dtype: float23\n", "run.yaml"))
                .isInstanceOf(FrameworkException.class)
                .hasMessageContaining("dtype must be one of [float64, float32], found 'float23'")
                .hasMessageContaining("did you mean 'float32'");
    }
}
