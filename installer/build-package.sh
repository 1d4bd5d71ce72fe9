#!/usr/bin/env bash
# Builds the Debian package from a clean release build:
#   ./installer/build-package.sh      ->  build/release/eventscope_<version>_amd64.deb
# then install it with:  sudo apt-get install ./build/release/eventscope_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."

./installer/install-deps.sh
cmake --preset release
cmake --build --preset release --target eventscope eventscope_resources
(cd build/release && cpack -G DEB)
package=$(ls build/release/eventscope_*_amd64.deb)
lintian --fail-on error "$package" || { echo "build-package: lintian found errors in $package" >&2; exit 1; }
echo "$package"
