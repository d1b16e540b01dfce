package tracegraph;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Runs a real Neo4j Community server (embedded API with the Bolt connector) for tests.
 *
 * <p>Usage: {@code TestServer <datadir> [port]}. Without a port (or with 0) a free port on
 * 127.0.0.1 is picked. Auth is disabled. Once the default database is available it prints
 * exactly one line {@code READY bolt://127.0.0.1:<port>} to stdout, then blocks until stdin
 * reaches EOF or the JVM gets SIGTERM/SIGINT, and shuts the DBMS down cleanly. Neo4j's own
 * logs go to {@code <datadir>/logs}.
 */
public final class TestServer {
    private static final String HOST = "127.0.0.1";
    private static final int AUTO_PORT_ATTEMPTS = 5;

    private static final Object LOCK = new Object();
    private static DatabaseManagementService service;
    private static boolean stopped;

    private TestServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: TestServer <datadir> [port]");
            System.exit(64);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int requestedPort = args.length == 2 ? Integer.parseInt(args[1]) : 0;
        Files.createDirectories(home);

        // Keep stdout for the READY line only; anything else (stray library output) goes to stderr.
        PrintStream out = System.out;
        System.setOut(System.err);

        Runtime.getRuntime().addShutdownHook(new Thread(TestServer::shutdown, "neo4j-test-server-shutdown"));

        int port = start(home, requestedPort);

        out.println("READY bolt://" + HOST + ":" + port);
        out.flush();

        // Block until stdin is closed (parent process gone or closed the pipe).
        InputStream in = System.in;
        byte[] buf = new byte[256];
        try {
            while (in.read(buf) != -1) {
                // ignore input
            }
        } catch (IOException ignored) {
            // treat as EOF
        }
        shutdown();
        System.exit(0);
    }

    private static int start(Path home, int requestedPort) throws IOException {
        int attempts = requestedPort == 0 ? AUTO_PORT_ATTEMPTS : 1;
        RuntimeException last = null;
        for (int i = 0; i < attempts; i++) {
            int port = requestedPort == 0 ? freePort() : requestedPort;
            try {
                DatabaseManagementService dbms = build(home, port);
                synchronized (LOCK) {
                    if (stopped) { // SIGTERM arrived while starting: JVM is already exiting
                        dbms.shutdown();
                        Runtime.getRuntime().halt(143);
                    }
                    service = dbms;
                }
                GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
                if (!db.isAvailable(Duration.ofMinutes(2).toMillis())) {
                    throw new IllegalStateException("default database did not become available");
                }
                return port;
            } catch (RuntimeException e) {
                last = e;
                // Most likely the auto-picked port was taken between probe and bind: retry.
                System.err.println("neo4j-test-server: start on port " + port + " failed: " + e);
            }
        }
        throw last;
    }

    private static DatabaseManagementService build(Path home, int port) {
        SocketAddress address = new SocketAddress(HOST, port);
        return new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, address)
                .setConfig(BoltConnector.advertised_address, address)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(256))
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Default is a 5 s Netty quiet period on shutdown: pointless for a test server.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void shutdown() {
        DatabaseManagementService dbms;
        synchronized (LOCK) {
            if (stopped) {
                return;
            }
            stopped = true;
            dbms = service;
            service = null;
        }
        if (dbms != null) {
            try {
                dbms.shutdown();
            } catch (RuntimeException e) {
                System.err.println("neo4j-test-server: shutdown failed: " + e);
            }
        }
    }
}
