package io.thetalazy.experiments.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.experiments.sweep.RunSetup;
import io.thetalazy.kernels.empirical.EmpiricalKernels;
import io.thetalazy.kernels.empirical.TangentKernels;
import io.thetalazy.kernels.io.Npy;
import io.thetalazy.kernels.predict.Spectra;
import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.OutputFolder.Kind;
import jakarta.inject.Inject;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The empirical per-layer tangent kernels of a network at initialization or at a run's weights. */
@Command(mixinStandardHelpOptions = true, name = "ntk", description = {"Empirical per-layer tangent kernels (by contraction, no Jacobian) between x1 and "
        + "x2 at initialization or at the weights of --params: theta-<l>.npy (Theta_l), G-<l>.npy (G^[l] = m/kappa^2 "
        + "Theta_l), theta-train.npy (the GD kernel sum_l mu_l Theta_l, biases at their own mobility), summary.json."})
final class NtkCommand extends KernelCommands implements Runnable {
    @Option(names = "--params", description = "a run folder, or its params/init or params/final folder (default: "
            + "initialization with the config's seed)")
    Path params;

    @Option(names = "--tile", defaultValue = "0", description = "compute in tiles of this many rows of x1 and x2 "
            + "(for large n; 0: in one go)")
    int tile;

    @Inject
    NtkCommand(Registry registry) {
        super(registry);
    }

    @Override
    public void run() {
        OptionValues.atLeast("--tile", tile, 0, "0 (in one go) or a positive number of rows");
        RunSetup setup = setup();
        Network network = setup.network();
        setup.requireMemory(false);
        Params weights = params == null ? network.init(setup.config().seed())
                : readParams(network, setup.config().dtype(), params);
        INDArray a = first(setup);
        INDArray b = second(setup, a);
        try (OutputFolder claimed = claim(Kind.NTK)) {
            EmpiricalKernels kernels = EmpiricalKernels.of(network);
            TangentKernels result = tile > 0 ? kernels.computeTiled(weights, a, b, tile)
                    : (b == a ? kernels.compute(weights, a) : kernels.compute(weights, a, b));
            ObjectNode summary = newSummary(network);
            summary.put("weights", params == null ? "init (seed %d)".formatted(setup.config().seed())
                    : params.toString());
            summary.put("kappa", result.kappa());
            summary.put("gramScale", result.gramScale());
            shape(summary, "x1", a);
            shape(summary, "x2", b);
            ArrayNode layers = summary.putArray("layers");
            for (int l = 1; l <= result.layerCount(); l++) {
                Npy.write(out.resolve("theta-" + l + ".npy"), result.theta(l));
                Npy.write(out.resolve("G-" + l + ".npy"), result.gram(l));
                ObjectNode entry = layers.addObject();
                entry.put("index", l);
                entry.put("name", network.trainables().get(l - 1).name());
                entry.put("mobility", result.mobility(l));
                shape(entry, "shape", result.theta(l));
            }
            INDArray train = result.train();
            Npy.write(out.resolve("theta-train.npy"), train);
            if (result.symmetric()) {
                summary.put("lambdaMinTrain", Spectra.lambdaMin(train));
                summary.put("lambdaMaxTrain", Spectra.lambdaMax(train));
            }
            summary(out, summary);
            System.out.printf("wrote theta-1..%d.npy, G-1..%d.npy and theta-train.npy %s to %s%n", result.layerCount(),
                    result.layerCount(), java.util.Arrays.toString(train.shape()), out);
        }
    }
}
