#!/usr/bin/env bash
# ctest discovers Catch2 tests by name and splits on ';' and chokes on '[':
# a test named with either silently never runs. Keep them out of test names.
# A name starting with '-' reaches the test binary as an option and fails.
cd "$(dirname "$0")/.."
bad=$(grep -rnE 'TEST_CASE\("([^"]*[;[]|-)' tests/)
if [ -n "$bad" ]; then
  echo "test names must not contain ';' or '[', nor start with '-' (ctest would skip or break them):"
  echo "$bad"
  exit 1
fi
echo "test names: clean"
