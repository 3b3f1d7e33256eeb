package io.thetalazy.fcn;

import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.plugin.Architecture;
import io.thetalazy.core.testing.TestNetworks;
import io.thetalazy.kernels.testing.ArchitectureContract;
import org.nd4j.linalg.api.ndarray.INDArray;

final class FcnArchitectureTest implements ArchitectureContract {
    @Override
    public Architecture architecture() {
        return new FcnArchitecture();
    }

    @Override
    public Shape tinyInputShape() {
        return Shape.of(3);
    }

    /** Points on the sphere |x|^2 = 3 with a bias coordinate (docs/theory.md#normalized-view). */
    @Override
    public INDArray tinyInput(int n, long seed) {
        return TestNetworks.sphere(n, 3, seed);
    }
}
