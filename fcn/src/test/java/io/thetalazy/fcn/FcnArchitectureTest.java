package io.thetalazy.fcn;

import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.plugin.Architecture;
import io.thetalazy.core.testing.ArchitectureContract;

final class FcnArchitectureTest implements ArchitectureContract {
    @Override
    public Architecture architecture() {
        return new FcnArchitecture();
    }

    @Override
    public Shape tinyInputShape() {
        return Shape.of(3);
    }
}
