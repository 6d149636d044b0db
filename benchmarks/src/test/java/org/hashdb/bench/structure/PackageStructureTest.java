package org.hashdb.bench.structure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hashdb.client.HashDbClient;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.server.ServerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/DESIGN.md, checked on the compiled main code of core, server and
 * client (this module is the one that sees all three): no package cycles, and no two top-level
 * classes holding each other in instance fields.
 */
class PackageStructureTest {
  private static final List<ClassFiles.ClassInfo> CLASSES = new ArrayList<>();

  @BeforeAll
  static void readClasses() throws IOException {
    for (Class<?> module : List.of(HashDatabase.class, ServerConfig.class, HashDbClient.class)) {
      List<ClassFiles.ClassInfo> classes = ClassFiles.of(module);
      assertThat(classes).as("classes next to " + module.getName()).hasSizeGreaterThan(10);
      CLASSES.addAll(classes);
    }
  }

  @Test
  void noPackageCycles() {
    Map<String, Set<String>> edges = new TreeMap<>();
    Map<String, String> example = new HashMap<>(); // "from -> to": one class edge that makes it
    for (ClassFiles.ClassInfo c : CLASSES) {
      edges.computeIfAbsent(c.packageName(), k -> new TreeSet<>());
      for (String used : c.uses()) {
        String to = ClassFiles.packageOf(used);
        if (!to.equals(c.packageName())) {
          edges.get(c.packageName()).add(to);
          example.putIfAbsent(c.packageName() + " -> " + to, c.name() + " uses " + used);
        }
      }
    }
    List<String> cycles = new ArrayList<>();
    for (Set<String> component : stronglyConnected(edges)) {
      if (component.size() > 1) {
        StringBuilder s = new StringBuilder(String.join(" <-> ", component));
        for (String from : component) {
          for (String to : edges.get(from)) {
            if (component.contains(to)) {
              s.append("\n    ").append(example.get(from + " -> " + to));
            }
          }
        }
        cycles.add(s.toString());
      }
    }
    assertThat(cycles).as("package cycles").isEmpty();
  }

  @Test
  void noTwoClassesHoldEachOther() {
    Map<String, Set<String>> holds = new TreeMap<>();
    for (ClassFiles.ClassInfo c : CLASSES) {
      for (String t : c.fieldTypes()) {
        String held = t.contains("$") ? t.substring(0, t.indexOf('$')) : t;
        if (!held.equals(c.topLevel())) {
          holds.computeIfAbsent(c.topLevel(), k -> new TreeSet<>()).add(held);
        }
      }
    }
    List<String> mutual = new ArrayList<>();
    holds.forEach((a, held) -> held.stream()
        .filter(b -> a.compareTo(b) < 0 && holds.getOrDefault(b, Set.of()).contains(a))
        .forEach(b -> mutual.add(a + " <-> " + b)));
    assertThat(mutual).as("classes whose instance fields hold each other").isEmpty();
  }

  @Test
  void detectsACycle() {
    Map<String, Set<String>> edges = new TreeMap<>(Map.of(
        "a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a")));
    assertThat(stronglyConnected(edges)).contains(Set.of("a", "b", "c"), Set.of("d"));
  }

  /** Tarjan's strongly connected components, iterative. */
  static List<Set<String>> stronglyConnected(Map<String, Set<String>> edges) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> out = new ArrayList<>();
    int[] next = {0};
    for (String root : edges.keySet()) {
      if (!index.containsKey(root)) {
        visit(root, edges, index, low, stack, onStack, out, next);
      }
    }
    return out;
  }

  private static void visit(String v, Map<String, Set<String>> edges, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> out,
      int[] next) {
    // explicit work stack of (node, iterator over its successors)
    Deque<Map.Entry<String, java.util.Iterator<String>>> work = new ArrayDeque<>();
    index.put(v, next[0]);
    low.put(v, next[0]++);
    stack.push(v);
    onStack.add(v);
    work.push(Map.entry(v, edges.getOrDefault(v, Set.of()).iterator()));
    while (!work.isEmpty()) {
      String node = work.peek().getKey();
      java.util.Iterator<String> it = work.peek().getValue();
      if (it.hasNext()) {
        String w = it.next();
        if (!index.containsKey(w)) {
          index.put(w, next[0]);
          low.put(w, next[0]++);
          stack.push(w);
          onStack.add(w);
          work.push(Map.entry(w, edges.getOrDefault(w, Set.of()).iterator()));
        } else if (onStack.contains(w)) {
          low.put(node, Math.min(low.get(node), index.get(w)));
        }
        continue;
      }
      work.pop();
      if (!work.isEmpty()) {
        String parent = work.peek().getKey();
        low.put(parent, Math.min(low.get(parent), low.get(node)));
      }
      if (low.get(node).equals(index.get(node))) {
        Set<String> component = new TreeSet<>();
        String w;
        do {
          w = stack.pop();
          onStack.remove(w);
          component.add(w);
        } while (!w.equals(node));
        out.add(component);
      }
    }
  }
}
