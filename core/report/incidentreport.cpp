#include "report/incidentreport.h"

#include "store/capturereader.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace eventscope::report {

namespace {

constexpr TimeUs kMinute = 60 * kMicrosPerSecond;
// How far around the failure logs and traces are looked for: the minutes in which an operator
// reads the logs of an outage.
constexpr TimeUs kLogLookback = 10 * kMinute;
constexpr TimeUs kTraceSearch = 5 * kMinute;
// Bounds on what one report reads, so that a noisy service cannot make it slow.
constexpr std::size_t kLogsReadPerService = 50'000;
constexpr std::size_t kErrorSpansRead = 5'000;
constexpr std::size_t kTraceSpansRead = 20'000;

void addUnique(std::vector<std::string> &list, const std::string &value)
{
    if (!value.empty() && std::find(list.begin(), list.end(), value) == list.end())
        list.push_back(value);
}

// The services whose logs and traces tell the story: the failure's, then the suspects'.
std::vector<std::string> storyServices(const analysis::IncidentAnalysis &analysis)
{
    std::vector<std::string> services;
    addUnique(services, analysis.failure.service);
    for (std::size_t i = 0; i < analysis.suspects.size() && i < 3; ++i)
        addUnique(services, analysis.suspects[i].service);
    return services;
}

TimeUs incidentEnd(const analysis::IncidentAnalysis &analysis)
{
    return std::max(analysis.failure.time, analysis.recoveryTime);
}

Status collectKeyLogs(CaptureReader &reader, const analysis::IncidentAnalysis &analysis,
                      const std::optional<FailingTrace> &trace, std::size_t limit,
                      std::vector<KeyLogLine> &out)
{
    const TimeRange range{analysis.failure.time - kLogLookback,
                          std::max(incidentEnd(analysis), analysis.failure.time + kLogLookback)};
    using Key = std::tuple<std::string, Severity, std::string>; // service, level, message
    std::map<Key, KeyLogLine> groups;
    const auto add = [&](LogRecord &&record) {
        Key key{record.service, record.level, record.message};
        auto found = groups.find(key);
        if (found == groups.end()) {
            const TimeUs time = record.time;
            groups.emplace(std::move(key), KeyLogLine{std::move(record), time, 1});
        } else {
            KeyLogLine &line = found->second;
            ++line.count;
            if (record.time < line.first.time) {
                const TimeUs last = line.lastTime;
                line.first = std::move(record);
                line.lastTime = last;
            } else {
                line.lastTime = std::max(line.lastTime, record.time);
            }
        }
        return true;
    };
    for (const std::string &service : storyServices(analysis)) {
        LogQuery query;
        query.range = range;
        query.minLevel = Severity::Warning;
        query.service = service;
        query.limit = kLogsReadPerService;
        if (Status status = reader.forEachLog(query, add); !status)
            return status;
    }
    if (trace) {
        LogQuery query;
        query.range = {trace->start - kMinute, trace->end + kMinute};
        query.traceId = trace->traceId;
        query.limit = kLogsReadPerService;
        if (Status status = reader.forEachLog(query, add); !status)
            return status;
    }

    // The worst lines first, then those closest to the failure; shown in time order.
    std::vector<KeyLogLine> lines;
    lines.reserve(groups.size());
    for (auto &[key, line] : groups)
        lines.push_back(std::move(line));
    const TimeUs failureTime = analysis.failure.time;
    const auto distance
        = [failureTime](const KeyLogLine &line) { return std::abs(line.first.time - failureTime); };
    std::sort(lines.begin(), lines.end(), [&](const KeyLogLine &a, const KeyLogLine &b) {
        if (a.first.level != b.first.level)
            return a.first.level > b.first.level;
        if (distance(a) != distance(b))
            return distance(a) < distance(b);
        return std::tie(a.first.service, a.first.message)
            < std::tie(b.first.service, b.first.message);
    });
    if (lines.size() > limit)
        lines.resize(limit);
    std::sort(lines.begin(), lines.end(), [](const KeyLogLine &a, const KeyLogLine &b) {
        return std::tie(a.first.time, a.first.service, a.first.message)
            < std::tie(b.first.time, b.first.service, b.first.message);
    });
    out = std::move(lines);
    return {};
}

Result<std::optional<FailingTrace>> findFailingTrace(CaptureReader &reader,
                                                     const analysis::IncidentAnalysis &analysis)
{
    const TimeUs failureTime = analysis.failure.time;
    const std::vector<std::string> services = storyServices(analysis);
    // The error span nearest the failure, the failure's own service before the suspects'.
    std::optional<Span> best;
    std::size_t bestRank = 0;
    for (std::size_t rank = 0; rank < services.size(); ++rank) {
        SpanQuery query;
        query.range = {failureTime - kTraceSearch, failureTime + kTraceSearch};
        query.service = services[rank];
        query.errorsOnly = true;
        query.limit = kErrorSpansRead;
        Status status = reader.forEachSpan(query, [&](Span &&span) {
            const auto better = [&] {
                if (!best)
                    return true;
                if (rank != bestRank)
                    return rank < bestRank;
                return std::abs(span.start - failureTime) < std::abs(best->start - failureTime);
            };
            if (!span.traceId.empty() && better()) {
                best = std::move(span);
                bestRank = rank;
            }
            return true;
        });
        if (!status)
            return Result<std::optional<FailingTrace>>::failure(status.error());
        if (best)
            break;
    }
    if (!best)
        return std::optional<FailingTrace>{};

    SpanQuery query;
    query.range = {best->start - kTraceSearch, best->start + kTraceSearch};
    query.traceId = best->traceId;
    query.limit = kTraceSpansRead;
    auto spans = reader.spans(query);
    if (!spans)
        return Result<std::optional<FailingTrace>>::failure(spans.error());
    FailingTrace trace;
    trace.traceId = best->traceId;
    trace.spanCount = spans->size();
    trace.start = best->start;
    trace.end = best->end;
    for (const Span &span : *spans) {
        trace.start = std::min(trace.start, span.start);
        trace.end = std::max(trace.end, span.end);
        if (span.status == SpanStatus::Error)
            ++trace.errorSpans;
    }
    trace.criticalPath = criticalPath(*spans);
    return std::optional<FailingTrace>(std::move(trace));
}

} // namespace

