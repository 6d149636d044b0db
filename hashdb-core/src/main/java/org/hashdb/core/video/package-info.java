/**
 * Video: vPDQ frame hashes (Meta's format), decoding with FFmpeg as a bounded child process, and
 * the vPDQ comparison of two bags of frame hashes.
 */
package org.hashdb.core.video;
