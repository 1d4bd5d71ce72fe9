# The Debian package: `cpack -G DEB` in a release build tree (installer/build-package.sh).
# Depends is computed by dpkg-shlibdeps from the libraries the binary links, never typed here.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME eventscope)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The EventScope developers")
set(CPACK_PACKAGE_CONTACT "The EventScope developers <developers@eventscope.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "observability console for Kafka events, metrics, logs and traces")
# CPack puts the summary above this text and indents it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "EventScope consumes system events (scaling, provisioning, failures,
recoveries, configuration changes, deployments), metrics, logs and traces
from Apache Kafka, keeps them in a local capture file, and shows live event
timelines over metric charts. It ranks the likely root causes of failures
and runs headless for ingest, import, export and analysis.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/eventscope/eventscope")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The icon theme, desktop and MIME databases are refreshed by the dpkg triggers of
# hicolor-icon-theme, desktop-file-utils and shared-mime-info; nothing to run here.
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_SET_DESTDIR OFF)
include(CPack)
