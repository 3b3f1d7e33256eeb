package io.thetalazy.experiments.cli;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static io.thetalazy.core.error.ErrorCode.UNKNOWN_NAME;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.experiments.bench.BenchResult;
import io.thetalazy.experiments.bench.Warmup;
import io.thetalazy.experiments.bench.Workload;
import io.thetalazy.experiments.bench.Workloads;
import io.thetalazy.kernels.empirical.ResidentMemory;
import io.thetalazy.experiments.report.Card;
import io.thetalazy.experiments.report.Provenance;
import io.thetalazy.core.layer.BlasInfo;
import jakarta.inject.Inject;
import java.util.SortedMap;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Times a workload and prints one JSON line with the fields of the NumPy and PyTorch peers of bench/compare.sh. */
@Command(mixinStandardHelpOptions = true, name = "bench", description = {"Time a workload; print one JSON line (workload, median_s, min_s, max_s, checksum, the BLAS library that ran (blas,",
    "blas_version, blas_core_type, cpu), and peak_extra_mb: the peak resident memory above the set-up's over the warm-up and the",
    "repeats, where Linux reports it), and what the warm-up did (warmup_runs, warmup_s, warmup_compiler_quiet).",
    "Workloads (float64, ReLU, NTK multipliers, as the NumPy and PyTorch peers of bench/compare.sh):",
    "  gd-step    FCN d=32, 3 hidden layers of width 2048, n=256: one GD step",
    "  small-gd   two-layer d=2 (x, 1), width 40000, n=4: one GD step (timed over 100)",
    "  phase-cell a phase-diagram cell as train runs it: LXMZ's 4 points, two-layer width 16000, rule lxmz",
    "             (gamma 1.75, gamma' 0), adaptive step c=0.1 recomputed every step: one step (timed over 200)",
    "  dgemm      2048 x 2048 float64 matrix product (the roofline)",
    "  entk       FCN d=32, depth 3, width 1024, n=128: all per-layer empirical NTKs (by contraction)",
    "  limit-fcn  FCN limit kernels (NNGP and K^[1..6]), n=4000, d=32, depth 5, relu",
    "  cnn-step   CNN [64,1,14,14], two 3x3 convolutions of 64 channels, same padding, global average pooling:",
    "             one GD step",
    "  cnn-gemms  the GEMMs of one cnn-step alone (same shapes and calls): the step's own roofline",
    "  entk-cnn   CNN [1,14,14], depth 3, 64 channels, kernel 3, flatten, n=64: all per-layer empirical NTKs",
    "  limit-cnn-flatten  CNTK, depth 3, kernel 3, relu, [1,14,14], n=256 (spatial diagonal)",
    "  limit-cnn-gap      CNTK, depth 3, kernel 3, relu, [1,14,14], n=64, global-average readout (full covariance)"})
final class BenchCommand implements Runnable {
    private final Registry registry;

    @Parameters(index = "0", description = "workload name")
    String workload;

    @Option(names = "--repeats", defaultValue = "5", description = "timed repeats after the warm-up (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--warmup", defaultValue = "3", description = "seconds of untimed runs first, at least one run, "
            + "then on until the JIT compiler is quiet (under " + Warmup.QUIET_PERCENT + "% of a second, at most "
            + Warmup.MAX_EXTRA_SECONDS + " s more), so the timed runs "
            + "meet compiled hot paths and no compiler thread (default: ${DEFAULT-VALUE}; 0: one run, as the peers)")
    double warmupSeconds;

    @Inject
    BenchCommand(Registry registry) {
        this.registry = registry;
    }

    @Override
    public void run() {
        OptionValues.atLeast("--repeats", repeats, 1, "at least 1");
        if (!(warmupSeconds >= 0) || warmupSeconds > 3600) {
            throw new FrameworkException(INVALID_ARGUMENT, "--warmup must be between 0 and 3600 seconds, found "
                    + warmupSeconds);
        }
        SortedMap<String, Supplier<Workload>> workloads = Workloads.all(registry);
        Supplier<Workload> factory = workloads.get(workload);
        if (factory == null) {
            throw new FrameworkException(UNKNOWN_NAME, "Unknown workload '%s'%s; valid: %s".formatted(workload,
                    io.thetalazy.core.error.Suggestions.didYouMean(workload, workloads.keySet()), workloads.keySet()));
        }
        Workload prepared = factory.get();
        boolean tracked = ResidentMemory.available() && ResidentMemory.resetPeak();
        long before = ResidentMemory.currentBytes();
        BenchResult result = BenchResult.measure(workload, prepared, repeats,
                Warmup.untilCompilerQuiet(warmupSeconds));
        long peak = ResidentMemory.peakBytes();
        ObjectNode line = Card.JSON.createObjectNode();
        line.put("workload", workload);
        line.put("median_s", result.median());
        line.put("min_s", result.min());
        line.put("max_s", result.max());
        line.put("warmup_runs", result.warmup().runs());
        line.put("checksum", workload.equals("dgemm") ? 2 * Math.pow(2048, 3) / result.median() / 1e9 : result.checksum());
        line.put("thetalazy", Provenance.VERSION);
        line.put("dtype", "float64");
        BlasInfo blas = BlasInfo.current();
        line.put("blas", blas.vendor());
        line.put("blas_version", blas.version());
        line.put("blas_core_type", blas.coreType());
        line.put("cpu", blas.cpu());
        line.put("warmup_s", Math.round(result.warmup().seconds() * 10) / 10.0);
        line.put("warmup_compiler_quiet", result.warmup().compilerQuiet());
        if (tracked && peak >= before) {
            line.put("peak_extra_mb", Math.round((peak - before) / 1e5) / 10.0);
        }
        System.out.println(line.toString());
    }
}
