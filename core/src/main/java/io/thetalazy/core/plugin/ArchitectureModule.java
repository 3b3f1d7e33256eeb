package io.thetalazy.core.plugin;

import com.google.inject.Module;

/**
 * SPI entry: one per architecture module, listed in {@code META-INF/services/io.thetalazy.core.plugin.ArchitectureModule};
 * public no-argument constructor; binds its {@link Architecture} in {@code MapBinder<String, Architecture>}.
 */
public interface ArchitectureModule extends Module {}
