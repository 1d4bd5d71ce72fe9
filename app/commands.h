#pragma once

#include <QStringList>

namespace eventscope::cli {

// Headless subcommands. `arguments` starts with the program name followed by the
// subcommand's own arguments. Each returns the process exit code.
int runImport(const QStringList &arguments);
int runExport(const QStringList &arguments);
int runBroker(const QStringList &arguments);
int runIngest(const QStringList &arguments);
int runSimulate(const QStringList &arguments);
int runAnalyze(const QStringList &arguments);
int runImpact(const QStringList &arguments);
int runAlerts(const QStringList &arguments);
// Needs a QApplication (it draws charts); main creates one on the offscreen platform.
int runReport(const QStringList &arguments);

// The GUI (no subcommand).
int runGui(int argc, char **argv);

} // namespace eventscope::cli
