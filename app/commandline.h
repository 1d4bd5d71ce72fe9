#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <csignal>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace eventscope::cli {

// Exit codes of CLI.md: bad arguments 2, runtime failure 1.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

enum class Positional { Refused, Accepted };

// Adds --help and --log-level; parses; on a bad argument (or any positional argument, unless
// accepted) prints one line naming it and returns kExitUsage; on --help prints help and returns
// kExitOk. std::nullopt: go on.
std::optional<int> parseOrExit(QCommandLineParser &parser, const QStringList &arguments,
                               const QString &command, Positional positional = Positional::Refused);

// One line on stderr: "eventscope <command>: <message>".
int usageError(const QString &command, const QString &message);
int runtimeError(const QString &command, const std::string &message);

// Sets up logging from --log-level; prints and returns kExitUsage on a bad level.
std::optional<int> setUpLogging(const QCommandLineParser &parser, const QString &command);

// Blocks SIGINT and SIGTERM for this thread and every thread started after it (call it before
// any library starts threads), so that sigwait/sigtimedwait receives them instead of
// a random thread dying. Returns the set to wait on.
sigset_t blockStopSignals();

// Appends the -X key=value options to `properties`; on a malformed one prints the usage error
// and returns kExitUsage.
// --topics, --group and -X, as ingest and the live console take them.
void addKafkaConsumerOptions(QCommandLineParser &parser);

std::optional<int>
parseKafkaProperties(const QCommandLineParser &parser, const QString &command,
                     std::vector<std::pair<std::string, std::string>> &properties);

// The value of --`name` as a number of seconds above 0, from `min` to `max`, into `out` (µs); a
// usage error naming the option otherwise.
std::optional<int> parseSecondsOption(const QCommandLineParser &parser, const QString &command,
                                      const QString &name, double min, double max,
                                      std::int64_t &out);

// A time given on the command line: RFC 3339 or epoch seconds/ms/µs/ns.
std::optional<std::int64_t> parseTimeArgument(const QString &text);
// A positive duration: a number with s, m, h or d ("90m", "6h", "1.5d"); µs.
std::optional<std::int64_t> parseDurationArgument(const QString &text);
// A positive size: a number with K, M, G or T (powers of 1024), or bytes ("500M", "2G").
std::optional<std::int64_t> parseSizeArgument(const QString &text);

} // namespace eventscope::cli
