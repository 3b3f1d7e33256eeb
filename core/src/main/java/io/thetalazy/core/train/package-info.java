/**
 * Full-batch gradient descent on the squared loss, step-size policies, stopping and the observables of
 * docs/theory.md#observables.
 */
package io.thetalazy.core.train;
