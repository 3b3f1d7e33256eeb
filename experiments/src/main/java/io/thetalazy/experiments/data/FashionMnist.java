package io.thetalazy.experiments.data;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;
import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.init.Seeds;
import io.thetalazy.core.param.NamedParameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fashion-MNIST from Debian's {@code dataset-fashion-mnist} package (IDX files under
 * {@value #DEFAULT_DIRECTORY}): a class subset, n examples per class drawn with the run's seed, optional downsampling
 * by average pooling (28 to 14 or 7), scalar or one-vs-rest targets, and row normalization.
 *
 * <p>Parameters: {@code dir}, {@code split} (train | test), {@code classes} (default [0, 1]), {@code perClass}
 * (default 32), {@code size} (28 | 14 | 7, default 14), {@code targets} (scalar: the classes evenly spaced in [-1, 1];
 * one-vs-rest: +1 for {@code positive}, -1 otherwise), {@code positive}, {@code layout} (flat: [n, s*s + 1] with a
 * bias coordinate; image: [n, 1, s, s]), {@code normalization} (norm-d: |x|^2 = d, docs/theory.md#inputs; unit; pixel:
 * x/255).
 */
public final class FashionMnist {
    public static final String DEFAULT_DIRECTORY = "/usr/share/datasets/fashion-mnist";
    public static final java.util.Set<String> PARAMETERS = java.util.Set.of("dir", "split", "classes", "perClass",
            "size", "targets", "positive", "layout", "normalization", "seed");

    private FashionMnist() {}

    static Dataset load(NamedParameters p, Path base, long runSeed) {
        Path dir = base.resolve(p.text("dir", DEFAULT_DIRECTORY));
        String split = p.text("split", "train");
        String prefix = switch (split) {
            case "train" -> "train";
            case "test" -> "t10k";
            default -> throw new FrameworkException(INVALID_CONFIG, "fashion-mnist split must be train or test, found '" + split + "'");
        };
        if (!Files.isDirectory(dir)) {
            throw new FrameworkException(INVALID_FILE, ("Fashion-MNIST not found: %s does not exist. Install Debian's "
                    + "package (apt-get install dataset-fashion-mnist) or set data.dir (--data-dir) to a folder with "
                    + "the IDX files").formatted(dir));
        }
        Idx.Bytes images = Idx.read(find(dir, prefix + "-images-idx3-ubyte"), 3);
        Idx.Bytes labels = Idx.read(find(dir, prefix + "-labels-idx1-ubyte"), 1);
        if (images.dimensions()[0] != labels.dimensions()[0]) {
            throw new FrameworkException(INVALID_FILE, "%s: %d images but %d labels".formatted(dir,
                    images.dimensions()[0], labels.dimensions()[0]));
        }
        int rows = images.dimensions()[1];
        int columns = images.dimensions()[2];
        List<Integer> classes = p.numbers("classes").stream().map(Double::intValue).toList();
        if (classes.isEmpty()) {
            classes = List.of(0, 1);
        }
        for (int c : classes) {
            if (c < 0 || c > 9) {
                throw new FrameworkException(INVALID_CONFIG, "fashion-mnist classes are 0..9, found " + c);
            }
        }
        int perClass = (int) p.number("perClass", 32);
        int size = (int) p.number("size", 14);
        if (perClass < 1) {
            throw new FrameworkException(INVALID_CONFIG, "fashion-mnist perClass must be positive, found " + perClass);
        }
        if (size < 1 || rows % size != 0 || columns % size != 0) {
            throw new FrameworkException(INVALID_CONFIG,
                    "fashion-mnist size must divide the image side %d, found %d".formatted(rows, size));
        }
        long seed = (long) p.number("seed", runSeed);
        RandomGenerator rng = Seeds.generator(seed, "data/fashion-mnist");
        List<Integer> chosen = new ArrayList<>();
        List<Integer> chosenClass = new ArrayList<>();
        for (int k = 0; k < classes.size(); k++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < labels.data().length; i++) {
                if (Byte.toUnsignedInt(labels.data()[i]) == classes.get(k)) {
                    members.add(i);
                }
            }
            if (members.size() < perClass) {
                throw new FrameworkException(INVALID_CONFIG, "fashion-mnist %s has %d examples of class %d, asked for %d"
                        .formatted(split, members.size(), classes.get(k), perClass));
            }
            for (int j = 0; j < perClass; j++) {
                int pick = j + rng.nextInt(members.size() - j);
                java.util.Collections.swap(members, j, pick);
                chosen.add(members.get(j));
                chosenClass.add(k);
            }
        }
        int n = chosen.size();
        int pool = rows / size;
        String layout = p.text("layout", "flat");
        boolean flat = switch (layout) {
            case "flat" -> true;
            case "image" -> false;
            default -> throw new FrameworkException(INVALID_CONFIG, "fashion-mnist layout must be flat or image, found '" + layout + "'");
        };
        int features = size * size + (flat ? 1 : 0);
        double[] x = new double[n * features];
        for (int s = 0; s < n; s++) {
            int offset = chosen.get(s) * rows * columns;
            for (int r = 0; r < size; r++) {
                for (int c = 0; c < size; c++) {
                    double sum = 0;
                    for (int dr = 0; dr < pool; dr++) {
                        for (int dc = 0; dc < pool; dc++) {
                            sum += Byte.toUnsignedInt(images.data()[offset + (r * pool + dr) * columns + c * pool + dc]);
                        }
                    }
                    x[s * features + r * size + c] = sum / (pool * pool) / 255.0;
                }
            }
            if (flat) {
                x[s * features + size * size] = 1;
            }
        }
        normalize(x, n, features, p.text("normalization", "norm-d"));
        double[] y = targets(p, classes, chosenClass);
        long[] shape = flat ? new long[] {n, features} : new long[] {n, 1, size, size};
        return new Dataset(Nd4j.create(x, shape, DataType.DOUBLE), Nd4j.create(y, new long[] {n, 1}, DataType.DOUBLE),
                "fashion-mnist %s: classes %s, %d per class, %dx%d, %s layout".formatted(split, classes, perClass, size,
                        size, layout));
    }

    private static Path find(Path dir, String stem) {
        Path gz = dir.resolve(stem + ".gz");
        if (Files.exists(gz)) {
            return gz;
        }
        Path plain = dir.resolve(stem);
        if (Files.exists(plain)) {
            return plain;
        }
        throw new FrameworkException(INVALID_FILE, "%s has no %s.gz: is it a Fashion-MNIST folder? (Debian: apt-get "
                + "install dataset-fashion-mnist)".formatted(dir, stem));
    }

    private static void normalize(double[] x, int n, int features, String normalization) {
        double target = switch (normalization) {
            case "norm-d" -> features;
            case "unit" -> 1;
            case "pixel" -> Double.NaN;
            default -> throw new FrameworkException(INVALID_CONFIG,
                    "fashion-mnist normalization must be norm-d, unit or pixel, found '" + normalization + "'");
        };
        if (Double.isNaN(target)) {
            return;
        }
        for (int s = 0; s < n; s++) {
            double norm = 0;
            for (int f = 0; f < features; f++) {
                norm += x[s * features + f] * x[s * features + f];
            }
            double scale = norm > 0 ? Math.sqrt(target / norm) : 0;
            for (int f = 0; f < features; f++) {
                x[s * features + f] *= scale;
            }
        }
    }

    private static double[] targets(NamedParameters p, List<Integer> classes, List<Integer> chosenClass) {
        String kind = p.text("targets", "scalar");
        double[] y = new double[chosenClass.size()];
        switch (kind) {
            case "scalar" -> {
                for (int s = 0; s < y.length; s++) {
                    y[s] = classes.size() == 1 ? 0 : -1 + 2.0 * chosenClass.get(s) / (classes.size() - 1);
                }
            }
            case "one-vs-rest" -> {
                int positive = (int) p.number("positive", classes.get(0));
                if (!classes.contains(positive)) {
                    throw new FrameworkException(INVALID_CONFIG, "fashion-mnist positive class %d is not among classes %s"
                            .formatted(positive, classes));
                }
                for (int s = 0; s < y.length; s++) {
                    y[s] = classes.get(chosenClass.get(s)) == positive ? 1 : -1;
                }
            }
            default -> throw new FrameworkException(INVALID_CONFIG,
                    "fashion-mnist targets must be scalar or one-vs-rest, found '" + kind + "'");
        }
        return y;
    }
}
