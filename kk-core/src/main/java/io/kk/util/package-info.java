/** Small helpers every package may use; they depend on nothing else of kk. */
package io.kk.util;
