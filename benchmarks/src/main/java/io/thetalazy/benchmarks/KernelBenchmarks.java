package io.thetalazy.benchmarks;

import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.layer.KernelLimit;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.kernels.empirical.EmpiricalKernels;
import io.thetalazy.kernels.empirical.TangentKernels;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The kernel computations at reduced sizes: empirical per-layer NTKs by contraction (FCN width 1024, depth 3, the entk
 * workload's network, and the entk-cnn CNN at n = 16) and the FCN limit kernels (depth 5, relu; limit-fcn at
 * n = 1000, one input set or two).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=12G",
    "-Dorg.bytedeco.javacpp.maxphysicalbytes=16G"})
@State(Scope.Benchmark)
public class KernelBenchmarks {
    @Param({"128"})
    int samples;

    @Param({"1000"})
    int limitSamples;

    private Params fcnParams;
    private INDArray fcnInputs;
    private EmpiricalKernels fcnKernels;
    private Params cnnParams;
    private INDArray cnnInputs;
    private EmpiricalKernels cnnKernels;
    private Network limitNetwork;
    private INDArray limitInputs;
    private INDArray otherInputs;

    @Setup(Level.Trial)
    public void setUp() {
        Network fcn = Fixtures.fcn(1024, 3, 32);
        fcnParams = fcn.init(0);
        fcnInputs = Fixtures.gaussian("x", samples, 32);
        fcnKernels = EmpiricalKernels.of(fcn);
        Network cnn = Fixtures.cnn(64, 3, "flatten");
        cnnParams = cnn.init(0);
        cnnInputs = Fixtures.gaussian("images", 16, 1, 14, 14);
        cnnKernels = EmpiricalKernels.of(cnn);
        limitNetwork = Fixtures.fcn(1024, 5, 32);
        limitInputs = Fixtures.sphere("x", limitSamples, 32);
        otherInputs = Fixtures.sphere("x'", limitSamples, 32);
    }

    @Benchmark
    public TangentKernels empiricalFcn() {
        return fcnKernels.compute(fcnParams, fcnInputs);
    }

    @Benchmark
    public TangentKernels empiricalCnn() {
        return cnnKernels.compute(cnnParams, cnnInputs);
    }

    @Benchmark
    public KernelLimit limitFcnSymmetric() {
        return limitNetwork.limit(limitInputs, limitInputs);
    }

    @Benchmark
    public KernelLimit limitFcnCross() {
        return limitNetwork.limit(limitInputs, otherInputs);
    }
}
