/** The framework's single exception type and its error categories. */
package io.thetalazy.core.error;
