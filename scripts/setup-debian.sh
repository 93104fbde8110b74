#!/usr/bin/env bash
# Installs everything MaaS Workbench needs on Debian 12, idempotently.
# Safe to run again: apt skips what is already there, and the index is only
# refreshed when a package is missing.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git clang-format
  # engine (libonnx and protobuf: ONNX export)
  libtorch-dev libopenblas0 nlohmann-json3-dev libstb-dev zlib1g-dev libonnx-dev libprotobuf-dev
  # endpoint
  libcpp-httplib-dev libssl-dev
  # desktop
  qt6-base-dev qt6-charts-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libqt6sql6-sqlite libqt6opengl6-dev libxkbcommon-dev libgl-dev qtkeychain-qt6-dev libgraphviz-dev
  fonts-wqy-microhei  # CJK glyphs for the Simplified Chinese interface
  # the packages' checks: lintian, the desktop entry, AppStream metadata, the service's sandbox (its
  # score, and its system call filter applied to the packaged server)
  lintian desktop-file-utils appstream systemd man-db python3-seccomp
  # test fixtures (real PyTorch models) and real data
  python3 python3-torch python3-torchvision dataset-fashion-mnist
)

# ONNX Runtime for the ONNX export's tests comes from the npm registry: Debian's nodejs and npm, unless
# a node with its npm is there already (a node from elsewhere may conflict with Debian's npm package).
command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: these Debian packages are missing: ${missing[*]}; run this script as root (or install them with apt-get)." >&2
    exit 1
  fi
  echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
