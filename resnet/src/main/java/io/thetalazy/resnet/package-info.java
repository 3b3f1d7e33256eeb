/**
 * The residual architecture plugin: residual blocks x -> x + tau b(x) with dense or convolutional branches, assembled
 * from core's {@code Residual} combinator and cnn's convolution, flatten and global-average layers; the kernel limit
 * comes from composing their rules (docs/theory.md#residual-networks). {@code depth} is L = 2 B + 1, the embedding and
 * two layers per block; the card reports each block's invariant tau sigma_v sigma_w beside kappa
 * (docs/theory.md#normalized-view).
 */
package io.thetalazy.resnet;
