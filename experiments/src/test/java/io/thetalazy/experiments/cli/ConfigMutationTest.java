package io.thetalazy.experiments.cli;

import static io.thetalazy.experiments.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.experiments.cli.CliRunner.Result;
import io.thetalazy.experiments.config.ConfigFiles;
import io.thetalazy.experiments.config.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random mutations of a valid config (fixed seed, so every run reproduces; {@code -Dtests.mutations=N} for more): a
 * wrong type, an out-of-range value, a typo in a key or a name, a key given twice. Every one exits 2 with one line on
 * stderr naming the key, no stack trace, and no results folder. A deleted key takes its default.
 */
final class ConfigMutationTest {
    @TempDir
    static Path folder;

    /** The valid config, one key a line; values are YAML as written. */
    private static final Map<String, String> VALID = new LinkedHashMap<>();

    static {
        VALID.put("architecture", "fcn");
        VALID.put("width", "12");
        VALID.put("depth", "2");
        VALID.put("activation", "tanh");
        VALID.put("bias", "false");
        VALID.put("initializer", "gaussian");
        VALID.put("antisymmetric", "false");
        VALID.put("rule", "{name: theta-lazy, gamma: 0.5}");
        VALID.put("options", "{}");
        VALID.put("data", "{name: sphere, n: 6, dimension: 3, teacher: neuron}");
        VALID.put("training.learningRate", "0.5");
        VALID.put("training.stepFraction", "0.5");
        VALID.put("training.adaptiveEvery", "1");
        VALID.put("training.maxSteps", "5");
        VALID.put("training.lossTolerance", "0");
        VALID.put("training.timeBudgetSeconds", "0");
        VALID.put("training.recordEvery", "1");
        VALID.put("training.divergenceFactor", "1.0e6");
        VALID.put("training.maxRestarts", "0");
        VALID.put("training.kernelEvery", "0");
        VALID.put("training.checkpointSteps", "0");
        VALID.put("training.checkpointSeconds", "300");
        VALID.put("seed", "0");
        VALID.put("dtype", "float64");
    }

    private static final List<String> INTEGERS = List.of("width", "depth", "training.adaptiveEvery",
            "training.maxSteps", "training.recordEvery", "training.maxRestarts", "training.kernelEvery",
            "training.checkpointSteps", "seed");

    /** Values out of each key's range, or names no module binds; the word the message must contain. */
    private static final Map<String, List<String>> OUT_OF_RANGE = new LinkedHashMap<>();

    static {
        OUT_OF_RANGE.put("architecture", List.of("fnc", "''"));
        OUT_OF_RANGE.put("width", List.of("0", "-3", "3000000000"));
        OUT_OF_RANGE.put("depth", List.of("0", "-1"));
        OUT_OF_RANGE.put("activation", List.of("rleu", "{name: leaky-relu, slop: 0.2}"));
        OUT_OF_RANGE.put("initializer", List.of("gausian"));
        OUT_OF_RANGE.put("rule", List.of("ntc", "{name: theta-lazy, gama: 1}", "{gamma: 1}"));
        OUT_OF_RANGE.put("data", List.of("spere", "{name: sphere, n: 0}", "{name: sphere, dimension: 1.5}",
                "{name: sphere, teacher: nobody}"));
        OUT_OF_RANGE.put("training.learningRate", List.of("-1", "0", ".inf", "fast", ".nan"));
        OUT_OF_RANGE.put("training.stepFraction", List.of("0", "-1", ".nan"));
        OUT_OF_RANGE.put("training.adaptiveEvery", List.of("0"));
        OUT_OF_RANGE.put("training.maxSteps", List.of("-1"));
        OUT_OF_RANGE.put("training.lossTolerance", List.of("-1", ".nan"));
        OUT_OF_RANGE.put("training.timeBudgetSeconds", List.of("-1", ".nan"));
        OUT_OF_RANGE.put("training.recordEvery", List.of("0"));
        OUT_OF_RANGE.put("training.divergenceFactor", List.of("1", "0.5", ".nan"));
        OUT_OF_RANGE.put("training.maxRestarts", List.of("-1"));
        OUT_OF_RANGE.put("training.kernelEvery", List.of("-2"));
        OUT_OF_RANGE.put("training.checkpointSteps", List.of("-1"));
        OUT_OF_RANGE.put("training.checkpointSeconds", List.of("-5", ".nan"));
        OUT_OF_RANGE.put("dtype", List.of("float16"));
    }

    private record Mutation(String description, String key, String yaml) {}

