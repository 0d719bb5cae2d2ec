/**
 * The exceptions of canal4j. Every failure a canal reports is a {@link
 * io.canal4j.error.CanalException}: unchecked, with a message that names the cause and the fix, and
 * a subclass that says which part failed and carries its context.
 */
package io.canal4j.error;
