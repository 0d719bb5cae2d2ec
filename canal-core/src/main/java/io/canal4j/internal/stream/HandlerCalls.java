package io.canal4j.internal.stream;

import io.canal4j.error.HandlerException;
import io.canal4j.schema.Position;

/** Calls into the user's handler: what a call throws stops the canal, naming the method. */
final class HandlerCalls {
  /** A handler call. */
  interface HandlerCall {
    void run() throws Exception;
  }

  private HandlerCalls() {}

  /**
   * Runs {@code call}.
   *
   * @throws HandlerException naming {@code method} and {@code at}, with what the handler threw
   */
  static void call(HandlerCall call, String method, Position at) {
    try {
      call.run();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      throw new HandlerException("the handler's " + method + " failed at " + at + ": " + e, at, e);
    }
  }
}
