#!/usr/bin/env bash
# The viewer end to end, headless: render the frame a user would see and check
# it is a real frame (right size, panels drawn), not a blank window.
#   screenshot_test.sh KSIM_VIEW PNG_CHECK TRACE OUT.png AT WIDTHxHEIGHT [EXTRA ksim-view ARGS...]
set -euo pipefail
view=$1 check=$2 trace=$3 out=$4 at=$5 size=$6
shift 6
rm -f "$out"
xvfb-run -a "$view" "$trace" --screenshot "$out" --at "$at" --size "$size" "$@"
"$check" "$out" "${size%x*}" "${size#*x}"
