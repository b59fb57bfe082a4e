package dev.btw.core.io;

import dev.btw.core.BtwException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock of one folder a process writes (a run directory, a feature store): the file {@value #FILE} in the
 * folder, held with an operating-system lock and holding the holder's process id and start time. A second writer
 * fails at once with a {@link BtwException} (exit status 2) naming the holder. The operating system drops the lock
 * when its process dies, even on {@code kill -9}: a lock file left by a dead process is taken over (and {@link
 * #takenOver()} names the process it came from). The file stays in the folder, empty once released.
 *
 * <p>The taking is atomic: it is the operating system's lock on the file that excludes, not the file's presence, so
 * two processes that see a stale lock at the same time cannot both take it. Within one JVM a folder is held once.
 */
public final class FolderLock implements AutoCloseable {

    /** The lock file's name in the folder it guards. */
    public static final String FILE = "btw.lock";

    private static final Map<Path, FolderLock> HELD = new ConcurrentHashMap<>();

    private final Path folder;
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final String takenOver;

    private FolderLock(Path folder, Path file, FileChannel channel, FileLock lock, String takenOver) {
        this.folder = folder;
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.takenOver = takenOver;
    }

    /**
     * Takes the lock of a folder (created when missing).
     *
     * @param folder the folder to write
     * @param what what the folder is, for the message ("run directory", "feature store")
     * @return the lock, to close when the writing is done
     * @throws BtwException naming the holder's process id and start time when another process holds it, or naming
     *     the folder and the cause when the lock file cannot be written
     */
    public static FolderLock acquire(Path folder, String what) {
        Path key = folder.toAbsolutePath().normalize();
        Path file = key.resolve(FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(key);
            channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = HELD.containsKey(key) ? self() + " (this process)" : holder(file);
                channel.close();
                throw new BtwException("the " + what + " " + folder + " is in use by another btw process: " + holder
                        + "; wait for it to finish or stop it (a lock of a process that died is taken over by "
                        + "itself; the lock file is " + file + ")");
            }
            String previous = read(channel).strip();
            String takenOver = previous.isEmpty() || previous.equals(self()) ? null : previous;
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((self() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            FolderLock held = new FolderLock(key, file, channel, lock, takenOver);
            HELD.put(key, held);
            return held;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new BtwException("cannot lock the " + what + " " + folder + ": " + FileErrors.describe(file, e), e);
        }
    }

    /**
     * @return the holder line of a stale lock this lock replaced ({@code pid P started T}), empty when the lock file
     *     was new or released
     */
    public Optional<String> takenOver() {
        return Optional.ofNullable(takenOver);
    }

    /** @return the lock file */
    public Path file() {
        return file;
    }

    /** Releases the lock and empties the lock file. */
    @Override
    public void close() {
        HELD.remove(folder, this);
        try {
            channel.truncate(0);
        } catch (IOException e) {
            // an unreadable holder line is treated as a free lock next time
        }
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel below drops it too
        }
        closeQuietly(channel);
    }

    /** @return this process's holder line: {@code pid P started T} */
    static String self() {
        ProcessHandle p = ProcessHandle.current();
        return "pid " + p.pid() + " started "
                + p.info().startInstant().map(Instant::toString).orElse("at an unknown time");
    }

    /** The holder line of a lock held elsewhere (it is written right after the lock is taken: wait a moment). */
    private static String holder(Path file) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                String s = Files.readString(file).strip();
                if (!s.isEmpty()) {
                    return s;
                }
                Thread.sleep(50);
            } catch (IOException e) {
                return "an unknown process (" + e.getMessage() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return "an unknown process";
    }

    private static String read(FileChannel channel) throws IOException {
        long size = Math.min(channel.size(), 4096);
        ByteBuffer b = ByteBuffer.allocate((int) size);
        channel.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }
}
