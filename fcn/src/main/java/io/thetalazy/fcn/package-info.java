/** The fully connected architecture plugin, the template for new architectures (see the README). */
package io.thetalazy.fcn;
