/**
 * The plugin SPI: {@link io.thetalazy.core.plugin.Architecture}, the ServiceLoader entry
 * {@link io.thetalazy.core.plugin.ArchitectureModule}, the core Guice module and the name registry.
 */
package io.thetalazy.core.plugin;
