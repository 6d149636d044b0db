package org.hashdb.client.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.hashdb.client.HashDbException;
import org.hashdb.client.HashLookup;
import org.hashdb.client.LookupResult;
import org.hashdb.client.Match;
import org.hashdb.client.Query;
import org.hashdb.client.VideoMatch;
import org.hashdb.core.content.FileHasher;
import org.hashdb.core.content.FileHashes;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.video.VideoDecodeException;
import org.hashdb.core.video.VideoMagic;
import org.hashdb.core.video.VpdqFrame;
import org.hashdb.core.video.VpdqFrames;

/**
 * Scans trees: walks them on the calling thread, hashes regular files on {@code threads} workers,
 * and looks the hashes up in batches of about {@code batchQueries} through a {@link HashLookup}
 * (a few batches in flight, so hashing does not wait for the network). One-shot: create, {@link
 * #run}, read {@link #progress} from any thread meanwhile.
 *
 * <p>Robustness on real trees: symlinks are skipped unless followed, and followed ones are loop
 * checked; FIFOs, sockets and devices are skipped and never opened; a file that vanishes is
 * skipped, one that cannot be read is reported and counted, one that changes while it is read is
 * read again once and else reported; content is streamed (constant memory for any size). A lookup
 * failure (the server is down after retries, the key is refused) stops the scan: its results
 * would be incomplete.
 */
public final class TreeScanner {
  private final ScanOptions options;
  private final HashLookup lookup;
  private final ScanListener listener;
  private final HashCache cache; // null when not caching
  private final int typesMask;
  private final List<PathMatcher> excludes = new ArrayList<>();
  private final LinkOption[] linkOptions;
  private final OpenOption[] openOptions;

  private final LongAdder filesDone = new LongAdder();
  private final LongAdder bytesDone = new LongAdder();
  private final LongAdder filesChecked = new LongAdder();
  private final LongAdder bytesChecked = new LongAdder();
  private final LongAdder hashedFiles = new LongAdder();
  private final LongAdder cachedFiles = new LongAdder();
  private final LongAdder skipped = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder matches = new LongAdder();
  private final LongAdder matchedFiles = new LongAdder();
  private final LongAdder totalFiles = new LongAdder();
  private final LongAdder totalBytes = new LongAdder();
  private volatile boolean totalKnown;
  private final AtomicReference<String> failure = new AtomicReference<>();
  private final java.util.Map<String, Long> skippedReasons = new java.util.LinkedHashMap<>(); // guarded by itself
  private volatile long startNanos = System.nanoTime();

  private final ThreadLocal<FileHasher> hashers;
  private final VideoScanning video;
  private final Semaphore decodes; // bounds concurrent FFmpeg processes
  private final Set<Path> videoMatched = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private LookupBatcher batcher;

  /**
   * @param cache the hash cache to consult and update (the caller opens and closes it), or null
   */
  public TreeScanner(ScanOptions options, HashLookup lookup, ScanListener listener, HashCache cache) {
    this(options, lookup, listener, cache, VideoScanning.defaults());
  }

  /** With explicit video settings (used when the types include vpdq). */
  public TreeScanner(ScanOptions options, HashLookup lookup, ScanListener listener, HashCache cache,
      VideoScanning video) {
    this.video = java.util.Objects.requireNonNull(video, "video");
    this.decodes = new Semaphore(video.maxConcurrentDecodes());
    this.options = options;
    this.lookup = lookup;
    this.listener = listener;
    this.cache = cache;
    int mask = 0;
    for (HashType t : options.types()) {
      mask |= 1 << t.ordinal();
    }
    this.typesMask = mask;
    for (String glob : options.excludes()) {
      excludes.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
    }
    this.linkOptions = options.followSymlinks() ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    this.openOptions = options.followSymlinks()
        ? new OpenOption[] {StandardOpenOption.READ}
        : new OpenOption[] {StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS};
    Set<HashType> types = EnumSet.copyOf(options.types());
    this.hashers = ThreadLocal.withInitial(() -> new FileHasher(types));
  }

  /** Counters of the running scan; callable from any thread. */
  public ScanProgress progress() {
    return new ScanProgress(filesDone.sum(), bytesDone.sum(), totalFiles.sum(), totalBytes.sum(), totalKnown,
        errors.sum(), matches.sum(), System.nanoTime() - startNanos);
  }

