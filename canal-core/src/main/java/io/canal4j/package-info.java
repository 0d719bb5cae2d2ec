/**
 * What users program against: {@link io.canal4j.Canal} (built with {@link Canal#builder()}), the
 * {@link io.canal4j.EventHandler} it calls, the immutable events it delivers, and the {@link
 * io.canal4j.PositionStore} SPI that makes a restart resume where it stopped.
 */
package io.canal4j;
