/**
 * The convolutional architecture plugin: 1-d and 2-d convolutions ({@link io.thetalazy.cnn.Convolution}), average
 * and global average pooling, flatten, and {@link io.thetalazy.cnn.CnnArchitecture}, each layer with its CNTK kernel
 * rule [ADH+].
 *
 * <h2>Normalized view (docs/theory.md#convolutional-networks)</h2>
 * Hidden layer l = 1..L is a convolution with C_{l-1} input channels (C_0 = C, the data's; C_l = m) and q = k^r filter
 * offsets; its fan-in is n_{l-1} = C_{l-1} q, declared with power 0 in m for l = 1 and 1 otherwise. With
 * W^[l] = beta_l Zhat^[l], the layer computes h^[l] = s_l beta_l Zhat^[l] * x^[l-1]
 * = (sigma_l / sqrt(C_{l-1} q)) Zhat^[l] * x^[l-1] with sigma_l = s_l beta_l sqrt(C_{l-1} q): exactly the canonical
 * fan-in-normalized layer, with core's {@code TrainableLayer.gain()} unchanged.
 *
 * <p><b>Flatten readout.</b> The readout is a dense layer over the m P features x_c(p) of the last hidden layer
 * (P: its positions): f = (s_{L+1} beta_{L+1} / alpha) sum_{c, p} Zhat_{c, p} x_c(p)
 * = kappa_out (1/m) sum_{c, p} Zhat_{c, p} x_c(p) with kappa_out = m s_{L+1} beta_{L+1} / alpha. This is the formula of
 * core's {@code Parametrization.of}, which multiplies by the width m, never by the slot's fan-in; so the normalization
 * is 1/m as docs/theory.md#normalized-view states, and no core change is needed. The readout's slot declares its true
 * fan-in n_L = m P (power 1: P does not grow with m), which the rules that look at the fan-in use: {@code ntk} s =
 * 1/sqrt(m P) and {@code standard} beta = 1/sqrt(m P) both give kappa = sqrt(m / P), the FCN table's sqrt(m) for P = 1
 * ({@code he}: 2^{(L+1)/2} sqrt(m / P)). Their exponent is still q = 1/2, so exponents, gamma, gamma' and the regime
 * are those of docs/theory.md#scaling-rules, while {@code mean-field}, {@code mup} and {@code theta-lazy} (kappa0
 * m^gamma) give the kappa of docs/theory.md#scaling-rules exactly. The 1/sqrt(P) is what the NTK rule should do: the
 * output (1/sqrt(m P)) sum of m P terms is O(1), and the training kernel (kappa^2 / m) sum_l mu_l K^[l] = (1/P) sum_l
 * K^[l] is the position average of the per-position kernels (neural-tangents' Flatten). Declaring fan-in m instead
 * would give kappa = sqrt(m) with an output and kernel P times too large. Per-layer kernels: G^[L+1] = (m / kappa^2)
 * Theta_{L+1} = (m / kappa^2) (kappa / m)^2 sum_{c, p} x_c(p) x'_c(p) = sum_p (1/m) sum_c x_c(p) x'_c(p) -> sum_p
 * Sigma^(L)(p, p); the same holds for every K^[l], the sum over positions of the per-position (same-position pair)
 * kernels. Only the spatial diagonal enters, so the flatten network's limit is computed in the {@link
 * io.thetalazy.cnn.KernelLayout#DIAGONAL diagonal} layout.
 *
 * <p><b>Global-average readout.</b> f = (s_{L+1} beta_{L+1} / alpha) sum_c Zhat_c xbar_c
 * = kappa (1/m) sum_c Zhat_c xbar_c with xbar_c = (1/P) sum_p x_c(p) and the same kappa_out; the slot's fan-in is m, so
 * {@code ntk} and {@code standard} give sqrt(m) as in the FCN table. G^[L+1] = (1/m) sum_c xbar_c xbar'_c
 * -> mean_{p, p'} Sigma^(L)(p, p'), and every K^[l] is the mean over all position pairs of its spatial component,
 * computed in the {@link io.thetalazy.cnn.KernelLayout#FULL full} layout.
 *
 * <h2>Kernel recursion</h2>
 * Sigma^(0)(x, x')_{p, p'} = (1/C) sum_c x_c(p) x'_c(p') (the per-position x.x'/d). A convolution averages over the q
 * window offsets, C^(l)(p, p') = sigma_l^2 (1/q) sum_j Sigma^(l-1)(p s + j, p' s + j) (zero padding outside the input),
 * transforms every earlier component the same way and appends K^[l] = C^(l) (biases as in docs/theory.md#biases);
 * core's activation rule applies the duals position-pair by position-pair; average pooling averages over pairs of
 * window offsets; flatten sums and global average pooling averages over positions before the dense readout appends
 * K^[L+1] = its input state. A 1 x 1 convolution network on P positions with flatten readout thus has K^[l] = sum_p
 * K_FCN^[l](x_p, x'_p).
 *
 * <h2>Computation and memory</h2>
 * The convolution and activation rules stream over the state pair by pair ({@code WindowSums}, core's
 * {@code SpatialActivation}), overwriting in place the arrays the network releases, so a layer allocates only its new
 * component: L + 3 arrays of the state's size at the peak (P doubles per input pair in the diagonal layout, P^2 in the
 * full one; {@link io.thetalazy.cnn.CnnArchitecture#footprint}). {@code Network.limit} sizes blocks of input pairs
 * from that estimate and the memory available, and computes the limit block by block when the whole does not fit.
 */
package io.thetalazy.cnn;
