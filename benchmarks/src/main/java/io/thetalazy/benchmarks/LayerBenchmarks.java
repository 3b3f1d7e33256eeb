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
 * The hidden layers of the gd-step network (width 2048, batch 256): dense forward h = s W x (one GEMM), dense backward
 * (gradient and input cotangent, two GEMMs), relu forward and backward, each with kept buffers (a reused tape, as in
 * training) or with fresh ones (a new tape per call).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=12G",
    "-Dorg.bytedeco.javacpp.maxphysicalbytes=16G"})
@State(Scope.Benchmark)
public class LayerBenchmarks {
    @Param({"2048"})
    int width;

    @Param({"256"})
    int batch;

    /** true: one tape and one Gradients reused across calls (training's hot path); false: new ones every call. */
    @Param({"true", "false"})
    boolean reuse;

    private Params params;
    private Layer dense;
    private Layer activation;
    private INDArray input;
    private INDArray cotangent;
    private Tape denseTape;
    private Tape activationTape;
    private Gradients gradients;

    @Setup(Level.Trial)
    public void setUp() {
        Network network = Fixtures.fcn(width, 2, 32);
        params = network.init(0);
        Serial body = (Serial) network.body();
        dense = body.layers().get(2);          // dense-2: [width, width]
        activation = body.layers().get(3);     // relu after it
        input = Fixtures.gaussian("input", batch, width);
        cotangent = Fixtures.gaussian("cotangent", batch, width);
        denseTape = new Tape();
        activationTape = new Tape();
        gradients = new Gradients();
        dense.apply(params, input, denseTape);
        activation.apply(params, input, activationTape);
    }

    private Tape tape(Tape kept) {
        return reuse ? kept : new Tape();
    }

    @Benchmark
    public INDArray denseForward() {
        return dense.apply(params, input, tape(denseTape));
    }

    /** Records the input (as apply does) and runs backward: dR/dW and the input cotangent. */
    @Benchmark
    public INDArray denseBackward() {
        Tape tape = tape(denseTape);
        if (!reuse) {
            tape.put("input", input);
        }
        return dense.backward(params, tape, cotangent, reuse ? gradients : new Gradients());
    }

    @Benchmark
    public INDArray reluForward() {
        return activation.apply(params, input, tape(activationTape));
    }

    @Benchmark
    public INDArray reluBackward() {
        Tape tape = tape(activationTape);
        if (!reuse) {
            tape.put("pre", input);
        }
        return activation.backward(params, tape, cotangent, gradients);
    }
}
