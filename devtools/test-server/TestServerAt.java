import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;

/**
 * Temporal's time-skipping test server, as io.temporal.testserver.TestServer starts it with
 * --enable-time-skipping, but with its clock starting at a given instant (`--start-at=<epoch ms>`) instead of the
 * machine's: the test server itself only moves time forward, so a test of a particular date, or a run of the suite
 * as if on another day (TEST_NOW), needs its clock set when it starts. Called by the TypeScript SDK as
 * `test-server <port> [--start-at=<ms>]`.
 */
public final class TestServerAt {
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("Usage: test-server <port> [--start-at=<epoch milliseconds>]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    long startAt = 0; // 0: the machine's clock, as the SDK's own server
    for (int i = 1; i < args.length; i++) {
      if (args[i].startsWith("--start-at=")) startAt = Long.parseLong(args[i].substring("--start-at=".length()));
      else if (!args[i].equals("--enable-time-skipping")) {
        System.err.println("Unknown flag " + args[i]);
        System.exit(2);
      }
    }
    TestServicesStarter services = new TestServicesStarter(false, startAt);
    ServerBuilder<?> builder = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server server = builder.build().start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdownNow();
      services.close();
    }));
    server.awaitTermination();
  }
}
