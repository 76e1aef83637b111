#!/usr/bin/env bash
# Installs the Debian packages ksim builds against, only those that are missing.
# Idempotent and quiet when everything is present. Uses sudo when not root.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  ninja-build                # the Makefile configures CMake with Ninja when present
  libboost-graph-dev         # network topology, connected components, layout
  libimgui-dev libglfw3-dev libgl-dev   # ksim-view
  fonts-dejavu-core          # ksim-view's projector-sized font (DejaVu Sans)
  nlohmann-json3-dev         # scenarios and trace files
  catch2 librapidcheck-dev   # unit and property tests
  libcli11-dev               # command line
  libbenchmark-dev           # bench targets
  xvfb xauth                 # headless viewer screenshots in tests
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "ksim: installing missing packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
