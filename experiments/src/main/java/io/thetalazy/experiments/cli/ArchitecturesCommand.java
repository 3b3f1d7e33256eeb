package io.thetalazy.experiments.cli;

import io.thetalazy.core.plugin.Architecture;
import io.thetalazy.core.plugin.Registry;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;

/** Lists the installed architectures, scaling rules, activations and initializers. */
@Command(mixinStandardHelpOptions = true, name = "architectures", description = "List installed architectures, scaling rules, activations and initializers.")
final class ArchitecturesCommand implements Runnable {
    private final Registry registry;

    @Inject
    ArchitecturesCommand(Registry registry) {
        this.registry = registry;
    }

    @Override
    public void run() {
        System.out.println("architectures:");
        for (Architecture architecture : registry.architectures().values()) {
            System.out.printf("  %-10s %s%n", architecture.name(), architecture.description());
            if (!architecture.optionNames().isEmpty()) {
                System.out.printf("  %-10s options: %s%n", "", architecture.optionNames().stream().sorted().toList());
            }
        }
        System.out.println("scaling rules:");
        registry.rules().forEach((name, factory) -> System.out.printf("  %-12s parameters: %s%n", name,
                factory.parameterNames().stream().sorted().toList()));
        System.out.println("activations:  " + String.join(", ", registry.activations().keySet()));
        System.out.println("initializers: " + String.join(", ", registry.initializers().keySet()));
    }
}
