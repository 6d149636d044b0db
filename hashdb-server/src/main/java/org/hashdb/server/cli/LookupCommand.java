package org.hashdb.server.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.pdq.HashDihedral;
import org.hashdb.core.pdq.PdqIndex;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.ListFilter;
import org.hashdb.core.db.Hit;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.ListFilter;
import org.hashdb.core.db.Hit;
import org.hashdb.server.api.LookupCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hashdb lookup}: looks hashes up in a data directory, offline. */
@Command(name = "lookup", mixinStandardHelpOptions = true,
    description = {"Look hashes up in a data directory, offline.",
        "One line per hash: the hash, match or no-match, and per match list, category, entry",
        "(and distance for pdq). A running server holds the directory's lock: use its API then.",
        "Exit 0 when every hash was looked up, 2 on errors."})
final class LookupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DataDirOption data;

  @Option(names = "--json", description = "One JSON object per hash (the API's response shape).")
  boolean json;

  @Option(names = "--lists", split = ",", paramLabel = "NAME", description = "Only these lists (default: all).")
  List<String> lists;

  @Option(names = "--max-distance", paramLabel = "N", description = "pdq: largest Hamming distance, 0.."
      + PdqIndex.QUERY_DISTANCE_CEILING + " (default: " + PdqIndex.DEFAULT_MAX_DISTANCE + ").")
  int maxDistance = PdqIndex.DEFAULT_MAX_DISTANCE;

  @Option(names = "--dihedral", description = {"pdq: also match rotated and mirrored copies (all 8",
      "variants of the hash; bit-level approximation, see HashDihedral)."})
  boolean dihedral;

  @Parameters(index = "0", paramLabel = "TYPE", description = "md5, sha1, sha256 or pdq.")
  String type;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "HEX", description = "Hashes in hex.")
  List<String> hashes;

  @Override
  public Integer call() throws IOException {
    HashType t = HashType.parse(type);
    if (maxDistance < 0 || maxDistance > PdqIndex.QUERY_DISTANCE_CEILING) {
      throw new IllegalArgumentException("--max-distance must be in 0.."
          + PdqIndex.QUERY_DISTANCE_CEILING + ", got " + maxDistance);
    }
    byte[][] values = new byte[hashes.size()][];
    for (int i = 0; i < values.length; i++) {
      values[i] = Hex.decode(t, hashes.get(i)); // all validated before the database is opened
    }
    if (dihedral && t.isExact()) {
      throw new IllegalArgumentException("--dihedral is for pdq hashes only");
    }
    ListFilter filter = lists == null ? ListFilter.all() : ListFilter.of(lists);
    PrintWriter out = spec.commandLine().getOut();
    try (HashDatabase db = HashDatabase.openExisting(data.dir, data.databaseOptions())) {
      for (byte[] v : values) {
        List<Hit> m = t.isExact() ? db.lookup(t, v, filter)
            : dihedral ? db.searchAny(HashDihedral.variants(v, 0), maxDistance, filter)
            : db.search(v, maxDistance, filter);
        if (json) {
          printJson(out, t, v, m);
        } else {
          printText(out, t, v, m);
        }
      }
    }
    out.flush();
    return 0;
  }

  private static void printText(PrintWriter out, HashType t, byte[] v, List<Hit> matches) {
    String hex = Hex.encode(v);
    if (matches.isEmpty()) {
      out.println(hex + " no-match");
    }
    for (Hit m : matches) {
      out.print(hex + " match list=" + m.list() + " category=" + m.category() + " entry=" + m.entry());
      out.println(t.isExact() ? "" : " distance=" + m.distance());
    }
  }

  private static final JsonFactory JSON = new JsonFactory();

  /** The API's single-hash response shape, one object a line. */
  private static void printJson(PrintWriter out, HashType t, byte[] v, List<Hit> matches) throws IOException {
    JsonGenerator g = JSON.createGenerator(out);
    LookupCodec.writeHashResult(g, t, v, 0, new char[t.hexLength()], matches);
    g.flush();
    out.println();
  }
}
