#!/usr/bin/env bash
# ctest discovers Catch2 tests by name and splits on ';' and chokes on '[':
# a test named with either silently never runs. Keep them out of test names.
cd "$(dirname "$0")/.."
bad=$(grep -rnE 'TEST_CASE\("[^"]*[;[]' tests/)
if [ -n "$bad" ]; then
  echo "test names must not contain ';' or '[' (ctest would skip them):"
  echo "$bad"
  exit 1
fi
echo "test names: clean"
