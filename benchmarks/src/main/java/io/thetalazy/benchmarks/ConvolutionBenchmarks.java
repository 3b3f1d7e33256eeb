package io.thetalazy.benchmarks;

import io.thetalazy.core.layer.Gradients;
import io.thetalazy.core.layer.Layer;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Serial;
import io.thetalazy.core.layer.Tape;
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
 * A 64-to-64-channel 3 x 3 convolution on 14 x 14 feature maps (the second layer of the entk-cnn network): forward
 * (im2col and one GEMM) and backward (two GEMMs and col2im) on a kept tape, as in training.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=12G",
    "-Dorg.bytedeco.javacpp.maxphysicalbytes=16G"})
@State(Scope.Benchmark)
public class ConvolutionBenchmarks {
    @Param({"8", "64"})
    int batch;

    private Params params;
    private Layer convolution;
    private INDArray input;
    private INDArray cotangent;
    private Tape tape;
    private Gradients gradients;

    @Setup(Level.Trial)
    public void setUp() {
        Network network = Fixtures.cnn(64, 2, "flatten");
        params = network.init(0);
        convolution = ((Serial) network.body()).layers().get(2);   // conv-2: [64, 64, 3, 3]
        input = Fixtures.gaussian("features", batch, 64, 14, 14);
        cotangent = Fixtures.gaussian("cotangent", batch, 64, 14, 14);
        tape = new Tape();
        gradients = new Gradients();
        convolution.apply(params, input, tape);
    }

    @Benchmark
    public INDArray forward() {
        return convolution.apply(params, input, tape);
    }

    @Benchmark
    public INDArray backward() {
        return convolution.backward(params, tape, cotangent, gradients);
    }
}