  /** Scans every root; returns when every file is checked or the scan was stopped by a failure. */
  public ScanSummary run() throws InterruptedException {
    startNanos = System.nanoTime();
    batcher = new LookupBatcher();
    Thread counter = null;
    if (options.countFirst()) {
      counter = new Thread(this::countAll, "hashdb-scan-count");
      counter.setDaemon(true);
      counter.start();
    }
    int threads = options.threads();
    AtomicInteger n = new AtomicInteger();
    ExecutorService workers = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "hashdb-scan-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    Semaphore queued = new Semaphore(threads * 8); // bounds walked-but-not-hashed files
    try {
      for (Path root : options.roots()) {
        if (failure.get() != null) {
          break;
        }
        walk(root, workers, queued);
      }
      workers.shutdown();
      while (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
        // the last files are being hashed
      }
      batcher.finish();
    } catch (InterruptedException e) {
      failure.compareAndSet(null, "interrupted");
      workers.shutdownNow();
      throw e;
    } finally {
      if (counter != null) {
        counter.interrupt();
      }
    }
    java.util.Map<String, Long> reasons;
    synchronized (skippedReasons) {
      reasons = new java.util.LinkedHashMap<>(skippedReasons);
    }
    return new ScanSummary(filesChecked.sum(), bytesChecked.sum(), hashedFiles.sum(), cachedFiles.sum(),
        skipped.sum(), errors.sum(), matches.sum(), matchedFiles.sum(),
        Duration.ofNanos(System.nanoTime() - startNanos), failure.get(), reasons);
  }

  /**
   * Stops the scan from any thread (a signal handler): no new file is started, files being read
   * are abandoned, lookups in flight are awaited; {@link #run} then returns a summary marked
   * incomplete with {@code reason}.
   */
  public void stop(String reason) {
    failure.compareAndSet(null, reason);
  }

  private void skip(String reason) {
    skipped.increment();
    synchronized (skippedReasons) {
      skippedReasons.merge(reason, 1L, Long::sum);
    }
  }

  /** True when the scan ran to the end with no lookup failure (so the cache may be compacted). */
  public boolean completed() {
    return failure.get() == null;
  }

  private Path startOf(Path root) {
    // A root that is a symlink is followed (like find -H): the user named it.
    try {
      if (Files.isSymbolicLink(root)) {
        return root.toRealPath();
      }
    } catch (IOException e) {
      // fall through: the walk reports it
    }
    return root;
  }

