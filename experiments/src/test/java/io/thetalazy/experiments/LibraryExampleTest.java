package io.thetalazy.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's library program compiles as written against the artifacts and trains to the tolerance. */
final class LibraryExampleTest {
    @TempDir
    Path folder;

    /** The first ```java block after "A complete program" in the README. */
    static String readmeProgram() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int anchor = readme.indexOf("A complete program");
        assertThat(anchor).as("README's library program").isPositive();
        int start = readme.indexOf("```java\n", anchor) + "```java\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }

    @Test
    void readmeLibraryProgramCompilesAndTrains() throws Exception {
        Path source = folder.resolve("LibraryExample.java");
        Files.writeString(source, readmeProgram());
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = compiler.run(null, null, diagnostics, "-classpath", System.getProperty("java.class.path"),
                "-d", folder.toString(), source.toString());
        assertThat(status).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();

        PrintStream previous = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {folder.toUri().toURL()},
                getClass().getClassLoader())) {
            Method main = loader.loadClass("LibraryExample").getMethod("main", String[].class);
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(previous);
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("kappa 4.0, regime ");   // 256^0.25
        assertThat(lines.get(1)).startsWith("converged after ");
        assertThat(lines.get(2)).startsWith("limit Theta_train [16, 16], trace ");
        assertThat(Double.parseDouble(lines.get(2).substring(lines.get(2).lastIndexOf(' ') + 1))).isPositive();
    }
}
