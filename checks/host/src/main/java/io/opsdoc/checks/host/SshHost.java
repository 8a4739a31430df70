package io.opsdoc.checks.host;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Secret;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * One authenticated SSH session to a host, opened with Apache MINA SSHD: the host key is checked against
 * known_hosts (an unknown or changed key is refused, never learned), the user logs in with a key (its passphrase from
 * the usual secret sources) or, when no key is given, a password. The session runs only {@link HostCommands}.
 */
final class SshHost implements AutoCloseable {
    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    private final SshClient client;
    private final ClientSession session;
    private final HostTarget target;

    private SshHost(SshClient client, ClientSession session, HostTarget target) {
        this.client = client;
        this.session = session;
        this.target = target;
    }

    /** What the host-key check saw, so a refused key becomes a finding that says what to do. */
    private record KeyVerdict(String kind, String offered, String expected, int line) {
    }

    static SshHost open(CheckContext context, HostTarget target) throws Exception {
        List<KeyPair> keys = identities(target, context.password());
        SshClient client = SshClient.setUpDefaultClient();
        // nothing from ~/.ssh/config or the default key files unless this code asks for them: what is used is what
        // the target says
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        AtomicReference<KeyVerdict> verdict = new AtomicReference<>();
        KnownHostsServerKeyVerifier verifier = new KnownHostsServerKeyVerifier((s, addr, key) -> {
            verdict.set(new KeyVerdict("unknown", describe(key), null, 0));
            return false;
        }, target.knownHosts());
        verifier.setModifiedServerKeyAcceptor((s, addr, entry, expected, actual) -> {
            // a pinned key of another type is not a changed key (OpenSSH treats it as unknown for that type)
            String kind = KeyUtils.getKeyType(expected).equals(KeyUtils.getKeyType(actual)) ? "changed" : "other-type";
            verdict.set(new KeyVerdict(kind, describe(actual), describe(expected), lineOf(target.knownHosts(), entry)));
            return false;
        });
        client.setServerKeyVerifier(verifier);
        boolean agent = useAgent(target);
        if (agent) {
            client.setAgentFactory(SshAgentSocket.factory(target.agent().get().socket(), context.remaining()));
        }
        preferPinnedKeyTypes(client, target);
        client.start();
        ClientSession session = null;
        try {
            session = client.connect(target.user(), target.host(), target.port()).verify(context.remaining()).getSession();
            for (KeyPair k : keys) {
                session.addPublicKeyIdentity(k);
            }
            if (target.identity().isEmpty()) {
                Optional<Secret> password = context.password();
                if (password.isPresent()) {
                    session.addPasswordIdentity(password.get().reveal());
                }
            }
            session.auth().verify(context.remaining());
            return new SshHost(client, session, target);
        } catch (Exception e) {
            closeQuietly(session);
            client.stop();
            throw translate(e, target, verdict.get(), keys.isEmpty() && !agent);
        }
    }

    /**
     * The agent's keys are offered first, as ssh does. An agent named with ?agent= must answer; the one of
     * SSH_AUTH_SOCK is skipped with no word when its socket is gone (a stale variable in a login shell).
     */
    private static boolean useAgent(HostTarget target) throws ProbeException {
        if (target.agent().isEmpty()) {
            return false;
        }
        HostTarget.Agent agent = target.agent().get();
        if (Files.exists(agent.socket())) {
            return true;
        }
        if (agent.named()) {
            throw new ProbeException(ProbeErrors.AUTH_FAILED, "no SSH agent socket at " + agent.socket()
                    + " (given with ?agent=): is ssh-agent running, and is that its SSH_AUTH_SOCK?");
        }
        return false;
    }

    /**
     * Like OpenSSH, asks the server first for the host key types known_hosts pins for this host, so that a host
     * pinned by its RSA key is verified by that key even though ed25519 comes first by default.
     */
    private static void preferPinnedKeyTypes(SshClient client, HostTarget target) {
        Set<String> pinned = new LinkedHashSet<>();
        try {
            if (Files.isReadable(target.knownHosts())) {
                for (KnownHostEntry e : KnownHostEntry.readKnownHostEntries(target.knownHosts())) {
                    if (e.getMarker() == null && e.getKeyEntry() != null && e.isHostMatch(target.host(), target.port())) {
                        pinned.add(KeyUtils.getCanonicalKeyType(e.getKeyEntry().getKeyType()));
                    }
                }
            }
        } catch (Exception e) {
            return; // the verifier reads the file again and reports what is wrong with it
        }
        if (pinned.isEmpty()) {
            return;
        }
        List<NamedFactory<Signature>> algorithms = new ArrayList<>(client.getSignatureFactories());
        algorithms.sort(Comparator.comparingInt(f -> pinned.contains(KeyUtils.getCanonicalKeyType(f.getName())) ? 0 : 1));
        client.setSignatureFactories(algorithms);
    }

    boolean isOpen() {
        return session.isOpen() && session.isAuthenticated();
    }

