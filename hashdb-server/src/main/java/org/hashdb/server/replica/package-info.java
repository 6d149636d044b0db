/**
 * Read replicas ({@code hashdb serve --replica-of URL}): {@link
 * org.hashdb.server.replica.ReplicaFollower} bootstraps a data directory from the primary's
 * snapshot download, applies the primary's change feed through the database's replay path
 * (same sequence numbers, its own write-ahead log), checks the running state digest after every
 * change and re-bootstraps on a mismatch or a gap, and copies the primary's keys file; {@link
 * org.hashdb.server.replica.PrimaryClient} is its HTTP side. The follower's progress is an
 * {@link org.hashdb.server.ReplicaState}, which {@code /readyz} and {@code /metrics} read.
 */
package org.hashdb.server.replica;
