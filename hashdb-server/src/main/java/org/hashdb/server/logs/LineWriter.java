package org.hashdb.server.logs;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;
import org.hashdb.core.disk.PrivateFiles;

/**
 * The machinery the audit and access logs share: a bounded lock-free queue of {@link Line}s from
 * any number of threads to one writer thread, which encodes them, appends them to
 * {@code dir/fileName} and rotates that file by size ({@code fileName.1} is the newest old one).
 *
 * <p>Producers never block and never take a lock: {@link #offer} is one atomic increment (the
 * bound) and one atomic swap (the queue, linked through the lines themselves, so no node is
 * allocated). The writer is not woken per line, which would cost a system call on the
 * producer's thread; it sleeps between batches, from 10 ms when busy up to 100 ms when idle. A
 * line offered when the queue is full, or after {@link #close}, is dropped and counted, and a
 * line saying how many were dropped is written once the writer catches up.
 */
public final class LineWriter {
  private static final System.Logger LOG = System.getLogger(LineWriter.class.getName());
  // a busy writer wakes every 10 ms: waking it per line (or per millisecond) would cost the
  // event loops more CPU than the writing does
  private static final long MIN_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final int BATCH = 4096; // lines between flushes at most

  /**
   * One record waiting to be written. A line is offered at most once: its {@code next} field
   * links it into the queue.
   */
  public abstract static class Line {
    private static final VarHandle NEXT;

    static {
      try {
        NEXT = MethodHandles.lookup().findVarHandle(Line.class, "next", Line.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    @SuppressWarnings("unused") // accessed through NEXT
    private Line next;

    /** Writes this record, its trailing newline included. Runs on the writer thread. */
    protected abstract void encode(ByteArrayOutputStream out) throws IOException;
  }

  /** The queue's end marker, offered once by {@link #close}. */
  private static final class Stop extends Line {
    @Override
    protected void encode(ByteArrayOutputStream out) {
      throw new AssertionError("the stop marker is never written");
    }
  }

  /** A line with nothing in it: the queue's initial head. */
  private static final class Stub extends Line {
    @Override
    protected void encode(ByteArrayOutputStream out) {
      throw new AssertionError("the stub is never written");
    }
  }

  private final Path dir;
  private final String fileName;
  private final long maxBytes;
  private final int maxFiles;
  private final int capacity;
  private final LongConsumer droppedCounter;
  private final LongFunction<Line> droppedLine; // the line reporting n dropped lines
  private final AtomicInteger size = new AtomicInteger(); // lines offered, not yet written
  private final AtomicReference<Line> tail; // producers swap themselves in here
  private Line head; // writer thread only: the last line taken (or the stub)
  private final AtomicLong dropped = new AtomicLong();
  private final Thread writer;
  private volatile boolean closed;
  // writer thread only
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream(512); // one encoded line
  private OutputStream out; // the current file
  private long fileSize; // bytes in the current file

  /**
   * Starts the writer thread of {@code dir/fileName}, creating {@code dir} if needed.
   *
   * @param capacity lines queued at most (>= 1)
   * @param droppedLine makes the line that reports {@code n} dropped lines
   */
  public LineWriter(Path dir, String fileName, long maxBytes, int maxFiles, int capacity,
      String threadName, LongConsumer droppedCounter, LongFunction<Line> droppedLine)
      throws IOException {
    if (maxBytes < 4096) {
      throw new IllegalArgumentException("maxBytes must be >= 4096, got " + maxBytes);
    }
    if (maxFiles < 1) {
      throw new IllegalArgumentException("maxFiles must be >= 1, got " + maxFiles);
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    PrivateFiles.createDirectories(dir);
    this.dir = dir;
    this.fileName = fileName;
    this.maxBytes = maxBytes;
    this.maxFiles = maxFiles;
    this.capacity = capacity;
    this.droppedCounter = droppedCounter;
    this.droppedLine = droppedLine;
    this.head = new Stub();
    this.tail = new AtomicReference<>(head);
    writer = new Thread(this::run, threadName);
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * Queues {@code line} for writing, or drops and counts it when the queue is full or closed.
   * Lock-free; safe from any thread; {@code line} must be new (never offered before).
   */
  public boolean offer(Line line) {
    if (closed) {
      return drop();
    }
    if (size.incrementAndGet() > capacity) {
      size.decrementAndGet();
      return drop();
    }
    link(line);
    return true;
  }

  private boolean drop() {
    dropped.incrementAndGet();
    droppedCounter.accept(1);
    return false;
  }

  private void link(Line line) {
    Line prev = tail.getAndSet(line);
    Line.NEXT.setRelease(prev, line); // until here the writer sees the queue end at prev
  }

  /** The next line, or null when none is (fully) linked yet. Writer thread only. */
  private Line poll() {
    Line h = head;
    Line next = (Line) Line.NEXT.getAcquire(h);
    if (next == null) {
      return null;
    }
    Line.NEXT.setOpaque(h, null); // h is no longer reachable from the queue: don't keep next alive
    head = next;
    return next;
  }

  private void run() {
    Path file = dir.resolve(fileName);
    try {
      out = open(file);
      fileSize = Files.size(file);
      long park = MIN_PARK_NANOS;
      boolean stop = false;
      while (!stop) {
        int taken = 0;
        Line l;
        while (taken < BATCH && (l = poll()) != null) {
          if (l instanceof Stop) {
            stop = true;
            break;
          }
          taken++;
          write(file, l);
        }
        if (taken > 0) {
          size.addAndGet(-taken);
        }
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
          write(file, droppedLine.apply(lost));
        }
        if (taken > 0 || lost > 0) {
          out.flush();
          park = MIN_PARK_NANOS;
        } else if (!stop) {
          LockSupport.parkNanos(this, park);
          park = Math.min(park * 2, MAX_PARK_NANOS);
          if (Thread.interrupted()) {
            break;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, fileName + " writer stopped: " + e.getMessage(), e);
    } finally {
      if (out != null) {
        try {
          out.close();
        } catch (IOException ignored) {
          // nothing left to do with a closing log file
        }
      }
    }
  }

  /** Encodes {@code l} and appends it, rotating first if it would not fit. */
  private void write(Path file, Line l) throws IOException {
    buf.reset();
    l.encode(buf);
    if (fileSize > 0 && fileSize + buf.size() > maxBytes) {
      out.close();
      out = null;
      rotate(file);
      out = open(file);
      fileSize = 0;
    }
    buf.writeTo(out);
    fileSize += buf.size();
  }

  private static OutputStream open(Path file) throws IOException {
    // mode 600 from creation: the audit log names what matched and for whom
    return new BufferedOutputStream(PrivateFiles.newOutputStream(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND), 64 << 10);
  }

  private void rotate(Path file) throws IOException {
    Files.deleteIfExists(dir.resolve(fileName + "." + maxFiles));
    for (int i = maxFiles - 1; i >= 1; i--) {
      Path from = dir.resolve(fileName + "." + i);
      if (Files.exists(from)) {
        Files.move(from, dir.resolve(fileName + "." + (i + 1)),
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(file, dir.resolve(fileName + ".1"), StandardCopyOption.REPLACE_EXISTING);
  }

  /** Writes what is queued and stops the writer (waits up to 10 s); idempotent. */
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    // after every line offered before closed was set (one racing with close may be lost)
    link(new Stop());
    LockSupport.unpark(writer);
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
