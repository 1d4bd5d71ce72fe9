#include "petshopdataset.h"

#include "model/timerange.h"
#include "util/jsonwriter.h"
#include "util/timeformat.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace eventscope::testing::petshop {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> splitCsvLine(const std::string &line)
{
    // The dataset's cells hold no quotes or commas; a quoted cell is still read whole.
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (char c : line) {
        if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            cells.push_back(std::move(cell));
            cell.clear();
        } else if (c != '\r') {
            cell += c;
        }
    }
    cells.push_back(std::move(cell));
    return cells;
}

Result<std::vector<std::vector<std::string>>> readCsv(const fs::path &path)
{
    std::ifstream in(path);
    if (!in)
        return Result<std::vector<std::vector<std::string>>>::failure(path.string()
                                                                      + ": cannot open");
    std::vector<std::vector<std::string>> rows;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty())
            rows.push_back(splitCsvLine(line));
    }
    return rows;
}

// A CloudWatch-style table: three header rows (component, metric, statistic), a
// "unix_timestamp" row, then one row per period.
struct MetricTable
{
    struct Column
    {
        std::string component, metric, statistic;
    };
    std::vector<Column> columns;
    std::vector<std::pair<TimeUs, std::vector<std::string>>> rows;
};

Result<MetricTable> readMetrics(const fs::path &path)
{
    auto csv = readCsv(path);
    if (!csv)
        return Result<MetricTable>::failure(csv.error());
    if (csv->size() < 4)
        return Result<MetricTable>::failure(path.string() + ": fewer than four header rows");
    MetricTable table;
    const auto &components = (*csv)[0];
    const auto &metrics = (*csv)[1];
    const auto &statistics = (*csv)[2];
    for (std::size_t i = 1; i < components.size(); ++i)
        table.columns.push_back({components[i], i < metrics.size() ? metrics[i] : "",
                                 i < statistics.size() ? statistics[i] : ""});
    for (std::size_t r = 3; r < csv->size(); ++r) {
        auto &row = (*csv)[r];
        if (row.empty() || row[0].empty() || row[0] == "unix_timestamp")
            continue;
        const double seconds = std::stod(row[0]);
        row.erase(row.begin());
        table.rows.emplace_back(static_cast<TimeUs>(std::llround(seconds * 1e6)), std::move(row));
    }
    std::sort(table.rows.begin(), table.rows.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    return table;
}

std::string_view unitOf(std::string_view metric)
{
    if (metric == "latency")
        return "s";
    if (metric == "availability")
        return "percent";
    return "count";
}

void appendSamples(std::string &out, const MetricTable &table, TimeUs shift)
{
    for (const auto &[time, cells] : table.rows) {
        for (std::size_t i = 0; i < cells.size() && i < table.columns.size(); ++i) {
            if (cells[i].empty())
                continue;
            const MetricTable::Column &c = table.columns[i];
            out += '{';
            json::appendKey(out, "time");
            json::appendString(out, formatTimestamp(time + shift));
            json::appendKey(out, "name");
            json::appendString(out, c.metric);
            json::appendKey(out, "labels");
            out += '{';
            json::appendKey(out, "service");
            json::appendString(out, c.component);
            json::appendKey(out, "statistic");
            json::appendString(out, c.statistic);
            out += '}';
            json::appendKey(out, "value");
            out += cells[i];
            json::appendKey(out, "unit");
            json::appendString(out, unitOf(c.metric));
            out += "}\n";
        }
    }
}

TimeUs typicalPeriod(const MetricTable &table)
{
    std::vector<TimeUs> steps;
    for (std::size_t i = 1; i < table.rows.size(); ++i)
        steps.push_back(table.rows[i].first - table.rows[i - 1].first);
    if (steps.empty())
        return 300 * kMicrosPerSecond;
    std::nth_element(steps.begin(), steps.begin() + static_cast<std::ptrdiff_t>(steps.size() / 2),
                     steps.end());
    return steps[steps.size() / 2];
}

QJsonObject readJson(const fs::path &path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return QJsonDocument::fromJson(QByteArray::fromStdString(text.str())).object();
}

} // namespace

