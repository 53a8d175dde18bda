package io.mpsecrets.support;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock every writer of a file that operators keep (a keyring) holds while it reads, changes and writes it, so
 * that two writers never both start from the same content and one's change is lost: an exclusive lock on a lock file
 * beside it ({@code <file>.lock}), which other processes honour, and a lock per file within this JVM (a file lock is
 * held by the process, so two threads of one JVM would both get it). Reentrant within a thread.
 *
 * <p>The lock file stays after the lock is released: deleting it could let a waiter lock a file that is gone while a
 * newcomer locks a new one, both believing they hold the lock. It holds nothing and is owner-only.
 */
public final class WriterLock implements AutoCloseable {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final ReentrantLock inJvm;
    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(ReentrantLock inJvm, FileChannel channel, FileLock lock) {
        this.inJvm = inJvm;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of {@code file}: beside the file a chain of symbolic links ends at. */
    public static Path lockFileOf(Path file) throws IOException {
        Path target = AtomicFiles.throughLinks(file.toAbsolutePath());
        return target.resolveSibling(target.getFileName() + ".lock");
    }

    /**
     * Takes the writers' lock of {@code file}, waiting up to {@code wait}.
     *
     * @throws LockTimeoutException when another writer held it all that time
     * @throws IOException when the lock file cannot be created or locked
     */
    public static WriterLock acquire(Path file, Duration wait) throws IOException {
        Path lockFile = lockFileOf(file);
        ReentrantLock inJvm = IN_JVM.computeIfAbsent(lockFile, path -> new ReentrantLock());
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            if (!inJvm.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new LockTimeoutException(lockFile, wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockTimeoutException(lockFile, wait);
        }
        if (inJvm.getHoldCount() > 1) {
            return new WriterLock(inJvm, null, null); // this thread holds the file lock already
        }
        FileChannel channel = null;
        try {
            channel = open(lockFile);
            while (true) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // another class loader's copy of this class holds it in this JVM
                }
                if (lock != null) {
                    return new WriterLock(inJvm, channel, lock);
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new LockTimeoutException(lockFile, wait);
                }
                TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(channel);
            inJvm.unlock();
            throw new LockTimeoutException(lockFile, wait);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            inJvm.unlock();
            throw e;
        }
    }

    private static FileChannel open(Path lockFile) throws IOException {
        boolean posix = lockFile.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        if (Files.isSymbolicLink(lockFile) || (Files.exists(lockFile) && !Files.isRegularFile(lockFile))) {
            throw new IOException("the lock file " + lockFile + " is not a regular file");
        }
        return FileChannel.open(
                lockFile,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                attributes);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // releasing anyway
            }
        }
    }

    /** Releases the lock (the file lock with the outermost release in this thread). */
    @Override
    public void close() {
        try {
            if (lock != null) {
                try {
                    lock.release();
                } catch (IOException e) {
                    // closing the channel releases it too
                }
                closeQuietly(channel);
            }
        } finally {
            inJvm.unlock();
        }
    }

    /** Another writer held the lock for the whole wait. */
    public static final class LockTimeoutException extends IOException {
        private static final long serialVersionUID = 1L;

        LockTimeoutException(Path lockFile, Duration wait) {
            super("another writer held the lock " + lockFile + " for " + wait.toMillis() + " ms");
        }
    }
}
