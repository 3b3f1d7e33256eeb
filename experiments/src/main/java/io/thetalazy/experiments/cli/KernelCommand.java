package io.thetalazy.experiments.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.param.Parametrization;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.experiments.sweep.RunSetup;
import io.thetalazy.kernels.io.Npy;
import io.thetalazy.core.layer.KernelLimit;
import io.thetalazy.kernels.limit.LimitKernels;
import io.thetalazy.kernels.predict.Spectra;
import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.OutputFolder.Kind;
import jakarta.inject.Inject;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;

/** The infinite-width limits of a configured network: NNGP and per-layer K^[l]. */
@Command(mixinStandardHelpOptions = true, name = "kernel", description = {"Infinite-width kernels of the configured network between x1 and x2: "
        + "nngp.npy (Sigma^(L)), K-<l>.npy for l = 1..L+1 (input layer first), summary.json (shapes, lambda_min of "
        + "each K^[l] when x2 is absent, lambda_S)."})
final class KernelCommand extends KernelCommands implements Runnable {
    @Inject
    KernelCommand(Registry registry) {
        super(registry);
    }

    @Override
    public void run() {
        RunSetup setup = setup();
        Network network = setup.network();
        INDArray a = first(setup);
        INDArray b = second(setup, a);
        try (OutputFolder claimed = claim(Kind.KERNEL)) {
            KernelLimit limit = LimitKernels.of(network).compute(a, b == a ? a : b);
            Npy.write(out.resolve("nngp.npy"), limit.nngp());
            ObjectNode summary = newSummary(network);
            Parametrization view = Parametrization.of(network);
            summary.put("kernelConvention", view.kappaConvention());
            summary.put("kernelRule", network.body().kernelRule().name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', '-'));
            shape(summary, "x1", a);
            shape(summary, "x2", b);
            shape(summary, "nngp", limit.nngp());
            ArrayNode layers = summary.putArray("layers");
            for (int l = 1; l <= limit.layerCount(); l++) {
                INDArray k = limit.layer(l);
                Npy.write(out.resolve("K-" + l + ".npy"), k);
                ObjectNode entry = layers.addObject();
                entry.put("index", l);
                entry.put("name", network.trainables().get(l - 1).name());
                entry.put("file", "K-" + l + ".npy");
                shape(entry, "shape", k);
                if (limit.symmetric()) {
                    entry.put("lambdaMin", Spectra.lambdaMin(k));
                }
            }
            if (limit.lambdaS().isPresent()) {
                summary.put("lambdaS", limit.lambdaS().getAsDouble());
            } else {
                summary.putNull("lambdaS");
            }
            ArrayNode notes = summary.putArray("notes");
            limit.notes().forEach(notes::add);
            summary(out, summary);
            System.out.printf("wrote nngp.npy and K-1..K-%d.npy %s to %s%s%n", limit.layerCount(),
                    java.util.Arrays.toString(limit.nngp().shape()), out,
                    limit.lambdaS().isPresent() ? "; lambda_S = %.6g".formatted(limit.lambdaS().getAsDouble()) : "");
            limit.notes().forEach(note -> System.out.println("note: " + note));
        }
    }
}
