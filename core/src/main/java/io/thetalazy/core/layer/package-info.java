/**
 * Layers at finite width with their infinite-width kernel rules side by side ({@link io.thetalazy.core.layer.Layer}),
 * the shared layers (dense, activation, serial, residual), networks and their parameters. Shapes: a batch is
 * {@code [n, sample shape...]}; dense weights are {@code [out, in]} (docs/formats.md#conventions).
 */
package io.thetalazy.core.layer;
