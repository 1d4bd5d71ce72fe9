#!/usr/bin/env bash
# Installs the Debian 12 packages EventScope needs to build, test and run.
# Idempotent: when everything is present it prints nothing and exits 0.
# Uses sudo when not run as root.
set -euo pipefail

packages=(
    # toolchain
    build-essential cmake ninja-build ccache pkg-config git
    clang libclang-rt-14-dev
    # libraries
    qt6-base-dev qt6-base-dev-tools qt6-svg-dev
    libqcustomplot-dev
    qtkeychain-qt6-dev
    librdkafka-dev
    libsqlite3-dev sqlite3
    libspdlog-dev libfmt-dev
    libsimdjson-dev
    libjemalloc-dev
    # tests and tools
    kcat xvfb xauth fonts-dejavu-core procps python3 python3-yaml
    # packaging checks
    dpkg-dev fakeroot lintian desktop-file-utils appstream shared-mime-info
    # report checks: PDF pages and HTML rendered as a reader would see them
    poppler-utils chromium
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Refresh package lists only when they are missing or older than a day.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
    $sudo apt-get update -qq
fi
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