Result<std::vector<Issue>> listIssues(const std::string &datasetRoot)
{
    std::vector<Issue> issues;
    std::error_code error;
    if (!fs::is_directory(datasetRoot, error))
        return Result<std::vector<Issue>>::failure(datasetRoot + ": no such folder");
    for (const auto &scenario : fs::directory_iterator(datasetRoot)) {
        if (!scenario.is_directory())
            continue;
        for (const char *split : {"train", "test"}) {
            const fs::path splitDir = scenario.path() / split;
            if (!fs::is_directory(splitDir, error))
                continue;
            for (const auto &issueDir : fs::directory_iterator(splitDir)) {
                if (!fs::exists(issueDir.path() / "target.json"))
                    continue;
                Issue issue;
                issue.scenario = scenario.path().filename().string();
                issue.split = split;
                issue.name = issueDir.path().filename().string();
                issue.directory = issueDir.path().string();
                issue.failureId
                    = "petshop-" + issue.scenario + "-" + issue.split + "-" + issue.name;
                const QJsonObject target = readJson(issueDir.path() / "target.json");
                issue.rootCause = target.value(QStringLiteral("root_cause"))
                                      .toObject()
                                      .value(QStringLiteral("node"))
                                      .toString()
                                      .toStdString();
                issues.push_back(std::move(issue));
            }
        }
    }
    const auto number
        = [](const std::string &name) { return std::stoi(name.substr(name.find('_') + 1)); };
    std::sort(issues.begin(), issues.end(), [&number](const Issue &a, const Issue &b) {
        if (a.scenario != b.scenario)
            return a.scenario < b.scenario;
        if (a.split != b.split)
            return a.split > b.split; // train first
        return number(a.name) < number(b.name);
    });
    return issues;
}

