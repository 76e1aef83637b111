#!/usr/bin/env bash
# A feature drew on screen: render the frame a user would see and ask for at
# least MIN pixels of a colour only that feature uses (viz/view/theme.cc), for
# example the magenta of a duplicated record or the grey-blue row of a group
# member whose process is gone.
#   screenshot_mark_test.sh KSIM_VIEW PNG_CHECK INPUT OUT.png AT WIDTHxHEIGHT RRGGBB MIN [EXTRA ksim-view ARGS...]
set -euo pipefail
view=$1 check=$2 input=$3 out=$4 at=$5 size=$6 colour=$7 min=$8
shift 8
rm -f "$out"
xvfb-run -a "$view" "$input" --screenshot "$out" --at "$at" --size "$size" "$@"
"$check" "$out" "${size%x*}" "${size#*x}" --colour "$colour" "$min"