    /** Runs one of the fixed commands; {@code strict}: a non-zero exit status is a failure. */
    String run(String command, CheckContext context, boolean strict) throws Exception {
        Result r = exec(command, context);
        if (strict && (r.status() == null || r.status() != 0)) {
            throw HostCommands.failure(command + " on " + target.where(), r.err());
        }
        return r.out();
    }

    /** What one command printed and how it ended; the caller judges the exit status. */
    record Result(String out, String err, Integer status) {
    }

    /** Runs one of the fixed commands and returns its output and exit status, whatever the status. */
    Result exec(String command, CheckContext context) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec channel = session.createExecChannel(command)) {
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(context.remaining());
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), context.remaining());
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                throw new ProbeException(ProbeErrors.TIMEOUT, "'" + command + "' on " + target.where()
                        + " did not finish before the deadline");
            }
            return new Result(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                    channel.getExitStatus());
        }
    }

    /**
     * Runs a {@code cat} of one file and gives its output to {@code body} as it arrives. The channel is closed at the
     * deadline, so a read that hangs (a stuck NFS mount) ends; then, and when cat failed, the body's verdict on the
     * bytes it got does not count: a short read is not a short file.
     */
    <T> T stream(String command, String path, CheckContext context, HostReader.StreamBody<T> body) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ChannelExec channel = session.createExecChannel(command);
        try {
            channel.setErr(err);
            channel.open().verify(context.remaining());
            CompletableFuture.delayedExecutor(Math.max(1, context.remaining().toMillis()), TimeUnit.MILLISECONDS)
                    .execute(() -> channel.close(true));
            EndAware in = new EndAware(channel.getInvertedOut());
            T result;
            try {
                result = body.apply(in);
            } catch (java.io.IOException e) {
                throw failedRead(channel, err, path, context, e);
            }
            if (!in.ended) {
                // the body has what it needs (a plain dump without the gzip magic, a whole gzip member whose end the
                // decompressor saw before the stream's): cat's remaining output is not waited for
                return result;
            }
            ProbeException failed = failedRead(channel, err, path, context, null);
            if (failed != null) {
                throw failed;
            }
            return result;
        } finally {
            // at once, not gracefully: a graceful close would wait for a cat still blocked on a full window
            channel.close(true);
        }
    }

    /** Why a streamed read stopped short, or null when cat finished with status 0 in time. */
    private ProbeException failedRead(ChannelExec channel, ByteArrayOutputStream err, String path, CheckContext context,
            Exception cause) {
        Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED),
                Math.max(1, context.remaining().toMillis()));
        if (events.contains(ClientChannelEvent.TIMEOUT) || context.remaining().toMillis() <= 0) {
            return new ProbeException(ProbeErrors.TIMEOUT, "reading " + path + " on " + target.where() + " did not "
                    + "finish before the deadline; give a longer --timeout for large files");
        }
        Integer status = channel.getExitStatus();
        if (status == null || status != 0) {
            return HostCommands.failure("cat " + path + " on " + target.where(), err.toString(StandardCharsets.UTF_8));
        }
        return cause == null ? null : new ProbeException(ProbeErrors.PROBE_FAILED, "reading " + path + " on "
                + target.where() + " failed: " + cause.getClass().getSimpleName());
    }

    /** Remembers whether the reader saw the end of the stream, i.e. whether cat's exit status tells the outcome. */
    private static final class EndAware extends java.io.FilterInputStream {
        volatile boolean ended;

        EndAware(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws java.io.IOException {
            int b = super.read();
            ended |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            int n = super.read(b, off, len);
            ended |= n < 0;
            return n;
        }
    }

    String where() {
        return target.where();
    }

    @Override
    public void close() {
        closeQuietly(session);
        client.stop();
    }

    private static void closeQuietly(ClientSession s) {
        if (s != null) {
            try {
                s.close(true);
            } catch (RuntimeException e) {
                // closing a session being discarded
            }
        }
    }

    private static List<KeyPair> identities(HostTarget target, Optional<Secret> password) throws Exception {
        List<Path> files = new ArrayList<>();
        if (target.identity().isPresent()) {
            Path f = target.identity().get();
            if (!Files.isReadable(f)) {
                throw new ProbeException(ProbeErrors.AUTH_FAILED, "cannot read the identity file " + f
                        + " given with ?identity=");
            }
            files.add(f);
        } else {
            Path dir = Path.of(System.getProperty("user.home"), ".ssh");
            DEFAULT_KEYS.stream().map(dir::resolve).filter(Files::isReadable).forEach(files::add);
        }
        FilePasswordProvider passphrase = password.map(p -> FilePasswordProvider.of(p.reveal()))
                .orElse(FilePasswordProvider.EMPTY);
        List<KeyPair> keys = new ArrayList<>();
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(f.toString()), in,
                        passphrase);
                if (loaded != null) {
                    loaded.forEach(keys::add);
                }
            } catch (Exception e) {
                if (target.identity().isPresent()) {
                    // never the library's message: some quote what they tried
                    throw new ProbeException(ProbeErrors.AUTH_FAILED, "cannot load the private key " + f + " ("
                            + (password.isPresent() ? "wrong passphrase, or not an OpenSSH/PEM private key"
                                    : "it is encrypted: give its passphrase with --password-env, --password-file or "
                                            + "OPSDOC_PASSWORD") + ")");
                }
                // a default key we cannot open is skipped, as ssh does
            }
        }
        return keys;
    }

    private static Exception translate(Exception e, HostTarget target, KeyVerdict verdict, boolean noKeys) {
        if (e instanceof ProbeException) {
            return e;
        }
        String name = target.knownHostsName();
        String file = target.knownHosts().toString();
        if (verdict != null && verdict.kind().equals("unknown")) {
            return new ProbeException(HostTransportCode.SSH_HOST_KEY_UNKNOWN.declaration(), "the host key of " + name
                    + " (" + verdict.offered() + ") is not in " + file + "; refused. Check the fingerprint with the "
                    + "host's admin, then add it: ssh-keyscan -p " + target.port() + " " + target.host() + " >> " + file);
        }
        if (verdict != null && verdict.kind().equals("other-type")) {
            String type = verdict.offered().split(" ")[0];
            return new ProbeException(HostTransportCode.SSH_HOST_KEY_UNKNOWN.declaration(), file
                    + (verdict.line() > 0 ? " line " + verdict.line() : "") + " pins " + verdict.expected() + " for "
                    + name + ", but the server offers only " + verdict.offered() + "; refused. Check that fingerprint "
                    + "with the host's admin, then add it: ssh-keyscan -t " + type + " -p " + target.port() + " "
                    + target.host() + " >> " + file);
        }
        if (verdict != null) {
            return new ProbeException(HostTransportCode.SSH_HOST_KEY_CHANGED.declaration(), "the host key of " + name
                    + " CHANGED: " + file + (verdict.line() > 0 ? " line " + verdict.line() : "") + " has "
                    + verdict.expected() + ", the server offers " + verdict.offered() + "; refused. If the host was "
                    + "reinstalled on purpose: ssh-keygen -R '" + name + "' -f " + file + ", then add the new key; "
                    + "otherwise treat it as a possible man-in-the-middle");
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("No more authentication methods") || m.toLowerCase(java.util.Locale.ROOT).contains("auth")) {
            return new ProbeException(ProbeErrors.AUTH_FAILED, target.where() + " refused the login"
                    + (noKeys ? " (no key: give one with ?identity=FILE, or load it into an ssh-agent)"
                            : " (is the public key in ~" + target.user() + "/.ssh/authorized_keys, and the account "
                                    + "not locked?)"));
        }
        if (hasCause(e, org.apache.sshd.common.session.helpers.MissingAttachedSessionException.class)) {
            // the peer hung up before MINA attached a session to the socket: a reset that lost the race to be seen
            // as one (the fault matrix's reset server hits it now and then)
            return new ProbeException(ProbeErrors.CONNECTION_RESET, target.where() + " accepted the connection, then "
                    + "closed it before the SSH handshake (crashing or overloaded sshd, MaxStartups, or a firewall "
                    + "cutting it)");
        }
        if (hasCause(e, java.io.StreamCorruptedException.class) || m.contains("Incorrect identification")) {
            // what the server sent is not an SSH identification line ("SSH-2.0-..."); its bytes stay out of the
            // message, which would otherwise carry whatever the port answered
            return new ProbeException(ProbeErrors.PROTOCOL_ERROR, target.where() + " answered, but not with the SSH "
                    + "identification line (SSH-2.0-...): something other than an SSH server listens on that port");
        }
        if (m.contains("Session is being closed") || m.contains("Session is closed")) {
            // the same race one step later: MINA attached the session, then the peer's close arrived while the key
            // exchange was being written (the fault matrix's reset column hits it now and then)
            return new ProbeException(ProbeErrors.CONNECTION_RESET, target.where() + " closed the connection during "
                    + "the SSH handshake (crashing or overloaded sshd, MaxStartups, or a firewall cutting it)");
        }
        if (m.toLowerCase(java.util.Locale.ROOT).contains("timeout") || m.contains("timed out")) {
            return new ProbeException(ProbeErrors.TIMEOUT, "the SSH login to " + target.where()
                    + " did not complete before the deadline (the port accepted the connection; the server or this "
                    + "machine is slow, or it is not an SSH server)");
        }
        return e;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(PublicKey key) {
        return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
    }

    private static int lineOf(Path knownHosts, KnownHostEntry entry) {
        try {
            List<String> lines = Files.readAllLines(knownHosts);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).strip().equals(entry.getConfigLine().strip())) {
                    return i + 1;
                }
            }
        } catch (Exception e) {
            // the line number is a convenience
        }
        return 0;
    }

}