std::vector<FailingTrace::Step> criticalPath(const std::vector<Span> &spans)
{
    std::vector<FailingTrace::Step> path;
    if (spans.empty())
        return path;
    std::unordered_map<std::string_view, std::size_t> byId;
    for (std::size_t i = 0; i < spans.size(); ++i)
        byId.emplace(spans[i].spanId, i);
    std::unordered_map<std::string_view, std::vector<std::size_t>> children;
    std::optional<std::size_t> root;
    for (std::size_t i = 0; i < spans.size(); ++i) {
        const Span &span = spans[i];
        if (!span.parentSpanId.empty() && span.parentSpanId != span.spanId
            && byId.contains(span.parentSpanId)) {
            children[span.parentSpanId].push_back(i);
        } else if (!root || span.end > spans[*root].end
                   || (span.end == spans[*root].end && span.start < spans[*root].start)) {
            root = i;
        }
    }
    if (!root) // every span names a parent in the set: a cycle; start from the longest
        root = static_cast<std::size_t>(std::max_element(spans.begin(), spans.end(),
                                                         [](const Span &a, const Span &b) {
                                                             return a.duration() < b.duration();
                                                         })
                                        - spans.begin());

    std::vector<bool> visited(spans.size(), false);
    // Iterative walk: (span, depth, the time its part of the path must end by).
    struct Pending
    {
        std::size_t index;
        int depth;
        TimeUs until;
    };
    std::vector<Pending> stack{{*root, 0, spans[*root].end}};
    while (!stack.empty()) {
        const Pending current = stack.back();
        stack.pop_back();
        if (visited[current.index])
            continue;
        visited[current.index] = true;
        const Span &span = spans[current.index];
        const TimeUs end = std::min(span.end, current.until);
        std::vector<std::size_t> kids;
        if (auto found = children.find(span.spanId); found != children.end())
            kids = found->second;
        std::sort(kids.begin(), kids.end(), [&](std::size_t a, std::size_t b) {
            return std::tie(spans[a].end, spans[a].start) > std::tie(spans[b].end, spans[b].start);
        });
        TimeUs cursor = end;
        TimeUs covered = 0;
        for (std::size_t kid : kids) {
            const Span &child = spans[kid];
            if (child.start >= cursor || visited[kid])
                continue;
            const TimeUs childEnd = std::min(child.end, cursor);
            covered += std::max<TimeUs>(0, childEnd - std::max(child.start, span.start));
            stack.push_back({kid, current.depth + 1, childEnd});
            cursor = child.start;
            if (cursor <= span.start)
                break;
        }
        path.push_back({span, current.depth, std::max<TimeUs>(0, end - span.start - covered)});
    }
    std::sort(path.begin(), path.end(), [](const auto &a, const auto &b) {
        return std::tie(a.span.start, a.depth) < std::tie(b.span.start, b.depth);
    });
    return path;
}

Result<IncidentReport> buildIncidentReport(CaptureReader &reader, const std::string &failureId,
                                           const ReportOptions &options,
                                           const std::string &generator)
{
    using R = Result<IncidentReport>;
    IncidentReport report;
    report.options = options;
    report.generator = generator;

    analysis::IncidentAnalyzer analyzer(reader, options.analysis);
    auto analysis = analyzer.analyze(failureId);
    if (!analysis)
        return R::failure(analysis.error());
    report.analysis = std::move(*analysis);
    const analysis::IncidentAnalysis &a = report.analysis;

    auto info = reader.info();
    if (!info)
        return R::failure(info.error());
    auto offsets = reader.offsets();
    if (!offsets)
        return R::failure(offsets.error());
    report.provenance = {reader.path(), std::move(*info), std::move(*offsets)};
    auto view = reader.savedView();
    if (!view)
        return R::failure(view.error());
    if (*view)
        report.notes = (*view)->notes;

    // The timeline: the cause window before the failure, through the recovery, and a margin
    // after it; within the capture's data.
    const TimeUs tail = std::max<TimeUs>(10 * kMinute, options.analysis.window / 3);
    report.timeline = {a.failure.time - options.analysis.window, incidentEnd(a) + tail};
    const TimeRange data = report.provenance.capture.span;
    if (data.end > data.begin) {
        report.timeline.begin = std::max(report.timeline.begin, data.begin);
        report.timeline.end = std::min(report.timeline.end, data.end);
    }
    if (report.timeline.end <= a.failure.time)
        report.timeline.end = a.failure.time + kMinute;

    addUnique(report.services, a.failure.service);
    addUnique(report.entities, a.failure.entity);
    for (const analysis::Suspect &suspect : a.suspects) {
        addUnique(report.services, suspect.service);
        addUnique(report.entities, suspect.entity);
    }
    for (const analysis::MetricAnomaly &anomaly : a.anomalies) {
        addUnique(report.services, anomaly.service);
        addUnique(report.entities, anomaly.entity);
    }

    auto trace = findFailingTrace(reader, a);
    if (!trace)
        return R::failure(trace.error());
    report.trace = std::move(*trace);
    if (Status status
        = collectKeyLogs(reader, a, report.trace, options.maxLogLines, report.keyLogs);
        !status)
        return R::failure(status.error());
    return report;
}

} // namespace eventscope::report
