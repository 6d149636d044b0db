package org.hashdb.core.db;

import java.io.IOException;

/** Receives the changes of {@link HashDatabase#forEachChange}, one at a time. */
@FunctionalInterface
public interface ChangeVisitor {
  /** Returns false to stop after this change. */
  boolean visit(Change change) throws IOException;
}
