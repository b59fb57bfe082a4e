package dev.btw.core.io;

import java.nio.file.Path;

/** A second process for {@link FolderLockTest}: takes a folder's lock, says so, and holds it until killed. */
public final class FolderLockHolder {

    private FolderLockHolder() {}

    /**
     * @param args the folder
     * @throws InterruptedException never in practice: the test kills this process
     */
    public static void main(String[] args) throws InterruptedException {
        FolderLock lock = FolderLock.acquire(Path.of(args[0]), "run directory");
        System.out.println("locked " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(120_000);
        lock.close();
    }
}
