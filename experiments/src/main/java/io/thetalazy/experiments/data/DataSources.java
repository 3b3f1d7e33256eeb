package io.thetalazy.experiments.data;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;
import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;
import static io.thetalazy.core.error.ErrorCode.NON_FINITE_VALUE;

import com.google.common.collect.ImmutableSortedMap;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.error.Suggestions;
import io.thetalazy.core.init.Seeds;
import io.thetalazy.core.param.NamedParameters;
import io.thetalazy.kernels.io.Npy;
import io.thetalazy.experiments.config.Named;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The data sets a config can name: {@code lxmz} (LXMZ's 1-d set), {@code sphere} (points on the unit sphere with a
 * teacher), {@code npy} and {@code csv} (user data), {@code fashion-mnist} (Debian's package). Relative paths are
 * resolved against the config's folder.
 */
public final class DataSources {
    private DataSources() {}

    /** A data set loader: parameters, the folder relative paths start from, and the run's seed. */
    @FunctionalInterface
    public interface Source {
        Dataset load(NamedParameters parameters, Path base, long seed);
    }

    private record Entry(Set<String> parameters, Source source) {}

    private static final SortedMap<String, Entry> SOURCES = ImmutableSortedMap.<String, Entry>naturalOrder()
            .put("lxmz", new Entry(Set.of(), (p, base, seed) -> lxmz()))
            .put("sphere", new Entry(Set.of("n", "dimension", "teacher", "normalization", "seed"), DataSources::sphere))
            .put("npy", new Entry(Set.of("x", "y"), DataSources::npy))
            .put("csv", new Entry(Set.of("path", "target", "header"), DataSources::csv))
            .put("fashion-mnist", new Entry(FashionMnist.PARAMETERS, FashionMnist::load))
            .build();

    public static Set<String> names() {
        return SOURCES.keySet();
    }

    public static Dataset load(Named data, Path base, long seed) {
        Entry entry = SOURCES.get(data.name());
        if (entry == null) {
            throw Suggestions.unknown("data set", data.name(), SOURCES.keySet());
        }
        NamedParameters parameters = new NamedParameters("data " + data.name(), data.parameters()).requireKeys(entry.parameters());
        return entry.source().load(parameters, base, seed);
    }

    /** LXMZ's set as published: x in {-1/2, -1/6, 1/6, 1/2} with a bias coordinate 1, y = x^2. */
    public static Dataset lxmz() {
        double[] xs = {-0.5, -1.0 / 6, 1.0 / 6, 0.5};
        INDArray x = Nd4j.create(DataType.DOUBLE, 4, 2);
        INDArray y = Nd4j.create(DataType.DOUBLE, 4, 1);
        for (int i = 0; i < xs.length; i++) {
            x.putScalar(i, 0, xs[i]);
            x.putScalar(i, 1, 1);
            y.putScalar(i, 0, xs[i] * xs[i]);
        }
        return new Dataset(x, y, "lxmz: x in {-1/2, -1/6, 1/6, 1/2} with bias coordinate, y = x^2");
    }

    /**
     * n points uniform on the unit sphere of R^dimension, with a bias coordinate 1 appended; rows scaled to |x|^2 = d
     * (d = dimension + 1, docs/theory.md#inputs) or to unit norm; targets from a teacher with a random unit direction
     * w: {@code neuron} y = relu(w.u) - E relu, {@code linear} y = w.u, {@code quadratic} y = (w.u)^2 - 1/dimension.
     */
    static Dataset sphere(NamedParameters p, Path base, long runSeed) {
        int n = positive(p, "n", 32);
        int dimension = positive(p, "dimension", 4);
        String teacher = p.text("teacher", "neuron");
        String normalization = p.text("normalization", "norm-d");
        long seed = (long) p.number("seed", runSeed);
        RandomGenerator rng = Seeds.generator(seed, "data/sphere");
        double[] w = unit(rng, dimension);
        int d = dimension + 1;
        double scale = switch (normalization) {
            case "norm-d" -> Math.sqrt(d / 2.0);
            case "unit" -> Math.sqrt(0.5);
            default -> throw new FrameworkException(INVALID_CONFIG,
                    "data sphere normalization must be 'norm-d' (|x|^2 = d) or 'unit', found '" + normalization + "'");
        };
        INDArray x = Nd4j.create(DataType.DOUBLE, n, d);
        INDArray y = Nd4j.create(DataType.DOUBLE, n, 1);
        double neuronMean = 0;
        for (int i = 0; i < n; i++) {
            double[] u = unit(rng, dimension);
            double projection = 0;
            for (int k = 0; k < dimension; k++) {
                x.putScalar(i, k, u[k] * scale);
                projection += u[k] * w[k];
            }
            x.putScalar(i, dimension, scale);
            double target = switch (teacher) {
                case "neuron" -> Math.max(projection, 0);
                case "linear" -> projection;
                case "quadratic" -> projection * projection - 1.0 / dimension;
                default -> throw new FrameworkException(INVALID_CONFIG,
                        "data sphere teacher must be neuron, linear or quadratic, found '" + teacher + "'");
            };
            y.putScalar(i, 0, target);
            neuronMean += target / n;
        }
        if (teacher.equals("neuron")) {
            y.subi(neuronMean);
        }
        return new Dataset(x, y, "sphere: n=%d points on S^%d with bias coordinate, %s teacher, %s rows"
                .formatted(n, dimension - 1, teacher, normalization));
    }

    private static double[] unit(RandomGenerator rng, int dimension) {
        double[] v = new double[dimension];
        double norm = 0;
        while (norm == 0) {
            norm = 0;
            for (int k = 0; k < dimension; k++) {
                v[k] = rng.nextGaussian();
                norm += v[k] * v[k];
            }
        }
        norm = Math.sqrt(norm);
        for (int k = 0; k < dimension; k++) {
            v[k] /= norm;
        }
        return v;
    }

    private static int positive(NamedParameters p, String key, int defaultValue) {
        double value = p.number(key, defaultValue);
        if (value < 1 || value != Math.rint(value)) {
            throw new FrameworkException(INVALID_CONFIG, "%s '%s' must be a positive integer, found %s"
                    .formatted(p.owner(), key, value));
        }
        return (int) value;
    }

    static Dataset npy(NamedParameters p, Path base, long seed) {
        Path xFile = required(p, "x", base);
        Path yFile = required(p, "y", base);
        return new Dataset(Npy.read(xFile), Npy.read(yFile), "npy: x=%s, y=%s".formatted(xFile, yFile));
    }

    private static Path required(NamedParameters p, String key, Path base) {
        String text = p.text(key, null);
        if (text == null) {
            throw new FrameworkException(INVALID_CONFIG, "%s needs '%s' (a file path)".formatted(p.owner(), key));
        }
        return base.resolve(text);
    }

    /**
     * A CSV file with a header row of column names (or {@code header: false}: columns {@code column-1}, ...); the
     * target is the column named {@code target} (default: the last). A first row of numbers where a header is
     * expected is refused: it would silently become the header and the data one row short.
     */
    static Dataset csv(NamedParameters p, Path base, long seed) {
        Path file = required(p, "path", base);
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new FrameworkException(INVALID_FILE, "data file not found: " + file);
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot read %s: %s".formatted(file, e.getMessage()), e);
        }
        lines = lines.stream().filter(line -> !line.isBlank()).toList();
        String headerSetting = p.text("header", "true");
        if (!headerSetting.equals("true") && !headerSetting.equals("false")) {
            throw new FrameworkException(INVALID_CONFIG, "data csv 'header' must be true or false, found '%s'"
                    .formatted(headerSetting));
        }
        boolean hasHeader = headerSetting.equals("true");
        if (lines.size() < (hasHeader ? 2 : 1)) {
            throw new FrameworkException(INVALID_FILE, file + (hasHeader ? ": needs a header row and at least one data "
                    + "row" : ": needs at least one data row"));
        }
        List<String> first = Arrays.stream(lines.get(0).split(",", -1)).map(String::trim).toList();
        List<String> header;
        if (hasHeader) {
            if (first.stream().allMatch(DataSources::isNumber)) {
                throw new FrameworkException(INVALID_FILE, ("%s: the first row (%s) is all numbers, so it is data, not "
                        + "a header of column names: add a header row, or set header: false in data (columns are "
                        + "then column-1, column-2, ...)").formatted(file, lines.get(0).trim()));
            }
            header = first;
        } else {
            header = java.util.stream.IntStream.rangeClosed(1, first.size()).mapToObj(i -> "column-" + i).toList();
            lines = new ArrayList<>(lines);
            lines.add(0, String.join(",", header));
        }
        String targetName = p.text("target", header.get(header.size() - 1));
        int target = header.indexOf(targetName);
        if (target < 0) {
            throw new FrameworkException(INVALID_CONFIG, "%s has no column '%s'%s; columns: %s"
                    .formatted(file, targetName, Suggestions.didYouMean(targetName, header), header));
        }
        int rows = lines.size() - 1;
        int features = header.size() - 1;
        if (features < 1) {
            throw new FrameworkException(INVALID_FILE, file + ": needs at least one feature column besides the target");
        }
        double[] x = new double[rows * features];
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            String[] cells = lines.get(r + 1).split(",", -1);
            if (cells.length != header.size()) {
                throw new FrameworkException(INVALID_FILE, "%s line %d: %d values, the header has %d columns"
                        .formatted(file, r + 2, cells.length, header.size()));
            }
            int k = 0;
            for (int c = 0; c < cells.length; c++) {
                double value;
                try {
                    value = Double.parseDouble(cells[c].trim());
                } catch (NumberFormatException e) {
                    throw new FrameworkException(INVALID_FILE, "%s line %d column '%s': '%s' is not a number"
                            .formatted(file, r + 2, header.get(c), cells[c].trim()));
                }
                if (c == target) {
                    y[r] = value;
                } else {
                    x[r * features + k++] = value;
                }
            }
        }
        return new Dataset(Nd4j.create(x, new long[] {rows, features}, DataType.DOUBLE),
                Nd4j.create(y, new long[] {rows, 1}, DataType.DOUBLE),
                "csv: %s, %d rows, %d features, target '%s'".formatted(file, rows, features, targetName));
    }

    private static boolean isNumber(String cell) {
        try {
            Double.parseDouble(cell);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Refuses values whose squares overflow: the loss, the kernels and the step sizes square inputs and targets, so
     * a value near 1e300 would surface later as a non-finite loss with the wrong advice. NaN and infinities are
     * named too.
     */
    public static void checkScale(INDArray values, String what) {
        INDArray doubles = values.castTo(DataType.DOUBLE);
        double largest = doubles.amaxNumber().doubleValue();
        if (!Double.isFinite(largest) || !Double.isFinite(doubles.sumNumber().doubleValue())) {
            throw new FrameworkException(NON_FINITE_VALUE, what + " contain NaN or infinite values");
        }
        double squares = doubles.mul(doubles).sumNumber().doubleValue();
        if (!Double.isFinite(squares) || largest > 1e150) {
            throw new FrameworkException(NON_FINITE_VALUE, ("%s reach %.3g in absolute value: their squares overflow "
                    + "float64 (the loss and the kernels square them); rescale them (for example inputs to rows of "
                    + "norm sqrt(d), targets to unit variance)").formatted(what, largest));
        }
    }

    /** Whether a built-in data set appends a bias coordinate (a constant last column) to its features. */
    public static boolean appendsBiasCoordinate(String name) {
        return name.equals("lxmz") || name.equals("sphere");
    }

    /** Row-normalization of user data is the user's choice; this lists what each built-in set does. */
    public static List<String> describe() {
        return new ArrayList<>(List.of(
                "lxmz       LXMZ's 1-d set, 4 points with bias coordinate, y = x^2 (as published)",
                "sphere     {n, dimension, teacher: neuron|linear|quadratic, normalization: norm-d|unit, seed}",
                "npy        {x: inputs.npy, y: targets.npy}",
                "csv        {path: data.csv, target: column name (default last), header: true|false}",
                "fashion-mnist {classes, perClass, size: 28|14|7, targets: scalar|one-vs-rest, layout: flat|image, "
                        + "normalization, split, dir}"));
    }
}
