package org.hashdb.core.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A {@link FileIo} over the real file system that fails on demand, for tests and the crash
 * matrix: a disk that fills up after a byte budget ("No space left on device", part of the write
 * reaching the file as a real full disk does), failing writes (EIO) and failing fsyncs. Faults apply to files whose
 * name {@link #onlyFiles matches} (all by default). Thread-safe.
 */
public final class FaultInjectingFileIo implements FileIo {
  private final FileIo delegate;
  private volatile Predicate<Path> scope = p -> true;
  private final AtomicLong writeBudget = new AtomicLong(Long.MAX_VALUE); // bytes until "disk full"
  private volatile boolean failForce;
  private volatile boolean failWrites; // EIO: not a full disk
  // calls that still succeed before failForce / failWrites turn on (MAX_VALUE: never)
  private final AtomicLong forcesUntilFailure = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong writesUntilFailure = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong bytesWritten = new AtomicLong();
  private final AtomicLong forceCalls = new AtomicLong();
  private final AtomicLong writeFaults = new AtomicLong();
  private final AtomicLong forceFaults = new AtomicLong();
  private final AtomicLong writeCalls = new AtomicLong();

  public FaultInjectingFileIo() {
    this(FileIo.system());
  }

  public FaultInjectingFileIo(FileIo delegate) {
    this.delegate = delegate;
  }

  /** Faults only for files whose name matches; e.g. {@code p -> p.getFileName().toString().startsWith("snapshot-")}. */
  public FaultInjectingFileIo onlyFiles(Predicate<Path> filter) {
    this.scope = filter;
    return this;
  }

  /** The disk is full after {@code bytes} more bytes (0: full now). */
  public FaultInjectingFileIo diskFullAfter(long bytes) {
    writeBudget.set(bytes);
    return this;
  }

  /** Space is back: writes succeed again. */
  public FaultInjectingFileIo freeSpace() {
    writeBudget.set(Long.MAX_VALUE);
    return this;
  }

  /** Every fsync from now on fails with EIO (or succeeds again with {@code false}). */
  public FaultInjectingFileIo failFsync(boolean on) {
    this.failForce = on;
    return this;
  }

  /** Every write from now on fails with EIO, which is not a full disk (or succeeds again). */
  public FaultInjectingFileIo failWrites(boolean on) {
    this.failWrites = on;
    return this;
  }

  /** After {@code calls} more successful fsyncs in scope, every fsync fails (0: the next one). */
  public FaultInjectingFileIo failFsyncAfter(long calls) {
    forcesUntilFailure.set(calls);
    return this;
  }

  /** After {@code calls} more successful writes in scope, every write fails with EIO (0: the next one). */
  public FaultInjectingFileIo failWritesAfter(long calls) {
    writesUntilFailure.set(calls);
    return this;
  }

  /** Bytes written to files in scope so far. */
  public long bytesWritten() {
    return bytesWritten.get();
  }

  /** fsync calls in scope so far (failed or not). */
  public long fsyncCalls() {
    return forceCalls.get();
  }

  /** Writes refused so far. */
  public long writeFaults() {
    return writeFaults.get();
  }

  /** fsyncs failed so far. */
  public long fsyncFaults() {
    return forceFaults.get();
  }

  /** Write calls in scope so far (failed or not). */
  public long writeCalls() {
    return writeCalls.get();
  }

  @Override
  public void write(Path file, FileChannel ch, ByteBuffer buf, long position) throws IOException {
    if (!scope.test(file)) {
      delegate.write(file, ch, buf, position);
      return;
    }
    writeCalls.incrementAndGet();
    if (!failWrites && countDown(writesUntilFailure)) {
      failWrites = true;
    }
    if (failWrites) {
      writeFaults.incrementAndGet();
      throw new IOException("Input/output error (injected write failure)");
    }
    while (true) {
      long budget = writeBudget.get();
      int n = buf.remaining();
      if (budget >= n) {
        if (budget == Long.MAX_VALUE || writeBudget.compareAndSet(budget, budget - n)) {
          delegate.write(file, ch, buf, position);
          bytesWritten.addAndGet(n);
          return;
        }
        continue;
      }
      if (writeBudget.compareAndSet(budget, 0)) {
        // like a real full disk: what fits is written, then the write fails
        ByteBuffer part = buf.duplicate();
        part.limit(part.position() + (int) budget);
        delegate.write(file, ch, part, position);
        bytesWritten.addAndGet(budget);
        writeFaults.incrementAndGet();
        throw new IOException("No space left on device (injected)");
      }
    }
  }

  @Override
  public void force(Path file, FileChannel ch) throws IOException {
    if (!scope.test(file)) {
      delegate.force(file, ch);
      return;
    }
    forceCalls.incrementAndGet();
    if (!failForce && countDown(forcesUntilFailure)) {
      failForce = true;
    }
    if (failForce) {
      forceFaults.incrementAndGet();
      throw new IOException("Input/output error (injected fsync failure)");
    }
    delegate.force(file, ch);
  }

  /** Counts one call off {@code left}; true once, when it was already 0 (the fault starts now). */
  private static boolean countDown(AtomicLong left) {
    long v = left.getAndUpdate(x -> x == Long.MAX_VALUE ? x : x == 0 ? Long.MAX_VALUE : x - 1);
    return v == 0;
  }
}
