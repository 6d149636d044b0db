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
import org.hashdb.core.content.FileHasher;
import org.hashdb.core.content.FileHashes;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.hash.UnknownHashTypeException;
import org.hashdb.core.video.VideoDecodeException;
import org.hashdb.core.video.VideoHasher;
import org.hashdb.core.video.VideoMagic;
import org.hashdb.core.video.VpdqFrame;
import org.hashdb.core.video.VpdqFrames;
import org.hashdb.core.video.VpdqText;
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
        "Videos (recognised by their first bytes: MP4/MOV, Matroska/WebM, AVI,",
        "FLV, ASF, MPEG-PS/TS) are decoded with FFmpeg, one frame per second, and",
        "get  vpdq=DIGEST frames=N  (DIGEST identifies the set of frame hashes).",
        "",
        "--json: one object per line with keys file, size, md5, sha1, sha256,",
        "pdq, pdqQuality (keys of types not requested, and the pdq keys of",
        "non-images, are absent); for videos also vpdq and frames, an array of",
        "{frame, quality, pdq, timestamp}.",
        "",
        "--vpdq VIDEO: write the video's frames as vPDQ text (Meta's format, one",
        "line per frame: frame_number,quality,pdq_hex,timestamp), e.g.",
        "  hashdb hash --vpdq clip.mp4 > clip.txt",
        "A video that cannot be decoded (or FFmpeg missing) is an error.",
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
      description = "Hash types to compute, comma-separated: md5, sha1, sha256, pdq, vpdq "
          + "(default: all; vpdq decodes videos with FFmpeg).")
  List<HashType> types;

  @Option(names = "--vpdq", description = "Write one video's vPDQ text (frame_number,quality,pdq_hex,timestamp per line).")
  boolean vpdq;

  @Option(names = "--seconds-per-frame", paramLabel = "S",
      description = "Videos: seconds between hashed frames (default 1, as vPDQ; 0 = every frame).")
  double secondsPerFrame = 1.0;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories.")
  List<Path> paths;

  private PrintWriter out;
  private PrintWriter err;
  private JsonGenerator jsonOut;
  private FileHasher hasher;
  private VideoHasher videoHasher;
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
    if (secondsPerFrame < 0 || secondsPerFrame > 3600 || Double.isNaN(secondsPerFrame)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--seconds-per-frame must be in 0..3600");
    }
    videoHasher = new VideoHasher(VideoHasher.Options.defaults().withSecondsPerHash(secondsPerFrame));
    if (vpdq) {
      return writeVpdq();
    }
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

  /** {@code --vpdq VIDEO}: the frames as vPDQ text on stdout, nothing else. */
  private int writeVpdq() {
    if (paths.size() != 1 || json || types != null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--vpdq takes exactly one video and no --json or --types");
    }
    Path video = paths.get(0);
    try {
      if (!Files.isRegularFile(video)) {
        throw new NoSuchFileException(video.toString(), null, "no such file");
      }
      List<VpdqFrame> frames = videoHasher.hash(video);
      VpdqText.write(frames, out);
      return 0;
    } catch (IOException e) {
      fail(video, e);
      return FAILED;
    } finally {
      out.flush();
      err.flush();
    }
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
    List<VpdqFrame> frames = null;
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
      if (selected.contains(HashType.VPDQ) && VideoMagic.looksLikeVideo(path)) {
        frames = videoHasher.hash(path);
      }
    } catch (IOException e) {
      fail(path, e);
      return;
    }
    if (jsonOut != null) {
      writeJson(path, h, frames);
    } else {
      writeText(path, h, frames);
    }
    if (hasher.imageProblem() != null) { // an image without its PDQ hash: not silently
      failures++;
      err.println("hash: " + path + ": no pdq hash: " + hasher.imageProblem());
    }
  }

  private void writeText(Path path, FileHashes h, List<VpdqFrame> frames) {
    StringBuilder line = new StringBuilder(256).append(path).append(' ');
    for (HashType t : selected) {
      if (h.get(t) != null) {
        line.append(' ').append(t.apiName()).append('=').append(h.hex(t));
      }
    }
    if (h.pdq() != null) {
      line.append(" q=").append(h.pdqQuality());
    }
    if (frames != null) {
      line.append(" vpdq=").append(videoDigest(frames)).append(" frames=").append(frames.size());
    }
    out.println(line);
  }

  private static String videoDigest(List<VpdqFrame> frames) {
    byte[] canonical = VpdqFrames.canonical(frames, VpdqFrames.DEFAULT_MIN_QUALITY);
    return Hex.encode(VpdqFrames.digest(canonical));
  }

  private void writeJson(Path path, FileHashes h, List<VpdqFrame> frames) throws IOException {
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
    if (frames != null) {
      g.writeStringField("vpdq", videoDigest(frames));
      g.writeArrayFieldStart("frames");
      for (VpdqFrame f : frames) {
        g.writeStartObject();
        g.writeNumberField("frame", f.frameNumber());
        g.writeNumberField("quality", f.quality());
        g.writeStringField("pdq", f.hex());
        g.writeNumberField("timestamp", Math.round(f.timestampSeconds() * 1000) / 1000.0);
        g.writeEndObject();
      }
      g.writeEndArray();
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
    if ((e.getClass() == IOException.class || e instanceof VideoDecodeException) && e.getMessage() != null) {
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
