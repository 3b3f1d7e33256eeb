package io.thetalazy.kernels.empirical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.testing.TestNetworks;
import org.junit.jupiter.api.Test;

/**
 * The empirical kernels' peak memory is O(n^2 L + n m) (kernels and tapes), not O(n P) (a Jacobian): measured as the
 * growth of the process's peak resident size during one computation.
 */
final class EntkMemoryTest {
    static {
        TestNetworks.useDoublePrecision();
    }

    private static final long MB = 1 << 20;

    @Test
    void peakMemoryFollowsTheKernelsAndTapesNotTheJacobian() {
        assumeTrue(ResidentMemory.available(), "resident memory is not reported here (needs Linux /proc/self)");
        int n = 64;
        int width = 1024;
        Network network = TestNetworks.fcn(width, 3, 32, Activations.RELU, new NtkRule());
        Params params = network.init(0);
        EmpiricalKernels kernels = EmpiricalKernels.of(network);
        kernels.compute(params, TestNetworks.sphere(8, 32, 1));   // class loading and compilation outside the window
        var x = TestNetworks.sphere(n, 32, 2);

        long before = ResidentMemory.currentBytes();
        assertThat(ResidentMemory.resetPeak()).isTrue();
        TangentKernels result = kernels.compute(params, x);
        long growth = ResidentMemory.peakBytes() - before;

        assertThat(result.layerCount()).isEqualTo(4);
        long parameters = params.names().stream().mapToLong(name -> params.get(name).length()).sum();
        long jacobian = 8L * n * parameters;   // 1.1 GB: what an n x P Jacobian would take
        long estimate = kernels.requiredBytes(n, n, true);   // kernels, temporaries, tapes: ~13 MB here
        assertThat(growth)
                .as("peak resident growth %d MB against the estimate %d MB and a Jacobian's %d MB", growth / MB,
                        estimate / MB, jacobian / MB)
                .isLessThan(estimate + 24 * MB)
                .isLessThan(jacobian / 16);
    }
}
