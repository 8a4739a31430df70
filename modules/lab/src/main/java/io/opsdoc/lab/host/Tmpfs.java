package io.opsdoc.lab.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * A size- and inode-limited tmpfs in the lab's directory: the file system the disk scenarios fill. Small enough
 * that filling it costs nothing, and a tmpfs, so it never touches a real disk.
 */
final class Tmpfs implements AutoCloseable {
    static final long SIZE_BYTES = 10L * 1024 * 1024;
    static final int INODES = 200;

    private final Path mountPoint;
    private boolean mounted;

    Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    void mount() {
        try {
            Files.createDirectories(mountPoint);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Commands.run("mount", "-t", "tmpfs", "-o", "size=10m,nr_inodes=" + INODES + ",mode=755", "opsdoc-lab",
                mountPoint.toString());
        mounted = true;
    }

    Path path() {
        return mountPoint;
    }

    /** Writes one file so that the file system is {@code percent} full, as df counts it. */
    void fillTo(double percent) {
        write(mountPoint.resolve("fill.bin"), (long) (SIZE_BYTES * percent / 100));
    }

    /** Creates empty files until {@code percent} of the inodes are used (the root directory counts as one). */
    void useInodes(double percent) {
        int wanted = (int) Math.ceil(INODES * percent / 100) - 1;
        try {
            Path dir = mountPoint.resolve("inodes");
            Files.createDirectories(dir);
            for (int i = 1; i < wanted; i++) {
                Files.createFile(dir.resolve("f" + i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, long bytes) {
        ByteBuffer block = ByteBuffer.allocate(64 * 1024);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long left = bytes;
            while (left > 0) {
                block.clear().limit((int) Math.min(block.capacity(), left));
                left -= ch.write(block);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void readOnly(boolean ro) {
        Commands.run("mount", "-o", "remount," + (ro ? "ro" : "rw"), mountPoint.toString());
    }

    /** Back to empty and writable. */
    void clear() {
        if (!mounted) {
            return;
        }
        readOnly(false);
        try (Stream<Path> all = Files.list(mountPoint)) {
            for (Path p : all.toList()) {
                io.opsdoc.lab.support.LabFiles.deleteRecursively(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (mounted) {
            // lazy: a file a failed test left open must not keep the mount (and the lab dir) around
            Commands.quietly("umount", "-l", mountPoint.toString());
            mounted = false;
        }
    }
}
