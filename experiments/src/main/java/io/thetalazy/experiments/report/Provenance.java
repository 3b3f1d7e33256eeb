package io.thetalazy.experiments.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thetalazy.core.layer.BlasInfo;

/** What produced a result: the framework's version, the Java runtime and the BLAS library with its kernels. */
public final class Provenance {
    /** The framework's version, as in bench lines and {@code thetalazy --version}. */
    public static final String VERSION = "0.1.0";

    private Provenance() {}

    /** {"thetalazy", "java", "blas": {"vendor", "version", "coreType", "threads", "cpu"}}: card.json's provenance field. */
    public static ObjectNode json() {
        ObjectNode provenance = Card.JSON.createObjectNode();
        provenance.put("thetalazy", VERSION);
        provenance.put("java", System.getProperty("java.runtime.version", System.getProperty("java.version")));
        BlasInfo blas = BlasInfo.current();
        ObjectNode library = provenance.putObject("blas");
        library.put("vendor", blas.vendor());
        library.put("version", blas.version());
        library.put("coreType", blas.coreType());
        library.put("threads", blas.threads());
        library.put("cpu", blas.cpu());
        return provenance;
    }
}
