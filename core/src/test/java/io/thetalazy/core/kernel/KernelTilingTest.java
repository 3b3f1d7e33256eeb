package io.thetalazy.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import org.junit.jupiter.api.Test;

final class KernelTilingTest {
    private static final KernelFootprint FOOTPRINT = new KernelFootprint(800, 0, 0, "use fewer inputs");
    private static final long GIB = 1L << 30;

    @Test
    void wholeWhenEverythingFits() {
        KernelTiling tiling = KernelTiling.plan(100, 30, false, 3, FOOTPRINT, KernelMemory.of(GIB, GIB));
        assertThat(tiling.isWhole()).isTrue();
        assertThat(tiling.blocks()).isEqualTo(1);
    }

    @Test
    void evenBlocksWithinHalfTheMemoryBesideTheResults() {
        // results: 8 (3 * 100^2 + 200) = 241600 bytes; a block of 20 x 20 pairs: 320000 bytes
        KernelMemory memory = KernelMemory.of(2 * (241_600 + 320_000), GIB);
        KernelTiling symmetric = KernelTiling.plan(100, 100, true, 3, FOOTPRINT, memory);
        assertThat(symmetric.rows()).isEqualTo(20);
        assertThat(symmetric.columns()).isEqualTo(20);
        assertThat(symmetric.blocks()).isEqualTo(15);
        // 23 rows would give blocks of 23, 23, 23, 23, 8: five blocks of 20 instead
        KernelTiling uneven = KernelTiling.plan(100, 100, true, 3, FOOTPRINT, KernelMemory.of(2 * (241_600
                + 800 * 23 * 23), GIB));
        assertThat(uneven.rows()).isEqualTo(20);
    }

    @Test
    void aShortSideIsTakenWholeAndTheOtherGetsTheRest() {
        // results: 8 (3 * 100 * 5 + 105) = 12840 bytes; 5 x 64 pairs: 256000 bytes
        KernelTiling tiling = KernelTiling.plan(100, 5, false, 3, FOOTPRINT, KernelMemory.of(2 * (12_840 + 256_000),
                GIB));
        assertThat(tiling.columns()).isEqualTo(5);
        assertThat(tiling.rows()).isEqualTo(50);
        assertThat(tiling.blocks()).isEqualTo(2);
    }

    @Test
    void theJavaHeapBoundsBlocksToo() {
        KernelFootprint heapy = new KernelFootprint(8, 0, 32, "use fewer inputs");
        KernelTiling tiling = KernelTiling.plan(100, 100, false, 3, heapy, KernelMemory.of(GIB, 2 * 32 * 10 * 10));
        assertThat(tiling.rows()).isEqualTo(10);
        assertThat(tiling.columns()).isEqualTo(10);
        assertThat(tiling.blocks()).isEqualTo(100);
    }

    @Test
    void blocksAreCappedOnceTilingIsNeeded() {
        KernelFootprint large = new KernelFootprint(1 << 20, 0, 0, "use fewer inputs");
        KernelTiling tiling = KernelTiling.plan(1000, 1000, true, 3, large, KernelMemory.of(1L << 40, GIB));
        assertThat((double) tiling.rows() * tiling.columns() * (1 << 20)).isLessThanOrEqualTo(
                KernelTiling.MAX_BLOCK_BYTES);
    }

    @Test
    void refusesWhenOnePairDoesNotFit() {
        assertThatThrownBy(() -> KernelTiling.plan(100, 100, true, 3, FOOTPRINT, KernelMemory.of(400_000, GIB)))
                .isInstanceOf(FrameworkException.class)
                .satisfies(e -> assertThat(((FrameworkException) e).errorCode())
                        .isEqualTo(ErrorCode.INSUFFICIENT_MEMORY))
                .hasMessage("the infinite-width limit of 100 x 100 input pairs needs about 7.63 MiB (800 B per pair), "
                        + "more than the 195 KiB it may use (50% of the available 391 KiB: a fixed budget of 391 KiB "
                        + "off-heap and 1.00 GiB of Java heap); even in blocks, one pair needs 800 B beside the 236 KiB "
                        + "of the 100 x 100 results; use fewer inputs");
    }
}
