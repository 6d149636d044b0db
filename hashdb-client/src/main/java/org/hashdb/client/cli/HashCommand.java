package org.hashdb.client.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.hashdb.core.hash.FileHasher;
import org.hashdb.core.hash.FileHashes;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.UnknownHashTypeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hashdb hash}: prints the hashes of files, locally (nothing is sent anywhere).
 * Directories are walked recursively; entries are visited in a stable order (sorted by name,
 * depth first). Symbolic links are followed; a directory reached twice on one path (a link
 * cycle) is skipped with a note.
 */
@Command(name = "hash", mixinStandardHelpOptions = true,
    description = {"Print the hashes of files (directories recursively, sorted by name).",
        "",
        "Text output, one line per file:",
        "  PATH  md5=HEX sha1=HEX sha256=HEX pdq=HEX q=QUALITY",
        "with only the requested types; pdq and q only for decodable images",
        "(JPEG, PNG, GIF, BMP, WebP, TIFF). PDQ hashes with q below 50 are",
        "unreliable. For file names with unusual characters use --json.",
        "",
        "--json: one object per line with keys file, size, md5, sha1, sha256,",
        "pdq, pdqQuality (keys of types not requested, and the pdq keys of",
        "non-images, are absent).",
        "",
        "Files that cannot be read, and images too large to decode for pdq (over the",
        "decode budget, see -Dhashdb.maxDecodeBytes), are reported on stderr; the others",
        "are still hashed. Exit status: 0 all files hashed, 2 some file failed or usage error."},
    exitCodeOnInvalidInput = HashCommand.FAILED)
public final class HashCommand implements Callable<Integer> {
  /** Exit status when any file could not be hashed (and on usage errors). */
  public static final int FAILED = 2;

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Write one JSON object per line.")
  boolean json;

  @Option(names = "--types", split = ",", paramLabel = "TYPE",
      converter = HashTypeConverter.class,
      description = "Hash types to compute, comma-separated: md5, sha1, sha256, pdq "
          + "(default: all).")
  List<HashType> types;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories.")
  List<Path> paths;

  private PrintWriter out;
  private PrintWriter err;
  private JsonGenerator jsonOut;
  private FileHasher hasher;
  private EnumSet<HashType> selected;
  private final Set<Path> openDirectories = new HashSet<>(); // real paths on the current walk
  private int failures;

  public HashCommand() {}

  @Override
  public Integer call() throws IOException {
    out = spec.commandLine().getOut();
    err = spec.commandLine().getErr();
    selected = types == null || types.isEmpty()
        ? EnumSet.allOf(HashType.class) : EnumSet.copyOf(types);
    hasher = new FileHasher(selected);
    if (json) {
      jsonOut = new JsonFactory().createGenerator(out);
      jsonOut.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      jsonOut.setRootValueSeparator(null);
    }
    try {
      for (Path p : paths) {
        visit(p);
      }
    } finally {
      if (jsonOut != null) {
        jsonOut.close();
      }
      out.flush();
      err.flush();
    }
    return failures == 0 ? 0 : FAILED;
  }

  private void visit(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      hashFile(path);
      return;
    }
    Path real;
    List<Path> children = new ArrayList<>();
    try {
      real = path.toRealPath();
      if (!openDirectories.add(real)) {
        err.println("hash: " + path + ": skipped, directory cycle through a symbolic link");
        return;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
        entries.forEach(children::add);
      }
    } catch (IOException e) {
      fail(path, e);
      return;
    }
    children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    try {
      for (Path child : children) {
        visit(child);
      }
    } finally {
      openDirectories.remove(real);
    }
  }

  private void hashFile(Path path) throws IOException {
    FileHashes h;
    try {
      if (!Files.exists(path)) {
        throw new NoSuchFileException(path.toString(), null,
            Files.isSymbolicLink(path) ? "dangling symbolic link" : "no such file");
      }
      if (!Files.isRegularFile(path)) {
        // FIFOs and devices would block or never end.
        throw new IOException("not a regular file");
      }
      h = hasher.hash(path);
    } catch (IOException e) {
      fail(path, e);
      return;
    }
    if (jsonOut != null) {
      writeJson(path, h);
    } else {
      writeText(path, h);
    }
    if (hasher.imageProblem() != null) { // an image without its PDQ hash: not silently
      failures++;
      err.println("hash: " + path + ": no pdq hash: " + hasher.imageProblem());
    }
  }

  private void writeText(Path path, FileHashes h) {
    StringBuilder line = new StringBuilder(256).append(path).append(' ');
    for (HashType t : selected) {
      if (h.get(t) != null) {
        line.append(' ').append(t.apiName()).append('=').append(h.hex(t));
      }
    }
    if (h.pdq() != null) {
      line.append(" q=").append(h.pdqQuality());
    }
    out.println(line);
  }

  private void writeJson(Path path, FileHashes h) throws IOException {
    JsonGenerator g = jsonOut;
    g.writeStartObject();
    g.writeStringField("file", path.toString());
    g.writeNumberField("size", h.size());
    for (HashType t : selected) {
      if (h.get(t) != null) {
        g.writeStringField(t.apiName(), h.hex(t));
      }
    }
    if (h.pdq() != null) {
      g.writeNumberField("pdqQuality", h.pdqQuality());
    }
    g.writeEndObject();
    g.writeRaw('\n');
    g.flush();
  }

  private void fail(Path path, IOException e) {
    failures++;
    err.println("hash: " + path + ": " + describe(e));
  }

  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException n) {
      return n.getReason() != null ? n.getReason() : "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e.getClass() == IOException.class && e.getMessage() != null) {
      return e.getMessage();
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /** Parses hash type names for {@code --types}. */
  static final class HashTypeConverter implements CommandLine.ITypeConverter<HashType> {
    @Override
    public HashType convert(String value) {
      try {
        return HashType.parse(value.trim());
      } catch (UnknownHashTypeException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