    private static String yaml(Map<String, String> values, String duplicate) {
        StringBuilder text = new StringBuilder();
        boolean training = false;
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith("training.")) {
                if (!training) {
                    text.append("training:\n");
                    training = true;
                }
                text.append("  ").append(key.substring("training.".length()));
            } else {
                text.append(key);
            }
            text.append(": ").append(entry.getValue()).append('\n');
            if (key.equals(duplicate)) {
                text.append(key.startsWith("training.") ? "  " + key.substring(9) : key).append(": ")
                        .append(entry.getValue()).append('\n');
            }
        }
        return text.toString();
    }

    private static Mutation mutate(Random random) {
        List<String> keys = new ArrayList<>(VALID.keySet());
        String key = keys.get(random.nextInt(keys.size()));
        Map<String, String> values = new LinkedHashMap<>(VALID);
        String leaf = key.substring(key.lastIndexOf('.') + 1);
        switch (random.nextInt(4)) {
            case 0 -> {   // a wrong type
                List<String> wrong = new ArrayList<>(List.of("abc", "[1, 2]", ""));
                if (!List.of("activation", "rule", "data").contains(key)) {
                    wrong.add("{zz: 1}");
                }
                if (!List.of("bias", "antisymmetric").contains(key)) {
                    wrong.add("true");
                } else {
                    wrong.add("3");
                }
                if (INTEGERS.contains(key)) {
                    wrong.add(random.nextBoolean() ? "1.5" : "64.25");
                }
                String value = wrong.get(random.nextInt(wrong.size()));
                if (key.equals("training.learningRate") && value.equals("abc")) {
                    value = "[abc]";
                }
                if (List.of("architecture", "initializer", "dtype").contains(key) && value.equals("abc")) {
                    value = "7";
                }
                values.put(key, value);
                return new Mutation("%s: %s".formatted(key, value), leaf, yaml(values, null));
            }
            case 1 -> {   // out of range
                List<String> candidates = OUT_OF_RANGE.getOrDefault(key, List.of());
                if (candidates.isEmpty()) {
                    values.put(key, "[]");
                    return new Mutation("%s: []".formatted(key), leaf, yaml(values, null));
                }
                String value = candidates.get(random.nextInt(candidates.size()));
                values.put(key, value);
                return new Mutation("%s: %s".formatted(key, value), leaf, yaml(values, null));
            }
            case 2 -> {   // a typo in the key
                String typo = typo(leaf, random);
                String mutated = key.contains(".") ? "training." + typo : typo;
                Map<String, String> renamed = new LinkedHashMap<>();
                values.forEach((k, v) -> renamed.put(k.equals(key) ? mutated : k, v));
                return new Mutation("key %s written %s".formatted(key, mutated), typo, yaml(renamed, null));
            }
            default -> {   // given twice
                return new Mutation(key + " given twice", leaf, yaml(values, key));
            }
        }
    }

    private static String typo(String key, Random random) {
        int at = random.nextInt(key.length() - 1);
        String swapped = key.substring(0, at) + key.charAt(at + 1) + key.charAt(at) + key.substring(at + 2);
        return random.nextBoolean() && !swapped.equals(key) ? swapped   // "ss" swapped is no typo
                : key.substring(0, at) + key.substring(at + 1);          // dropped
    }

    @TestFactory
    Stream<DynamicTest> everyMutationExitsTwoWithOneLineNamingTheKey() throws Exception {
        Random random = new Random(20261202L);
        int count = Integer.getInteger("tests.mutations", 60);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Mutation mutation = mutate(random);
            int index = i;
            tests.add(DynamicTest.dynamicTest(mutation.description(), () -> {
                Path config = folder.resolve("mutation-" + index + ".yaml");
                Files.writeString(config, mutation.yaml());
                Path out = folder.resolve("out-" + index);
                Result result = run("train", "--quiet", "--config", config.toString(), "--out", out.toString());
                String err = result.err().strip();
                assertThat(result.code()).as(mutation.yaml() + err).isEqualTo(2);
                assertThat(err).as(mutation.yaml()).startsWith("error [").doesNotContain("\n", "Exception", "\tat ")
                        .containsIgnoringCase(mutation.key());
                assertThat(out).as("no results folder for a refused config").doesNotExist();
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> aDeletedKeyTakesItsDefault() {
        RunConfig defaults = RunConfig.defaults();
        String defaultYaml = ConfigFiles.toYaml(defaults);
        return VALID.keySet().stream().map(key -> DynamicTest.dynamicTest("without " + key, () -> {
            Map<String, String> values = new LinkedHashMap<>(VALID);
            values.remove(key);
            String leaf = key.substring(key.lastIndexOf('.') + 1);
            RunConfig parsed = ConfigFiles.parse(yaml(values, null), "deleted");
            String line = ConfigFiles.toYaml(parsed).lines().filter(l -> l.strip().startsWith(leaf + ":"))
                    .findFirst().orElseThrow();
            assertThat(defaultYaml.lines()).as(key).contains(line);
        }));
    }
}