  private void walk(Path root, ExecutorService workers, Semaphore queued) throws InterruptedException {
    Path start = startOf(root);
    Set<FileVisitOption> opts = options.followSymlinks() ? EnumSet.of(FileVisitOption.FOLLOW_LINKS) : EnumSet.noneOf(FileVisitOption.class);
    InterruptedException[] interrupted = new InterruptedException[1];
    try {
      Files.walkFileTree(start, opts, Integer.MAX_VALUE, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          if (failure.get() != null) {
            return FileVisitResult.TERMINATE;
          }
          return !dir.equals(start) && excluded(start, dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (failure.get() != null) {
            return FileVisitResult.TERMINATE;
          }
          if (!file.equals(start) && excluded(start, file)) {
            skip(EXCLUDED);
            return FileVisitResult.CONTINUE;
          }
          if (!attrs.isRegularFile()) {
            problem(file, attrs.isSymbolicLink() ? SYMLINK : SPECIAL, false);
            return FileVisitResult.CONTINUE;
          }
          try {
            queued.acquire();
          } catch (InterruptedException e) {
            interrupted[0] = e;
            return FileVisitResult.TERMINATE;
          }
          workers.execute(() -> {
            try {
              process(file, attrs);
            } finally {
              queued.release();
            }
          });
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          if (e instanceof FileSystemLoopException) {
            problem(file, "symlink loop, not followed again", false);
          } else if (e instanceof NoSuchFileException && !file.equals(start)) {
            problem(file, "vanished during the scan", false);
          } else {
            problem(file, describe(e), true);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
          if (e != null) {
            problem(dir, "directory not fully read: " + describe(e), true);
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) { // the visitor never throws; only the start can fail this way
      problem(root, describe(e), true);
    }
    if (interrupted[0] != null) {
      throw interrupted[0];
    }
  }

  /** Skip reasons, as the summary and report give them. */
  static final String EXCLUDED = "excluded by --exclude";
  static final String SYMLINK = "symbolic link, not followed (--follow-symlinks follows links)";
  static final String SPECIAL = "not a regular file (FIFO, socket or device): never opened";

  private boolean excluded(Path root, Path p) {
    if (excludes.isEmpty()) {
      return false;
    }
    Path rel = root.relativize(p);
    Path name = p.getFileName();
    for (PathMatcher m : excludes) {
      if (m.matches(rel) || (name != null && m.matches(name))) {
        return true;
      }
    }
    return false;
  }

  /** Hashes (or takes from the cache) one regular file and queues its lookups. Worker thread. */
  private void process(Path file, BasicFileAttributes walked) {
    if (failure.get() != null) {
      return;
    }
    String imageProblem = null;
    try {
      FileStamp stamp = FileStamp.read(file, linkOptions);
      long size = stamp.size();
      String key = cache == null ? null : ReportPath.key(file);
      FileHashes hashes = cache == null ? null : cache.get(key, stamp, typesMask);
      if (hashes != null) {
        cachedFiles.increment();
        bytesDone.add(size);
      } else {
        Hashed h = hashStable(file, stamp);
        if (h == null) {
          problem(file, "changed while being read (twice); not checked", true);
          return;
        }
        hashes = h.hashes();
        size = hashes.size();
        hashedFiles.increment();
        imageProblem = h.imageProblem();
        if (cache != null && imageProblem == null) { // not cached: the next scan tries PDQ again
          cache.put(key, h.stamp(), typesMask, hashes);
        }
      }
      filesDone.increment();
      List<Query> queries = Query.forHashes(hashes, options.pdqMaxDistance());
      if (hashes.pdq() != null && hashes.pdqQuality() < options.minPdqQuality()) {
        queries.removeIf(q -> q.type() == HashType.PDQ); // featureless picture: its PDQ hash is noise
      }
      String videoProblem = null;
      if (options.types().contains(HashType.VPDQ) && VideoMagic.looksLikeVideo(file)) {
        try {
          checkVideo(file, size);
        } catch (VideoDecodeException e) {
          videoProblem = e.getMessage();
        }
      }
      batcher.add(file, size, queries);
      if (imageProblem != null) {
        // exact hashes were looked up, but the picture was not compared: never "clean"
        problem(file, imageProblem, true);
      }
      if (videoProblem != null) {
        problem(file, "video not checked: " + videoProblem, true); // never reported as clean
      }
    } catch (ScanStopped e) {
      // stopped while reading: the file is neither checked nor an error
    } catch (NoSuchFileException e) {
      problem(file, "vanished during the scan", false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      problem(file, describe(e), true);
    } catch (OutOfMemoryError e) {
      // this file's hashing failed; the scan goes on with the next one
      problem(file, "not checked: " + e, true);
    }
  }

  /** Thrown into a file's read when the scan is stopped. */
  private static final class ScanStopped extends IOException {
    private static final long serialVersionUID = 1L;

    ScanStopped() {
      super("scan stopped");
    }
  }

  /**
   * Decodes a video (at most {@code maxConcurrentDecodes} at once) and looks its frames up,
   * reporting each matched stored video. Worker thread. A lookup failure stops the scan.
   */
  private void checkVideo(Path file, long size) throws IOException, InterruptedException {
    List<VpdqFrame> frames;
    decodes.acquire();
    try {
      frames = video.hasher().hash(file);
    } finally {
      decodes.release();
    }
    List<VideoMatch> found;
    try {
      found = lookup.lookupVideo(frames, video.matchOptions());
    } catch (HashDbException e) {
      failure.compareAndSet(null, "lookup failed: " + e.getMessage());
      return;
    }
    if (found.isEmpty()) {
      return;
    }
    videoMatched.add(file);
    matchedFiles.increment();
    ReportPath path = ReportPath.of(file);
    String digest = Hex.encode(VpdqFrames.digest(VpdqFrames.canonical(frames, VpdqFrames.DEFAULT_MIN_QUALITY)));
    for (VideoMatch m : found) {
      matches.increment();
      listener.onMatch(new FileMatch(path, size, HashType.VPDQ, digest,
          new Match(m.entry(), m.list(), m.category(), 0), m));
    }
  }

  /** Counts bytes as they are read, so progress moves during a huge file too; ends when stopped. */
  private final class CountingInputStream extends java.io.FilterInputStream {
    private final LongAdder counter;

    CountingInputStream(InputStream in, LongAdder counter) {
      super(in);
      this.counter = counter;
    }

    @Override
    public int read() throws IOException {
      if (failure.get() != null) {
        throw new ScanStopped();
      }
      int b = super.read();
      if (b >= 0) {
        counter.increment();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (failure.get() != null) {
        throw new ScanStopped();
      }
      int n = super.read(b, off, len);
      if (n > 0) {
        counter.add(n);
      }
      return n;
    }
  }

  /** Hashes of a file, the stamp they were validated against, and why PDQ is missing (or null). */
  private record Hashed(FileHashes hashes, FileStamp stamp, String imageProblem) {}

  /**
   * Hashes the file and checks it did not change meanwhile (the same {@link FileStamp} before and
   * after, and as many bytes read as its size); tries twice. Null when it kept changing.
   */
  private Hashed hashStable(Path file, FileStamp before) throws IOException {
    FileStamp stamp = before;
    for (int attempt = 0; attempt < 2; attempt++) {
      if (attempt > 0) {
        if (!Files.isRegularFile(file, linkOptions)) {
          throw new IOException("no longer a regular file");
        }
        stamp = FileStamp.read(file, linkOptions);
      }
      FileHashes h;
      FileHasher hasher = hashers.get();
      try (FileChannel ch = FileChannel.open(file, openOptions);
          InputStream in = new CountingInputStream(Channels.newInputStream(ch), bytesDone)) {
        h = hasher.hash(in);
      }
      if (h.size() == stamp.size() && FileStamp.read(file, linkOptions).equals(stamp)) {
        return new Hashed(h, stamp, hasher.imageProblem());
      }
    }
    return null;
  }

  private void problem(Path path, String message, boolean error) {
    if (error) {
      errors.increment();
    } else {
      skip(message);
    }
    listener.onProblem(new ScanProblem(ReportPath.of(path), message, error));
  }

  private static String describe(Throwable e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  /** The counting walk: totals for progress, no content read. */
  private void countAll() {
    try {
      for (Path root : options.roots()) {
        Path start = startOf(root);
        Set<FileVisitOption> opts = options.followSymlinks() ? EnumSet.of(FileVisitOption.FOLLOW_LINKS) : EnumSet.noneOf(FileVisitOption.class);
        Files.walkFileTree(start, opts, Integer.MAX_VALUE, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (Thread.currentThread().isInterrupted()) {
              return FileVisitResult.TERMINATE;
            }
            return !dir.equals(start) && excluded(start, dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && (file.equals(start) || !excluded(start, file))) {
              totalFiles.increment();
              totalBytes.add(attrs.size());
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE;
          }
        });
      }
      totalKnown = true;
    } catch (IOException e) {
      // progress only: the real walk reports problems
    }
  }

  /**
   * Collects queries from the workers into batches and looks them up, at most a few batches in
   * flight. The queries of one file always go in one batch, so a file's matches arrive together.
   */
  private final class LookupBatcher {
    private static final int MAX_IN_FLIGHT = 4;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private List<Query> queries = new ArrayList<>();
    private List<Pending> owners = new ArrayList<>(); // owners.get(i) asked queries.get(i)

    private record Pending(Path file, long size) {}

    void add(Path file, long size, List<Query> fileQueries) throws InterruptedException {
      List<Query> q;
      List<Pending> o;
      synchronized (this) {
        Pending p = new Pending(file, size);
        if (fileQueries.isEmpty()) { // --types pdq and not an image: nothing to look up
          filesChecked.increment();
          bytesChecked.add(size);
          return;
        }
        for (Query query : fileQueries) {
          queries.add(query);
          owners.add(p);
        }
        if (queries.size() < options.batchQueries()) {
          return;
        }
        q = queries;
        o = owners;
        queries = new ArrayList<>();
        owners = new ArrayList<>();
      }
      send(q, o);
    }

    private void send(List<Query> q, List<Pending> o) throws InterruptedException {
      inFlight.acquire();
      try {
        lookup.lookupAllAsync(q).whenComplete((results, error) -> {
          try {
            if (error != null) {
              fail(error);
            } else {
              deliver(q, o, results);
            }
          } finally {
            inFlight.release();
          }
        });
      } catch (RuntimeException e) {
        inFlight.release();
        fail(e);
      }
    }

    private void fail(Throwable error) {
      Throwable c = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
      String msg = c instanceof HashDbException ? c.getMessage() : String.valueOf(c);
      failure.compareAndSet(null, "lookup failed: " + msg);
    }

    private void deliver(List<Query> q, List<Pending> o, List<LookupResult> results) {
      Set<Pending> matched = new HashSet<>();
      Pending last = null;
      for (int i = 0; i < q.size(); i++) {
        Pending p = o.get(i);
        if (p != last) {
          filesChecked.increment();
          bytesChecked.add(p.size());
          last = p;
        }
        LookupResult r = results.get(i);
        if (r.match()) {
          ReportPath path = ReportPath.of(p.file());
          if (matched.add(p) && !videoMatched.contains(p.file())) { // counted by checkVideo
            matchedFiles.increment();
          }
          for (Match m : r.matches()) {
            matches.increment();
            listener.onMatch(new FileMatch(path, p.size(), r.type(), r.hash(), m));
          }
        }
      }
    }

    void finish() throws InterruptedException {
      List<Query> q;
      List<Pending> o;
      synchronized (this) {
        q = queries;
        o = owners;
        queries = new ArrayList<>();
        owners = new ArrayList<>();
      }
      if (!q.isEmpty() && failure.get() == null) {
        send(q, o);
      }
      inFlight.acquire(MAX_IN_FLIGHT); // every batch answered
      inFlight.release(MAX_IN_FLIGHT);
    }
  }
}
