package org.hashdb.server;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One server setting, declared once in {@link ServerConfig}: its name (the properties key and
 * builder method), type, default, bounds and a one-line description. Parsing, validation, the
 * {@code serve --help} list, the README table and the start-up log are all derived from it.
 *
 * @param <T> the value type
 */
public final class Setting<T> {
  /** The value types a properties file can hold. */
  enum Kind {
    INT, LONG, BOOLEAN, TEXT, PATH, PATHS
  }

  private final int index;
  private final String name;
  private final Kind kind;
  private final T defaultValue;
  private final String defaultText; // the README/help form of a computed default, else null
  private final long min;
  private final long max;
  private final String doc;

  Setting(int index, String name, Kind kind, T defaultValue, String defaultText, long min, long max,
      String doc) {
    this.index = index;
    this.name = name;
    this.kind = kind;
    this.defaultValue = defaultValue;
    this.defaultText = defaultText;
    this.min = min;
    this.max = max;
    this.doc = doc;
  }

  int index() {
    return index;
  }

  public String name() {
    return name;
  }

  public T defaultValue() {
    return defaultValue;
  }

  public String doc() {
    return doc;
  }

  /** The value type as the README names it: int, long, boolean, text, path, paths. */
  public String typeName() {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  /** The allowed range ({@code 1..65535}, {@code >= 1}), or "" for non-numbers. */
  public String bounds() {
    if (kind != Kind.INT && kind != Kind.LONG) {
      return "";
    }
    return unboundedAbove() ? ">= " + min : min + ".." + max;
  }

  /** The default as documented: a computed default's description, else the value. */
  public String defaultDescription() {
    return defaultText != null ? defaultText : format(defaultValue);
  }

  private boolean unboundedAbove() {
    return kind == Kind.LONG && max == Long.MAX_VALUE;
  }

  /** {@code v} when within bounds; else an {@link IllegalArgumentException} naming the setting. */
  T check(T v) {
    if (kind == Kind.INT || kind == Kind.LONG) {
      long n = ((Number) v).longValue();
      if (n < min || n > max) {
        throw new IllegalArgumentException(name + " must be " + (unboundedAbove() ? ">= " + min : "in " + min + ".." + max)
            + ", got " + n);
      }
    }
    return v;
  }

  /** The value of a properties file's text (trimmed), unchecked. */
  @SuppressWarnings("unchecked")
  T parse(String v) {
    try {
      return (T) switch (kind) {
        case INT -> Integer.valueOf(Integer.parseInt(v));
        case LONG -> Long.valueOf(Long.parseLong(v));
        case BOOLEAN -> parseBoolean(v);
        case TEXT -> v;
        case PATH -> Path.of(v);
        case PATHS -> Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).map(Path::of)
            .toList();
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("setting " + name + ": not a number: '" + v + "'", e);
    }
  }

  private Boolean parseBoolean(String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("setting " + name + ": not true or false: '" + v + "'");
    };
  }

  /** The properties-file text of a value ("" for none). */
  String format(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof List<?> list) {
      return list.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
    return String.valueOf(v);
  }

  @Override
  public String toString() {
    return name;
  }
}
