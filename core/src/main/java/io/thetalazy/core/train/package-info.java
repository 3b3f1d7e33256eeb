/** Full-batch gradient descent on the squared loss, step-size policies, stopping and the observables of DESIGN 1.4. */
package io.thetalazy.core.train;
