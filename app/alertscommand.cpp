#include "commandline.h"
#include "commands.h"

#include "analysis/alertrules.h"
#include "settings/operatorsettings.h"
#include "store/batchcommitter.h"
#include "store/capturereader.h"
#include "util/jsonwriter.h"
#include "util/timeformat.h"

#include <QFile>

#include <spdlog/spdlog.h>

#include <cstdio>
#include <set>

namespace eventscope::cli {

int runAlerts(const QStringList &arguments)
{
    const QString command = QStringLiteral("eventscope alerts");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Evaluate alert rules (metric thresholds held for a time, event rates, anomalies) over a "
        "capture. Each firing and resolution is an alert event; --store adds them to the capture "
        "(nothing twice) and keeps the rules in it. Without --rules: the capture's rules, else the "
        "operator's (the console's settings, where --save-rules puts them)."));
    parser.addOption(
        {QStringLiteral("db"), QStringLiteral("Capture file."), QStringLiteral("FILE")});
    parser.addOption(
        {QStringLiteral("rules"), QStringLiteral("Rules JSON file."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("from"), QStringLiteral("Start (default: the capture's)."),
                      QStringLiteral("TIME")});
    parser.addOption({QStringLiteral("to"), QStringLiteral("End (default: the capture's)."),
                      QStringLiteral("TIME")});
    parser.addOption({QStringLiteral("store"),
                      QStringLiteral("Write the alert events and the rules into the capture.")});
    parser.addOption(
        {QStringLiteral("save-rules"),
         QStringLiteral(
             "Also save the rules in the operator's settings (the console uses them).")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print the alerts as JSON.")});
    if (auto exit = parseOrExit(parser, arguments, command))
        return *exit;
    if (!parser.isSet(QStringLiteral("db")))
        return usageError(command, QStringLiteral("--db is required"));
    std::optional<TimeUs> from, to;
    for (const auto &[name, target] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
        if (!parser.isSet(QLatin1String(name)))
            continue;
        *target = parseTimeArgument(parser.value(QLatin1String(name)));
        if (!*target)
            return usageError(command,
                              QStringLiteral("--%1: '%2' is not a time")
                                  .arg(QLatin1String(name), parser.value(QLatin1String(name))));
    }
    if (auto exit = setUpLogging(parser, command))
        return *exit;

    const std::string path = parser.value(QStringLiteral("db")).toStdString();
    auto reader = CaptureReader::open(path);
    if (!reader)
        return runtimeError(command, reader.error());
    auto info = (*reader)->info();
    if (!info)
        return runtimeError(command, info.error());
    std::string rulesJson;
    std::string rulesFrom;
    if (parser.isSet(QStringLiteral("rules"))) {
        rulesFrom = "file";
        QFile file(parser.value(QStringLiteral("rules")));
        if (!file.open(QIODevice::ReadOnly))
            return runtimeError(
                command, file.fileName().toStdString() + ": " + file.errorString().toStdString());
        rulesJson = file.readAll().toStdString();
    } else if (const auto stored = info->meta.find("alert_rules"); stored != info->meta.end()) {
        rulesFrom = "capture";
        rulesJson = stored->second;
    } else {
        auto saved = settings::alertRulesJson();
        if (!saved)
            return runtimeError(command, saved.error());
        if (saved->empty())
            return usageError(command,
                              QStringLiteral("--rules is required: neither the capture nor the "
                                             "settings (%1) have alert rules")
                                  .arg(QString::fromStdString(settings::settingsFile())));
        rulesFrom = "settings";
        rulesJson = std::move(*saved);
    }
    auto rules = analysis::parseAlertRules(rulesJson);
    if (!rules)
        return runtimeError(command,
                            rulesFrom == "settings"
                                ? settings::settingsFile() + ": alert rules: " + rules.error()
                                : rules.error());
    if (parser.isSet(QStringLiteral("save-rules"))) {
        if (Status saved = settings::setAlertRulesJson(analysis::alertRulesToJson(*rules)); !saved)
            return runtimeError(command, saved.error());
        spdlog::info("saved {} alert rule(s) in {}", rules->size(), settings::settingsFile());
    }
    const TimeRange range{from.value_or(info->span.begin), to.value_or(info->span.end)};
    auto alerts = analysis::evaluateAlerts(**reader, *rules, range);
    if (!alerts)
        return runtimeError(command, alerts.error());

    std::size_t stored = 0;
    if (parser.isSet(QStringLiteral("store"))) {
        // Alerts already in the capture (an earlier run over an overlapping range) stay once.
        std::set<std::string> existing;
        EventQuery query;
        query.range = range;
        query.categories = EventQuery::categoryBit(EventCategory::Alert);
        if (Status status = (*reader)->forEachEvent(query,
                                                    [&existing](Event &&e) {
                                                        existing.insert(e.sourceId);
                                                        return true;
                                                    });
            !status)
            return runtimeError(command, status.error());
        reader->reset();
        auto committer = BatchCommitter::open(path, "alerts");
        if (!committer)
            return runtimeError(command, committer.error());
        std::vector<RecordBatch> batch(1);
        for (const Event &alert : *alerts) {
            if (!existing.count(alert.sourceId))
                batch[0].events.push_back(alert);
        }
        stored = batch[0].events.size();
        try {
            (*committer)->commit(batch);
            (*committer)->setMeta("alert_rules", analysis::alertRulesToJson(*rules));
        } catch (const std::exception &error) {
            return runtimeError(command, error.what());
        }
    }

    if (parser.isSet(QStringLiteral("json"))) {
        std::string out = "{\"alerts\":[";
        for (const Event &a : *alerts) {
            if (out.back() != '[')
                out += ',';
            out += '{';
            json::appendKey(out, "id");
            json::appendString(out, a.sourceId);
            json::appendKey(out, "type");
            json::appendString(out, a.type);
            json::appendKey(out, "time");
            json::appendString(out, formatTimestamp(a.time));
            json::appendKey(out, "service");
            json::appendString(out, a.service);
            json::appendKey(out, "attributes");
            out += a.attributes; // already JSON
            out += '}';
        }
        out += "],\"stored\":" + std::to_string(stored);
        json::appendKey(out, "rules_from");
        json::appendString(out, rulesFrom);
        out += "}\n";
        std::fwrite(out.data(), 1, out.size(), stdout);
    } else {
        for (const Event &a : *alerts)
            std::printf("%s  %-15s %s\n", formatTimestamp(a.time).c_str(), a.type.c_str(),
                        a.message.c_str());
        if (parser.isSet(QStringLiteral("store")))
            std::printf("stored %zu new alert events in %s\n", stored, path.c_str());
    }
    return kExitOk;
}

} // namespace eventscope::cli
