package org.hashdb.bench.structure;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the HashDB classes a class file refers to, straight from its constant pool (class
 * entries and type descriptors), so the structure tests need neither jdeps nor a library.
 */
final class ClassFiles {
  /** One compiled class: its internal name, the HashDB classes it uses, and its instance fields' types. */
  record ClassInfo(String name, Set<String> uses, Set<String> fieldTypes) {
    String packageName() {
      return ClassFiles.packageOf(name);
    }

    /** The top-level class this one is nested in (itself when top-level). */
    String topLevel() {
      int i = name.indexOf('$');
      return i < 0 ? name : name.substring(0, i);
    }
  }

  private static final Pattern TYPE = Pattern.compile("L(org/hashdb/[\\w/$]+)[;<]");
  private static final int ACC_STATIC = 0x0008;

  private ClassFiles() {}

  static String packageOf(String internalName) {
    return internalName.substring(0, internalName.lastIndexOf('/')).replace('/', '.');
  }

  /** Every class in the directory or jar that {@code anyClass} was loaded from. */
  static List<ClassInfo> of(Class<?> anyClass) throws IOException {
    Path where;
    try {
      where = Path.of(anyClass.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    List<ClassInfo> out = new ArrayList<>();
    if (Files.isDirectory(where)) {
      try (Stream<Path> files = Files.walk(where)) {
        for (Path p : (Iterable<Path>) files.filter(ClassFiles::isClass)::iterator) {
          out.add(parse(Files.readAllBytes(p)));
        }
      }
    } else {
      try (JarFile jar = new JarFile(where.toFile())) {
        for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
          if (e.getName().endsWith(".class") && !e.getName().endsWith("module-info.class")) {
            try (InputStream in = jar.getInputStream(e)) {
              out.add(parse(in.readAllBytes()));
            }
          }
        }
      }
    }
    return out;
  }

  private static boolean isClass(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".class") && !n.equals("module-info.class");
  }

  /** Parses the constant pool, this-class and fields of one class file (JVMS 4.1). */
  static ClassInfo parse(byte[] bytes) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    int[] classNameIndex = new int[count];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7 -> classNameIndex[i] = in.readUnsignedShort();
        case 8, 16, 19, 20 -> in.readUnsignedShort(); // String, MethodType, Module, Package
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt(); // numbers, member refs, name+type, dynamic
        case 5, 6 -> { // long, double: two slots
          in.readLong();
          i++;
        }
        case 15 -> { // MethodHandle
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    Set<String> uses = new TreeSet<>();
    for (int i = 1; i < count; i++) {
      if (classNameIndex[i] != 0) {
        String n = utf8[classNameIndex[i]];
        if (n.startsWith("org/hashdb/")) {
          uses.add(n);
        }
      }
      if (utf8[i] != null) {
        addTypes(utf8[i], uses);
      }
    }
    in.readUnsignedShort(); // access flags
    String name = utf8[classNameIndex[in.readUnsignedShort()]];
    in.readUnsignedShort(); // super class (also a class entry above)
    int interfaces = in.readUnsignedShort();
    in.skipNBytes(2L * interfaces);
    int fields = in.readUnsignedShort();
    Set<String> fieldTypes = new TreeSet<>();
    for (int f = 0; f < fields; f++) {
      int access = in.readUnsignedShort();
      in.readUnsignedShort(); // name
      String descriptor = utf8[in.readUnsignedShort()];
      int attributes = in.readUnsignedShort();
      for (int a = 0; a < attributes; a++) {
        in.readUnsignedShort();
        in.skipNBytes(in.readInt());
      }
      if ((access & ACC_STATIC) == 0) {
        addTypes(descriptor, fieldTypes);
      }
    }
    uses.remove(name);
    return new ClassInfo(name, uses, fieldTypes);
  }

  private static void addTypes(String descriptorOrSignature, Set<String> out) {
    Matcher m = TYPE.matcher(descriptorOrSignature);
    while (m.find()) {
      out.add(m.group(1));
    }
  }
}
