package io.thetalazy.core.layer;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The BLAS and LAPACK library this process computes with, for bench lines, provenance and error messages.
 *
 * @param vendor the library ND4J loaded: {@code OPENBLAS} or {@code MKL}
 * @param version OpenBLAS's release as the path of the library this process mapped names it ({@code 0.3.31} for the
 *     runtime the build unpacks, {@code 0.3.19} for ND4J's bundled one, also where a jar bundling it unpacks into a
 *     cache folder without the release in its name), {@code unknown} for a library found elsewhere, empty for other
 *     vendors
 * @param coreType OpenBLAS's kernel set as the environment fixed it ({@code OPENBLAS_CORETYPE}), {@code detected}
 *     when OpenBLAS chose by itself, empty for other vendors
 * @param threads the BLAS threads
 * @param cpu the processor's model name, with {@code avx512} when it has AVX-512
 */
public record BlasInfo(String vendor, String version, String coreType, int threads, String cpu) {
    private static final String NUMBER = "(\\d+\\.\\d+\\.\\d+)";
    /** A release in a path: JavaCPP's cache folder of a preset jar and the build's runtime folder both name it so. */
    private static final Pattern RELEASE = Pattern.compile("openblas-" + NUMBER);
    /** The start of a preset version, such as 0.3.19 in 0.3.19-1.5.7. */
    private static final Pattern PRESET = Pattern.compile(NUMBER);

    /** Checks that the texts are set. */
    public BlasInfo {
        requireNonNull(vendor, "vendor is null");
        requireNonNull(version, "version is null");
        requireNonNull(coreType, "coreType is null");
        requireNonNull(cpu, "cpu is null");
    }

    /** The library of this process (loads ND4J). */
    public static BlasInfo current() {
        var environment = Nd4j.getExecutioner().getEnvironmentInformation();
        String vendor = String.valueOf(environment.getOrDefault("blas.vendor", "unknown")).toUpperCase(Locale.ROOT);
        String coreType = vendor.equals("OPENBLAS")
                ? Optional.ofNullable(System.getenv("OPENBLAS_CORETYPE")).filter(s -> !s.isBlank()).orElse("detected")
                : "";
        int threads = Integer.parseInt(String.valueOf(environment.getOrDefault("blas.threads", "0")));
        return new BlasInfo(vendor, vendor.equals("OPENBLAS") ? openBlasRelease() : "", coreType, threads, processor());
    }

    /**
     * The options of this JVM's command line that choose its native BLAS (JavaCPP's {@code org.bytedeco} properties
     * and the library path): a child JVM started with them loads the same library, so that a computation continued
     * in it ends as it would have in this one.
     */
    public static List<String> jvmOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> option.startsWith("-Dorg.bytedeco.") || option.startsWith("-Djava.library.path="))
                .toList();
    }

    /** "OPENBLAS 0.3.31 (core type Haswell), BLAS threads 2, AMD EPYC (avx512)". */
    public String describe() {
        String release = version.isEmpty() ? "" : " " + version;
        String kernels = coreType.isEmpty() ? ""
                : coreType.equals("detected") ? " (core type detected by OpenBLAS: OPENBLAS_CORETYPE unset)"
                : " (core type " + coreType + ")";
        return "%s%s%s, BLAS threads %d, %s".formatted(vendor, release, kernels, threads, cpu);
    }

    /**
     * A library whose path names no release (JavaCPP's cache folder of a jar that bundles the natives, such as the
     * Spark application jar): ND4J's bundled release when nothing replaced it (no preload path), else unknown.
     */
    private static String unnamedRelease() {
        if (System.getProperty("org.bytedeco.javacpp.platform.preloadpath") != null) {
            return "unknown";
        }
        try (InputStream in = BlasInfo.class.getResourceAsStream("blas.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            Matcher matcher = PRESET.matcher(properties.getProperty("bundled", ""));
            return matcher.lookingAt() ? matcher.group(1) : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The release the path names nearest its end (the library's own folder, not a folder above it). */
    private static Optional<String> lastRelease(String path) {
        Matcher matcher = RELEASE.matcher(path);
        String release = null;
        while (matcher.find()) {
            release = matcher.group(1);
        }
        return Optional.ofNullable(release);
    }

    /** The release in the path of the libopenblas this process mapped: JavaCPP's cache and the build name it. */
    private static String openBlasRelease() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return "unknown";
        }
        try (Stream<String> lines = Files.lines(maps)) {
            return lines.filter(line -> line.contains("libopenblas")).map(BlasInfo::lastRelease)
                    .flatMap(Optional::stream).findFirst().orElseGet(BlasInfo::unnamedRelease);
        } catch (IOException | java.io.UncheckedIOException e) {
            return "unknown";
        }
    }

    private static String processor() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return System.getProperty("os.arch");
        }
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            String model = "unknown CPU";
            boolean avx512 = false;
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith("model name") && model.equals("unknown CPU")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                } else if (line.startsWith("flags")) {
                    avx512 = line.contains(" avx512f");
                    break;
                }
            }
            return avx512 ? model + " (avx512)" : model;
        } catch (IOException | java.io.UncheckedIOException e) {
            return System.getProperty("os.arch");
        }
    }
}
