/**
 * JMH microbenchmarks of the hot path of training: dense forward and backward, the activation, a full GD step (the
 * {@code gd-step} and {@code small-gd} workloads of {@code thetalazy bench}), with kept and with fresh buffers.
 * Outside the default build: {@code mvn -B -Pbench package -DskipTests}, then
 * {@code java -jar benchmarks/target/benchmarks.jar [regex] [-f 1 -wi 3 -i 5]}.
 */
package io.thetalazy.benchmarks;
