package io.thetalazy.benchmarks;

import io.thetalazy.core.layer.Gradients;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Tape;
import io.thetalazy.core.train.Trainer;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
 * A full GD step (forward, dR/df, backward, in-place update) on the workloads of {@code thetalazy bench}: gd-step (FCN
 * d = 32, 3 hidden layers of width 2048, n = 256) and small-gd (two-layer, d = 2, width 40000, n = 4), with kept or
 * fresh buffers; and the 2048 x 2048 DGEMM roofline.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=12G",
    "-Dorg.bytedeco.javacpp.maxphysicalbytes=16G"})
public class StepBenchmarks {
    /** The network, parameters, data and kept buffers of one workload. */
    @State(Scope.Benchmark)
    public static class Workload {
        @Param({"gd-step", "small-gd"})
        String workload;

        @Param({"true", "false"})
        boolean reuse;

        Network network;
        Params params;
        INDArray x;
        INDArray y;
        double learningRate;
        final Tape tape = new Tape();
        Gradients descent;

        @Setup(Level.Trial)
        public void setUp() {
            if (workload.equals("gd-step")) {
                network = Fixtures.fcn(2048, 3, 32);
                x = Fixtures.gaussian("x", 256, 32);
                y = Fixtures.gaussian("y", 256, 1);
                learningRate = 0.1;
            } else {
                network = Fixtures.fcn(40_000, 1, 2);
                x = Nd4j.createFromArray(new double[][] {{-0.5, 1}, {-1.0 / 6, 1}, {1.0 / 6, 1}, {0.5, 1}});
                y = x.getColumn(0).mul(x.getColumn(0)).reshape(4, 1);
                learningRate = 0.01;
            }
            params = network.init(0);
            descent = Trainer.descent(network, params);
        }
    }

    @Benchmark
    public double gdStep(Workload w) {
        return Fixtures.step(w.network, w.params, w.x, w.y, w.learningRate, w.tape, w.descent, w.reuse);
    }

    /** The 2048 x 2048 float64 matrix product into a kept output: 2 * 2048^3 flops. */
    @State(Scope.Benchmark)
    public static class Matrices {
        INDArray a;
        INDArray out;

        @Setup(Level.Trial)
        public void setUp() {
            Fixtures.fcn(4, 1, 2);  // float64 defaults
            a = Fixtures.gaussian("a", 2048, 2048);
            out = a.ulike();
        }
    }

    @Benchmark
    public INDArray dgemm(Matrices m) {
        return Nd4j.gemm(m.a, m.a, m.out, false, false, 1.0, 0.0);
    }
}
