package org.hashdb.server.cli;

import picocli.CommandLine;

/** Version from the jar manifest (or "dev" when run from classes). */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = HashDbCommand.class.getPackage().getImplementationVersion();
    return new String[] {"hashdb " + (v == null ? "dev" : v)};
  }
}
