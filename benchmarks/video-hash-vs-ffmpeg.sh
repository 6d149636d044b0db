#!/usr/bin/env bash
# Frames hashed per second by HashDB's video hasher (FFmpeg decode + PDQ) against FFmpeg decoding
# the same frames alone (the floor), in alternating rounds of one JVM.
#   benchmarks/video-hash-vs-ffmpeg.sh [SECONDS=60] [SIZE=640x480] [SECONDS_PER_HASH=0]
# SECONDS_PER_HASH 0 hashes every frame (the most work per decoded frame); 1 is vPDQ's default.
set -euo pipefail
source "$(dirname "$0")/common.sh"
seconds="${1:-60}" size="${2:-640x480}" sph="${3:-0}"
build_jar
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
ffmpeg -nostdin -v error -f lavfi -i "testsrc2=size=$size:rate=25" -t "$seconds" -c:v libx264 \
  -preset veryfast -pix_fmt yuv420p "$work/video.mp4"
echo "video: testsrc2 $size, 25 fps, $seconds s, H.264 ($(stat -c %s "$work/video.mp4") bytes); secondsPerHash=$sph"
"$JAVA" -Xmx1g -cp "$jar" org.hashdb.bench.VideoHashReport "$work/video.mp4" "$sph" 4
