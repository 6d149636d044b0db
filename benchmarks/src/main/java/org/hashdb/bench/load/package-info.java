/**
 * Side-by-side load generators: one driver ({@link org.hashdb.bench.load.BulkLoad}) loads the
 * same seeded SHA-256 values into HashDB and into Redis and queries both with the same batches
 * over the same number of connections, through two equally small clients (raw HTTP/1.1 and
 * RESP), so the ratio it prints compares the servers, not the clients.
 */
package org.hashdb.bench.load;
