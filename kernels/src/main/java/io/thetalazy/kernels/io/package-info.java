/** File formats other tools read: NumPy .npy arrays, written atomically. */
package io.thetalazy.kernels.io;
