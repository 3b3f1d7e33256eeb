package io.thetalazy.core.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/blas-env's choice of library and kernels for each kind of CPU (a processor description of its own through
 * THETALAZY_CPUINFO), as its printing mode reports it; the OpenBLAS runtime folder is the build's, when it has one.
 */
class BlasEnvScriptTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final String ZEN5 = "vendor_id\t: AuthenticAMD\ncpu family\t: 26\nflags\t\t: fpu sse2 avx2 avx512f\n";
    private static final String ZEN4 = "vendor_id\t: AuthenticAMD\ncpu family\t: 25\nflags\t\t: fpu sse2 avx2 avx512f\n";
    private static final String XEON = "vendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 143\n"
            + "model name\t: Intel(R) Xeon(R) Platinum 8480+\nflags\t\t: fpu sse2 avx2 avx512f amx_tile\n";
    private static final String AVX2 = "vendor_id\t: GenuineIntel\ncpu family\t: 6\nflags\t\t: fpu sse2 avx2 fma\n";
    private static final String OLD = "vendor_id\t: GenuineIntel\ncpu family\t: 6\nflags\t\t: fpu sse2 sse4_2\n";

    @TempDir
    Path folder;

    private record Choice(int code, Map<String, String> values, String err) {
        String get(String key) {
            return values.getOrDefault(key, "");
        }
    }

    private Choice choose(String cpuinfo, String library, String coreType) throws Exception {
        return choose(cpuinfo, library, coreType, Map.of());
    }

    private Choice choose(String cpuinfo, String library, String coreType, Map<String, String> environment)
            throws Exception {
        Path file = Files.createTempFile(folder, "cpuinfo", "");
        Files.writeString(file, cpuinfo);
        ProcessBuilder builder = new ProcessBuilder("bash", ROOT.resolve("bin/blas-env").toString());
        builder.environment().remove("OPENBLAS_CORETYPE");
        builder.environment().remove("OPENBLAS_THREAD_TIMEOUT");
        builder.environment().remove("THETALAZY_BLAS");
        builder.environment().put("THETALAZY_CPUINFO", file.toString());
        if (library != null) {
            builder.environment().put("THETALAZY_BLAS", library);
        }
        if (coreType != null) {
            builder.environment().put("OPENBLAS_CORETYPE", coreType);
        }
        builder.environment().put("THETALAZY_BLAS_CHOICES", folder.resolve("choices").toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = process.waitFor();
        Map<String, String> values = new HashMap<>();
        for (String line : out.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return new Choice(code, values, err);
    }

    private static Optional<Path> runtime() throws IOException {
        Path target = ROOT.resolve("target");
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (Stream<Path> entries = Files.list(target)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("openblas-"))
                    .filter(p -> Files.isRegularFile(p.resolve("libopenblas.so.0"))).sorted().reduce((a, b) -> b);
        }
    }

    @Test
    void zen4AndCpusWithoutAvx512TakeTheBundledLibraryWithHaswellKernels() throws Exception {
        for (String cpu : List.of(ZEN4, AVX2)) {
            Choice choice = choose(cpu, null, null);
            assertThat(choice.code()).as(choice.err()).isZero();
            assertThat(choice.get("library")).isEqualTo("openblas");
            assertThat(choice.get("OPENBLAS_CORETYPE")).isEqualTo("Haswell");
            assertThat(choice.get("THETALAZY_BLAS_JAVA_OPTS")).isEmpty();
        }
        // without AVX2 the Haswell kernels cannot run: OpenBLAS chooses
        assertThat(choose(OLD, null, null).get("OPENBLAS_CORETYPE")).isEmpty();
    }

    @Test
    void zen5TakesTheCurrentOpenBlasWithItsOwnKernelsWhereTheBuildUnpackedIt() throws Exception {
        Choice choice = choose(ZEN5, "auto", null);
        assertThat(choice.code()).as(choice.err()).isZero();
        Optional<Path> runtime = runtime();
        if (runtime.isPresent()) {
            assertThat(choice.get("library")).isEqualTo("openblas-current");
            assertThat(choice.get("OPENBLAS_CORETYPE")).isEmpty();
            assertThat(choice.get("THETALAZY_BLAS_JAVA_OPTS")).contains("-Dorg.bytedeco.javacpp.pathsFirst=true",
                    "-Dorg.bytedeco.javacpp.platform.preloadpath=" + runtime.get(),
                    "-Djava.library.path=" + runtime.get(),
                    // JavaCPP links the preloaded library into its cache: not into the one bundled processes load from
                    "-Dorg.bytedeco.javacpp.cachedir=" + runtime.get().resolveSibling(
                            "javacpp-cache-" + runtime.get().getFileName()));
        } else {
            assertThat(choice.get("library")).isEqualTo("openblas");
            assertThat(choice.get("OPENBLAS_CORETYPE")).isEqualTo("Haswell");
        }
        // asked for by name, the bundled library stays on Haswell kernels there too
        Choice bundled = choose(ZEN5, "openblas", null);
        assertThat(bundled.get("library")).isEqualTo("openblas");
        assertThat(bundled.get("OPENBLAS_CORETYPE")).isEqualTo("Haswell");
        assertThat(bundled.get("THETALAZY_BLAS_JAVA_OPTS")).isEmpty();
    }

    @Test
    void theCurrentOpenBlasByNameNeedsItsNatives() throws Exception {
        Choice choice = choose(XEON, "openblas-current", null);
        if (runtime().isPresent()) {
            assertThat(choice.code()).as(choice.err()).isZero();
            assertThat(choice.get("library")).isEqualTo("openblas-current");
            assertThat(choice.get("OPENBLAS_CORETYPE")).isEmpty();
        } else {
            assertThat(choice.code()).isEqualTo(2);
            assertThat(choice.err()).contains("THETALAZY_BLAS=openblas-current", "mvn -B package -DskipTests");
        }
    }

    @Test
    void aCoreTypeTheUserSetIsKept() throws Exception {
        for (String cpu : List.of(ZEN5, XEON)) {
            Choice choice = choose(cpu, null, "SkylakeX");
            assertThat(choice.code()).as(choice.err()).isZero();
            assertThat(choice.get("OPENBLAS_CORETYPE")).isEqualTo("SkylakeX");
        }
    }

    /**
     * OpenBLAS's workers spin 2^28 cycles after a threaded product by default, taking a core from the work between
     * products: every library choice shortens it to 2^20, and a value the user set is kept.
     */
    @Test
    void blasWorkersSleepSoonAfterAProductUnlessTheUserSaysOtherwise() throws Exception {
        for (String cpu : List.of(ZEN4, ZEN5, AVX2)) {
            for (String library : List.of("auto", "openblas")) {
                Choice choice = choose(cpu, library, null);
                assertThat(choice.code()).as(choice.err()).isZero();
                assertThat(choice.get("OPENBLAS_THREAD_TIMEOUT")).as(cpu + " " + library).isEqualTo("20");
            }
        }
        Choice kept = choose(ZEN5, null, null, Map.of("OPENBLAS_THREAD_TIMEOUT", "26"));
        assertThat(kept.code()).as(kept.err()).isZero();
        assertThat(kept.get("OPENBLAS_THREAD_TIMEOUT")).isEqualTo("26");
    }

    /** A stand-in for the probe's JVM: prints the given results of the current and of the bundled library. */
    private Map<String, String> probeResults(String current, String bundled) throws IOException {
        return probeCommands("echo '" + current + "'", "echo '" + bundled + "'");
    }

    /** A stand-in for the probe's JVM that runs the given shell commands for the current and the bundled library. */
    private Map<String, String> probeCommands(String current, String bundled) throws IOException {
        Path java = folder.resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\ncase \" $* \" in\n  *preloadpath*) %s ;;\n  *) %s ;;\nesac\n"
                .formatted(current, bundled));
        assertThat(java.toFile().setExecutable(true)).isTrue();
        return Map.of("THETALAZY_PROBE_JAVA", java.toString());
    }

    private List<String> kept() throws IOException {
        try (Stream<Path> files = Files.list(folder.resolve("choices"))) {
            List<Path> choices = files.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
            assertThat(choices).hasSize(1);
            return Files.readAllLines(choices.get(0));
        }
    }

    @Test
    void onAnAvx512CpuWithoutMeasurementTheProbeChoosesTheFastestLibraryThatComputesRight() throws Exception {
        if (runtime().isEmpty()) {
            assertThat(choose(XEON, null, null).get("library")).isEqualTo("openblas");
            return;
        }
        // faster on both kinds of product
        Choice current = choose(XEON, null, null, probeResults("right 0.05 0.01", "right 0.08 0.02"));
        assertThat(current.code()).as(current.err()).isZero();
        assertThat(current.get("library")).isEqualTo("openblas-current");
        assertThat(current.get("OPENBLAS_CORETYPE")).isEmpty();
        assertThat(current.err()).contains("Intel(R) Xeon(R) Platinum 8480+", "chosen by measurement: openblas-current");
        assertThat(kept()).containsExactly("openblas-current", "openblas-current right 0.05 0.01",
                "openblas right 0.08 0.02");
        // kept: a second process reads the choice without probing
        Choice again = choose(XEON, null, null, probeResults("wrong no longer asked", "right 0.08 0.02"));
        assertThat(again.get("library")).isEqualTo("openblas-current");
        assertThat(again.err()).doesNotContain("chosen by measurement");
    }

    @Test
    void theProbeWeighsBothKindsOfProductAndNeverTakesALibraryThatComputesWrong() throws Exception {
        if (runtime().isEmpty()) {
            return;   // nothing to choose from: the previous test checks the bundled library is taken
        }
        // as on Zen 4: faster on the wide product, 3x slower on the small ones
        Choice slowerOnSmall = choose(XEON, null, null, probeResults("right 0.05 0.03", "right 0.08 0.01"));
        assertThat(slowerOnSmall.get("library")).isEqualTo("openblas");
        assertThat(slowerOnSmall.get("OPENBLAS_CORETYPE")).isEqualTo("Haswell");
        deleteChoices();
        Choice wrong = choose(XEON, null, null, probeResults("wrong the BLAS library computes wrong numbers",
                "right 0.08 0.02"));
        assertThat(wrong.get("library")).isEqualTo("openblas");
        assertThat(kept()).contains("openblas-current wrong the BLAS library computes wrong numbers");
        deleteChoices();
        Choice crashed = choose(XEON, null, null, probeCommands("kill -9 $$", "echo 'right 1 1'"));
        assertThat(crashed.get("library")).isEqualTo("openblas");
        assertThat(kept().get(1)).startsWith("openblas-current wrong: the probe JVM ended without a result");
    }

    private void deleteChoices() throws IOException {
        try (Stream<Path> files = Files.list(folder.resolve("choices"))) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
    }

    @Test
    void theProbeRunsTheCoreSelfCheckAndTimingInARealJvm() throws Exception {
        if (runtime().isEmpty()) {
            return;   // nothing to choose from
        }
        Choice choice = choose(XEON, null, null);
        assertThat(choice.code()).as(choice.err()).isZero();
        List<String> kept = kept();
        assertThat(kept).hasSize(3);
        assertThat(kept.get(1)).matches("openblas-current (right \\d+\\.\\d+ \\d+\\.\\d+|wrong.*)");
        assertThat(kept.get(2)).matches("openblas (right \\d+\\.\\d+ \\d+\\.\\d+|wrong.*)");
        assertThat(choice.get("library")).isEqualTo(kept.get(0));
        // what this machine computes right is chosen (the bundled library when neither does: its self-check refuses)
        assertThat(kept).as(String.join("\n", kept)).anyMatch(line -> line.startsWith(kept.get(0) + " right"));
    }

    @Test
    void anUnknownLibraryIsRefusedWithTheChoices() throws Exception {
        Choice choice = choose(XEON, "atlas", null);
        assertThat(choice.code()).isEqualTo(2);
        assertThat(choice.err()).contains("THETALAZY_BLAS must be auto, openblas, openblas-current or mkl, found 'atlas'");
    }
}
