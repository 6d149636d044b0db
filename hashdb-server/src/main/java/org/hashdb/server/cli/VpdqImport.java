package org.hashdb.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.core.db.AddResult;
import org.hashdb.core.db.EntryValidator;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;
import org.hashdb.core.video.VpdqFrames;
import org.hashdb.core.video.VpdqText;

/**
 * {@code hashdb import --format vpdq FILE.txt...}: one video entry per vPDQ file. Every file is
 * read and checked first; a bad one rejects the whole import (nothing is added), as for lists.
 */
final class VpdqImport {
  /** Videos per database write. */
  private static final int BATCH = 256;

  private VpdqImport() {}

  static int run(Path dataDir, org.hashdb.core.db.DatabaseOptions options, String list, String category, String source, String first,
      List<String> more, String type, PrintWriter out, PrintWriter err) throws IOException {
    if (list == null || first == null) {
      err.println("hashdb import: --format vpdq needs --list NAME and at least one vPDQ FILE");
      return CliErrors.ERROR;
    }
    if (type != null && !type.equalsIgnoreCase("vpdq")) {
      err.println("hashdb import: --format vpdq imports vpdq entries, not --type " + type);
      return CliErrors.ERROR;
    }
    try {
      EntryValidator.checkListName(list);
    } catch (IllegalArgumentException e) {
      err.println("hashdb import: --list: " + e.getMessage());
      return CliErrors.ERROR;
    }
    List<String> files = new ArrayList<>();
    files.add(first);
    files.addAll(more);
    List<NewEntry> entries = new ArrayList<>(files.size());
    int bad = 0;
    for (String f : files) {
      String src = source.isEmpty() ? Path.of(f).getFileName().toString() : source;
      try {
        if (f.equals("-")) {
          throw new IOException("standard input is not supported for --format vpdq: name the files");
        }
        byte[] canonical = VpdqFrames.canonical(VpdqText.read(Path.of(f)), VpdqFrames.DEFAULT_MIN_QUALITY);
        if (canonical.length == 0) {
          throw new IOException("no frame of quality >= " + VpdqFrames.DEFAULT_MIN_QUALITY);
        }
        NewEntry e = NewEntry.video(canonical, list, category, src);
        EntryValidator.check(e);
        entries.add(e);
      } catch (NoSuchFileException e) {
        bad++;
        err.println("hashdb import: " + f + ": no such file");
      } catch (IOException | IllegalArgumentException e) { // HashFormatException included
        bad++;
        err.println("hashdb import: " + f + ": " + e.getMessage());
      }
    }
    if (bad > 0) {
      err.printf("hashdb import: %d bad file%s; nothing imported%n", bad, bad == 1 ? "" : "s");
      return CliErrors.ERROR;
    }
    long added = 0;
    long present = 0;
    long frames = 0;
    long sequence;
    Files.createDirectories(dataDir);
    try (HashDatabase db = HashDatabase.open(dataDir, options)) {
      for (int i = 0; i < entries.size(); i += BATCH) {
        List<NewEntry> batch = entries.subList(i, Math.min(entries.size(), i + BATCH));
        AddResult r = db.add(batch);
        added += r.added();
        present += r.alreadyPresent();
      }
      for (NewEntry e : entries) {
        frames += e.frames().length / 32;
      }
      sequence = db.sequence();
    }
    out.printf("added %d, already present %d, rejected 0 (list %s, sequence %d; %d videos, %d distinct frames)%n",
        added, present, list, sequence, entries.size(), frames);
    return 0;
  }
}
