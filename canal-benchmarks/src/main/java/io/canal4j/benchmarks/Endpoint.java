package io.canal4j.benchmarks;

/** Where the benchmark's server listens, and the user to connect as. */
record Endpoint(String host, int port, String user, String password) {
  @Override
  public String toString() {
    return user + "@" + host + ":" + port; // no password
  }
}
