package io.thetalazy.core.kernel;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Square tiles of an [n1, n2] matrix in c order, all of them or (for symmetric matrices) those on and above the
 * diagonal, and the copy of an upper tile onto its mirror image below the diagonal. Tiles of 128 x 128 doubles (64 x
 * 64 when a pass keeps many tiles) keep a tile's rows and its transposed columns in the cache while they are written.
 */
final class UpperTriangle {
    private UpperTriangle() {}

    static final int TILE = 128;

    /** The tiles, each as {row tile, column tile}: row-major, only column tile >= row tile when symmetric. */
    static int[][] tiles(int n1, int n2, boolean symmetric) {
        return tiles(n1, n2, symmetric, TILE);
    }

    /** The same for tiles of a given size. */
    static int[][] tiles(int n1, int n2, boolean symmetric, int tile) {
        int rows = (n1 + tile - 1) / tile;
        int columns = (n2 + tile - 1) / tile;
        int count = symmetric ? rows * (rows + 1) / 2 : rows * columns;
        int[][] tiles = new int[count][];
        int k = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = symmetric ? i : 0; j < columns; j++) {
                tiles[k++] = new int[] {i, j};
            }
        }
        return tiles;
    }

    /**
     * Writes the transpose of an upper tile below the diagonal: {@code block[r][c]}, the entry at (i0 + r, j0 + c),
     * goes to (j0 + c, i0 + r), for r < h and c < w; on a diagonal tile (i0 == j0) only the entries with r < c.
     */
    static void writeTransposed(DoubleBuffer out, int n, double[][] block, int i0, int h, int j0, int w) {
        boolean diagonal = i0 == j0;
        for (int c = 0; c < w; c++) {
            int count = diagonal ? c : h;
            int offset = (j0 + c) * n + i0;
            // one put per entry: a bulk put per column costs a native call for a short run
            for (int r = 0; r < count; r++) {
                out.put(offset + r, block[r][c]);
            }
        }
    }

    /** Copies the upper triangle of a square matrix over its lower triangle, in place: the result is symmetric. */
    static void mirror(INDArray square) {
        int n = (int) square.size(0);
        boolean plain = square.dataType() == DataType.DOUBLE && square.ordering() == 'c' && square.offset() == 0
                && square.data().length() == square.length()
                && Arrays.equals(square.stride(), Nd4j.getStrides(square.shape(), 'c'));
        if (!plain || (long) n * n > Integer.MAX_VALUE) {
            for (int i = 1; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    square.putScalar(i, j, square.getDouble(j, i));
                }
            }
            return;
        }
        DoubleBuffer values = square.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
        int[][] tiles = tiles(n, n, true);
        IntStream.range(0, tiles.length).parallel().forEach(t -> {
            int i0 = tiles[t][0] * TILE;
            int j0 = tiles[t][1] * TILE;
            int h = Math.min(TILE, n - i0);
            int w = Math.min(TILE, n - j0);
            double[][] block = new double[h][w];
            for (int r = 0; r < h; r++) {
                values.get((i0 + r) * n + j0, block[r], 0, w);
            }
            writeTransposed(values, n, block, i0, h, j0, w);
        });
    }
}