namespace {

fs::path historyPathOf(const std::string &datasetRoot, const Issue &issue)
{
    fs::path path = fs::path(datasetRoot) / issue.scenario / "noissue" / "metrics.csv";
    if (!fs::exists(path))
        path = fs::path(datasetRoot) / "low_traffic" / "noissue" / "metrics.csv";
    return path;
}

// The normal period was recorded months away from the incidents: it goes before them with a
// day between, whole days moved so that its hours of the day stay, rather than glued on as if
// it had led into the incident.
TimeUs historyShift(const MetricTable &history, const MetricTable &incident)
{
    constexpr TimeUs kDay = 24 * 3600 * kMicrosPerSecond;
    const TimeUs period = typicalPeriod(incident);
    const TimeUs gapEnd = incident.rows.front().first - period - kDay;
    return (gapEnd - history.rows.back().first) / kDay * kDay
        - (gapEnd < history.rows.back().first ? kDay : 0);
}

struct Tables
{
    MetricTable history;
    MetricTable incident;
};

Result<Tables> readTables(const std::string &datasetRoot, const Issue &issue)
{
    auto incident = readMetrics(fs::path(issue.directory) / "metrics.csv");
    if (!incident)
        return Result<Tables>::failure(incident.error());
    auto history = readMetrics(historyPathOf(datasetRoot, issue));
    if (!history)
        return Result<Tables>::failure(history.error());
    if (incident->rows.empty() || history->rows.empty())
        return Result<Tables>::failure(issue.directory + ": no metric rows");
    return Tables{std::move(*history), std::move(*incident)};
}

Status appendIncident(std::string &out, const std::string &datasetRoot, const Issue &issue,
                      const MetricTable &incident)
{
    appendSamples(out, incident, 0);
    const QJsonObject target = readJson(fs::path(issue.directory) / "target.json")
                                   .value(QStringLiteral("target"))
                                   .toObject();
    const std::string node = target.value(QStringLiteral("node")).toString().toStdString();
    const std::string metric = target.value(QStringLiteral("metric")).toString().toStdString();
    const std::string statistic = target.value(QStringLiteral("agg")).toString().toStdString();
    const auto breach = static_cast<TimeUs>(
        std::llround(target.value(QStringLiteral("timestamp")).toDouble() * 1e6));
    out += '{';
    json::appendKey(out, "id");
    json::appendString(out, issue.failureId);
    json::appendKey(out, "time");
    json::appendString(out, formatTimestamp(breach));
    json::appendKey(out, "type");
    json::appendString(out, metric + "_breach");
    json::appendKey(out, "category");
    json::appendString(out, "failure");
    json::appendKey(out, "severity");
    json::appendString(out, "error");
    json::appendKey(out, "service");
    json::appendString(out, node);
    json::appendKey(out, "message");
    json::appendString(out, node + " " + metric + " (" + statistic + ") breached its threshold");
    json::appendKey(out, "attributes");
    out += '{';
    json::appendKey(out, "metric");
    json::appendString(out, metric);
    json::appendKey(out, "statistic");
    json::appendString(out, statistic);
    out += "}}\n";

    const fs::path scenarioDir = fs::path(datasetRoot) / issue.scenario;
    auto graph = readCsv(scenarioDir / "graph.csv");
    if (!graph)
        return Status::failure(graph.error());
    if (graph->empty())
        return Status::failure((scenarioDir / "graph.csv").string() + ": empty");
    const std::vector<std::string> &callees = (*graph)[0];
    for (std::size_t r = 1; r < graph->size(); ++r) {
        const auto &row = (*graph)[r];
        for (std::size_t c = 1; c < row.size() && c < callees.size(); ++c) {
            if (row[c].empty() || std::stod(row[c]) == 0.0 || row[0] == callees[c])
                continue;
            out += '{';
            json::appendKey(out, "kind");
            json::appendString(out, "topology");
            json::appendKey(out, "caller");
            json::appendString(out, row[0]);
            json::appendKey(out, "callee");
            json::appendString(out, callees[c]);
            out += "}\n";
        }
    }

    return {};
}

std::string historyNdjson(const Tables &tables)
{
    std::string out;
    out.reserve(std::size_t{32} << 20);
    appendSamples(out, tables.history, historyShift(tables.history, tables.incident));
    return out;
}

Status writeFile(const std::string &path, const std::string &text)
{
    std::ofstream file(path, std::ios::binary);
    file.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!file)
        return Status::failure(path + ": write failed");
    return {};
}

} // namespace

Result<std::string> historyKey(const std::string &datasetRoot, const Issue &issue)
{
    auto tables = readTables(datasetRoot, issue);
    if (!tables)
        return Result<std::string>::failure(tables.error());
    return historyPathOf(datasetRoot, issue).string() + " moved by "
        + std::to_string(historyShift(tables->history, tables->incident)) + " us";
}

Status writeHistoryNdjson(const std::string &datasetRoot, const Issue &issue,
                          const std::string &outputPath)
{
    auto tables = readTables(datasetRoot, issue);
    if (!tables)
        return Status::failure(tables.error());
    return writeFile(outputPath, historyNdjson(*tables));
}

Status writeIncidentNdjson(const std::string &datasetRoot, const Issue &issue,
                           const std::string &outputPath)
{
    auto incident = readMetrics(fs::path(issue.directory) / "metrics.csv");
    if (!incident)
        return Status::failure(incident.error());
    if (incident->rows.empty())
        return Status::failure(issue.directory + ": no metric rows");
    std::string out;
    if (Status status = appendIncident(out, datasetRoot, issue, *incident); !status)
        return status;
    return writeFile(outputPath, out);
}

Status writeIssueNdjson(const std::string &datasetRoot, const Issue &issue,
                        const std::string &outputPath)
{
    auto tables = readTables(datasetRoot, issue);
    if (!tables)
        return Status::failure(tables.error());
    std::string out = historyNdjson(*tables);
    if (Status status = appendIncident(out, datasetRoot, issue, tables->incident); !status)
        return status;
    return writeFile(outputPath, out);
}

} // namespace eventscope::testing::petshop
