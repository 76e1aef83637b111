#!/usr/bin/env bash
# Regenerates tests/data/trace_hashes.txt from a build's ksim (default
# build/bin/ksim), for a commit that changes traces on purpose: it prints the
# old and new line of every scenario whose trace changed. Say in that commit
# which traces changed and why; a refactor must not need this.
# usage: tools/update-trace-hashes.sh [KSIM]
exec "$(dirname "$0")/trace-hashes.sh" update "$@"
