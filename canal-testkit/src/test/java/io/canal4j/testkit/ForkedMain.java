package io.canal4j.testkit;

import java.util.concurrent.CountDownLatch;

/** Run by {@link ForkedJvmTest} in a forked JVM. */
public final class ForkedMain {
  private ForkedMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0 && args[0].equals("exit")) {
      System.out.println("bye");
      System.exit(3);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
    System.out.println(
        "hello "
            + String.join(",", args)
            + " tz="
            + System.getProperty("user.timezone")
            + " maxMiB="
            + Runtime.getRuntime().maxMemory() / (1024 * 1024));
    System.err.println("ready");
    new CountDownLatch(1).await();
  }
}
