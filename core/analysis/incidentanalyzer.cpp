#include "analysis/incidentanalyzer.h"

#include "analysis/precedencehistory.h"

#include "analysis/changepoint.h"
#include "analysis/graphpropagation.h"
#include "analysis/seriesanomaly.h"
#include "analysis/serviceanomaly.h"
#include "store/capturereader.h"
#include "util/timeformat.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

namespace eventscope::analysis {

namespace {

constexpr TimeUs kSecond = kMicrosPerSecond;
constexpr TimeUs kMinute = 60 * kSecond;
// Anomalies at least this strong date the start of an incident.
constexpr double kStrongAnomaly = 5.0;
constexpr double kStrongProbability = 0.3;
constexpr TimeUs kCascadeLookahead = 5 * kMinute;
// The most the capture's history (lift) moves a cause's score, up or down.
constexpr double kHistoryWeight = 0.08;

std::string fixed(double value, int decimals = 1)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string minutes(TimeUs duration)
{
    const double m = static_cast<double>(duration) / static_cast<double>(kMinute);
    return m < 1.0 ? fixed(static_cast<double>(duration) / kSecond, 0) + " s" : fixed(m) + " min";
}

bool contains(std::string_view text, std::string_view part)
{
    return text.find(part) != std::string_view::npos;
}

// Kubernetes' routine lifecycle chatter: every pod start says these.
bool isRoutineLifecycle(std::string_view type)
{
    for (std::string_view routine :
         {"k8s.Scheduled", "k8s.Pulled", "k8s.Pulling", "k8s.Created", "k8s.Started", "k8s.Killing",
          "k8s.SuccessfulCreate", "k8s.SuccessfulDelete", "k8s.ScalingReplicaSet"}) {
        if (type == routine)
            return true;
    }
    return false;
}

bool isSchedulingFailure(std::string_view type)
{
    return contains(type, "FailedScheduling") || contains(type, "Unschedulable")
        || contains(type, "Insufficient");
}

// Events that change cluster capacity: node drains and cordons, node removal, resource
// requests. What a scheduling failure most often follows.
bool isCapacityChange(const Event &event)
{
    return contains(event.type, "drain") || contains(event.type, "cordon")
        || contains(event.type, "node_removed") || contains(event.message, "resources.requests")
        || contains(event.message, "requests.cpu") || contains(event.message, "requests.memory");
}

double kindWeight(const Event &event, std::string &why)
{
    if (const ClusterCondition *condition = clusterCondition(event)) {
        why = "Kubernetes " + std::string(condition->reason) + ": "
            + std::string(condition->mechanism);
        return 1.0;
    }
    if (isRoutineLifecycle(event.type)) {
        why = "routine Kubernetes lifecycle event";
        return 0.2;
    }
    double weight = 0.5;
    switch (event.category) {
    case EventCategory::Deployment:
        weight = 1.0;
        why = "a deployment";
        break;
    case EventCategory::Config:
        weight = 1.0;
        why = "a configuration change";
        break;
    case EventCategory::Provisioning:
        weight = 0.7;
        why = "a provisioning change";
        break;
    case EventCategory::Scaling:
        weight = 0.5;
        why = "a scaling action";
        break;
    default:
        weight = 0.5;
        why = "a " + std::string(categoryName(event.category)) + " event";
        break;
    }
    if (event.severity >= Severity::Warning) {
        weight = std::max(weight, 0.8);
        why += ", severity " + std::string(severityName(event.severity));
    }
    return weight;
}

std::string labelOf(const SeriesKey &key, std::initializer_list<std::string_view> names)
{
    for (std::string_view name : names) {
        const std::string_view value = key.label(name);
        if (!value.empty())
            return std::string(value);
    }
    return {};
}

// Per-minute buckets between begin and end, as samples (zero where nothing happened).
std::vector<Sample> bucketCounts(const std::vector<TimeUs> &times, TimeUs begin, TimeUs end)
{
    const auto buckets = static_cast<std::size_t>((end - begin + kMinute - 1) / kMinute);
    std::vector<Sample> out(buckets);
    // Each bucket is stamped with its end: what it counts is known by then, and an onset
    // must not appear to precede the change that caused it.
    for (std::size_t i = 0; i < buckets; ++i)
        out[i] = {begin + static_cast<TimeUs>(i + 1) * kMinute, 0.0};
    for (TimeUs t : times) {
        if (t >= begin && t < end)
            out[static_cast<std::size_t>((t - begin) / kMinute)].value += 1;
    }
    return out;
}

} // namespace

struct IncidentAnalyzer::Context
{
    Event failure;
    TimeUs time = 0;
    TimeUs windowBegin = 0;
    TimeUs rangeBegin = 0;
    TimeUs rangeEnd = 0;
    std::string service;
    std::string entity;
    std::string node;
    std::span<const Event> events; // [rangeBegin, time + lookahead), owned by the analyzer
    std::span<const Span> spans;
    CallGraph graph;
    std::vector<MetricAnomaly> anomalies;
    std::set<std::string> related; // the failing service and everything it calls
    // Which services run on which node: built on first need (node conditions are rare).
    mutable std::optional<Placement> placementCache;
    const std::vector<SeriesInfo> *series = nullptr;
    const Placement &placement() const
    {
        if (!placementCache) {
            placementCache.emplace();
            placementCache->addEvents(events);
            for (const SeriesInfo &s : *series) {
                const std::string_view onNode = s.key.label("node");
                const std::string_view ofService = s.key.label("service");
                if (!onNode.empty() && !ofService.empty())
                    placementCache->add(std::string(onNode), std::string(ofService));
            }
        }
        return *placementCache;
    }
    // The first node condition (NodeNotReady and its kin) of each node in the window.
    std::map<std::string, const Event *> nodeConditions;
    TimeUs incidentOnset = 0;
    std::string incidentOnsetSeries;
    const PrecedenceHistory *history = nullptr; // capture-wide, owned by the analyzer

    // Per service: what moved, and whether it looks like the service's own problem.
    struct ServiceState
    {
        bool loadUp = false;
        TimeUs loadOnset = 0;
        bool symptom = false;
        TimeUs symptomOnset = 0;
        double magnitude = 0;
        std::string strongest; // series
        std::string strongestEntity;
        double strongestEntityScore = 0;
        bool own = false;
        std::string why;
    };
    std::map<std::string, ServiceState> services;
    std::map<std::string, int> deepestFailures; // service of the deepest failing span, per trace

    // Hops from the failing service down to `service`, and from `service` down to it.
    mutable std::map<std::string, std::pair<int, int>> distances;
    std::pair<int, int> distancesTo(const std::string &other) const
    {
        auto it = distances.find(other);
        if (it == distances.end())
            it = distances
                     .emplace(other,
                              std::pair{graph.distanceDown(service, other),
                                        graph.distanceDown(other, service)})
                     .first;
        return it->second;
    }

    bool relatedToFailure(const MetricAnomaly &a) const
    {
        return (!a.service.empty() && related.count(a.service))
            || (!a.entity.empty() && a.entity == entity) || (!a.node.empty() && a.node == node);
    }
};

IncidentAnalyzer::IncidentAnalyzer(CaptureReader &reader, AnalysisOptions options)
    : m_reader(reader)
    , m_options(options)
{ }

Status IncidentAnalyzer::loadSeriesList()
{
    if (m_seriesLoaded)
        return {};
    auto series = m_reader.series();
    if (!series)
        return Status::failure(series.error());
    m_series = std::move(*series);
    m_seriesLoaded = true;
    if (!m_topologyLoaded) {
        auto topology = m_reader.topology();
        if (!topology)
            return Status::failure(topology.error());
        m_topology = std::move(*topology);
        m_topologyLoaded = true;
    }
    return {};
}

Result<IncidentAnalysis> IncidentAnalyzer::analyze(const std::string &failureSourceId)
{
    auto event = m_reader.eventBySourceId(failureSourceId);
    if (!event)
        return Result<IncidentAnalysis>::failure(event.error());
    if (!event->has_value())
        return Result<IncidentAnalysis>::failure("no event with id '" + failureSourceId
                                                 + "' in the capture");
    return analyze(**event);
}

Result<std::vector<IncidentAnalysis>> IncidentAnalyzer::analyzeAll()
{
    EventQuery query;
    query.categories = EventQuery::categoryBit(EventCategory::Failure);
    auto failures = m_reader.events(query);
    if (!failures)
        return Result<std::vector<IncidentAnalysis>>::failure(failures.error());
    std::vector<IncidentAnalysis> results;
    results.reserve(failures->size());
    for (const Event &failure : *failures) {
        auto analysis = analyze(failure);
        if (!analysis)
            return Result<std::vector<IncidentAnalysis>>::failure(analysis.error());
        results.push_back(std::move(*analysis));
    }
    return results;
}

namespace {

// The records of [begin, end) from `cache`, brought to cover that range first: it keeps what
// overlaps and reads only what is missing (`read(from, to)` gives a Result<std::vector<T>>).
template<typename T, typename Read, typename TimeOf>
Result<std::span<const T>> cachedWindow(auto &cache, TimeUs begin, TimeUs end, Read &&read,
                                        TimeOf &&timeOf)
{
    using Out = Result<std::span<const T>>;
    const auto before = [&timeOf](const T &r, TimeUs t) { return timeOf(r) < t; };
    if (!cache.valid || begin < cache.begin || begin >= cache.end) {
        auto fresh = read(begin, end);
        if (!fresh)
            return Out::failure(fresh.error());
        cache.records = std::move(*fresh);
        cache.begin = begin;
        cache.end = end;
        cache.valid = true;
    } else if (end > cache.end) {
        auto more = read(cache.end, end);
        if (!more)
            return Out::failure(more.error());
        for (T &record : *more)
            cache.records.push_back(std::move(record));
        cache.end = end;
    }
    auto first = std::lower_bound(cache.records.begin(), cache.records.end(), begin, before);
    // Drop what fell behind once it is a good part of the cache.
    if (first - cache.records.begin() > static_cast<std::ptrdiff_t>(cache.records.size() / 2)) {
        cache.records.erase(cache.records.begin(), first);
        cache.begin = begin;
        first = cache.records.begin();
    }
    const auto last = std::lower_bound(first, cache.records.end(), end, before);
    return std::span<const T>(first, last);
}

} // namespace

Result<std::span<const Event>> IncidentAnalyzer::eventsIn(TimeUs begin, TimeUs end)
{
    return cachedWindow<Event>(
        m_events, begin, end,
        [this](TimeUs from, TimeUs to) {
            EventQuery query;
            query.range = {from, to};
            return m_reader.events(query);
        },
        [](const Event &e) { return e.time; });
}

Result<std::span<const Span>> IncidentAnalyzer::spansIn(TimeUs begin, TimeUs end)
{
    return cachedWindow<Span>(
        m_spans, begin, end,
        [this](TimeUs from, TimeUs to) {
            SpanQuery query;
            query.range = {from, to};
            return m_reader.spans(query);
        },
        [](const Span &s) { return s.start; });
}

Result<IncidentAnalysis> IncidentAnalyzer::analyze(const Event &failure)
{
    if (Status status = loadSeriesList(); !status)
        return Result<IncidentAnalysis>::failure(status.error());
    Context context;
    context.failure = failure;
    context.time = failure.time;
    context.windowBegin = failure.time - m_options.window;
    context.rangeBegin = context.windowBegin - m_options.baseline;
    context.rangeEnd = failure.time + 30 * kSecond;
    context.service = failure.service;
    context.entity = entityName(failure.entity);
    context.node = eventNode(failure);

    // A few minutes past the failure too: a cascade's later failures tell where it started.
    auto events = eventsIn(context.rangeBegin, failure.time + kCascadeLookahead);
    if (!events)
        return Result<IncidentAnalysis>::failure(events.error());
    context.events = *events;
    auto spans = spansIn(context.rangeBegin, context.rangeEnd);
    if (!spans)
        return Result<IncidentAnalysis>::failure(spans.error());
    context.spans = *spans;
    context.graph.addSpans(context.spans);
    for (const TopologyEdge &edge : m_topology)
        context.graph.addEdge(edge.caller, edge.callee);

    context.related.insert(context.service);
    std::vector<std::string> frontier{context.service};
    while (!frontier.empty()) {
        const std::string next = frontier.back();
        frontier.pop_back();
        for (const std::string &callee : context.graph.callees(next)) {
            if (context.related.insert(callee).second)
                frontier.push_back(callee);
        }
    }
    // Without traces there is no call graph: every service may be where it started.
    if (context.graph.empty()) {
        for (const SeriesInfo &series : m_series) {
            const std::string_view service = series.key.label("service");
            if (!service.empty())
                context.related.emplace(service);
        }
    }

    context.series = &m_series;

    if (Status status = findAnomalies(context); !status)
        return Result<IncidentAnalysis>::failure(status.error());
    if (Status status = deriveFromTraffic(context); !status)
        return Result<IncidentAnalysis>::failure(status.error());

    if (Status status = loadHistory(context); !status)
        return Result<IncidentAnalysis>::failure(status.error());

    IncidentAnalysis result;
    result.failure = failure;
    rankSuspects(context, result);
    rankCauses(context, result);
    std::vector<MetricAnomaly> related;
    for (const MetricAnomaly &a : context.anomalies) {
        if (context.relatedToFailure(a) && !(a.role == MetricRole::State))
            related.push_back(a);
    }
    std::sort(related.begin(), related.end(),
              [](const MetricAnomaly &a, const MetricAnomaly &b) { return a.score > b.score; });
    if (related.size() > m_options.maxAnomalies)
        related.resize(m_options.maxAnomalies);
    result.anomalies = std::move(related);
    if (Status status = findRecovery(result, context.related); !status)
        return Result<IncidentAnalysis>::failure(status.error());
    return result;
}

namespace {

// The typical time between a series' samples.
TimeUs sampleInterval(const SeriesInfo &series)
{
    if (series.sampleCount < 2 || series.lastTime <= series.firstTime)
        return kMinute;
    return std::max<TimeUs>(kSecond,
                            (series.lastTime - series.firstTime) / (series.sampleCount - 1));
}

// History enough to judge a series' noise: the analysis' baseline, or the last 48 samples
// where that is longer (coarse series), up to a week back.
constexpr std::size_t kHistorySamples = 48;
constexpr TimeUs kLongestHistory = 7 * 24 * 3600 * kSecond;

// Past the failure, the samples a coarse series needs to show what happened: about three
// intervals, at least 30 s and at most 15 minutes.
TimeUs lookaheadFor(TimeUs interval)
{
    return std::clamp<TimeUs>(3 * interval, 30 * kSecond, 15 * kMinute);
}

} // namespace

Status IncidentAnalyzer::findAnomalies(Context &context)
{
    // Only what can bear on this failure: its service, everything it calls and everything that
    // calls it (to tell passed-on load from its own), its entity and its node.
    std::set<std::string> services = context.related;
    std::vector<std::string> frontier(context.related.begin(), context.related.end());
    while (!frontier.empty()) {
        const std::string next = frontier.back();
        frontier.pop_back();
        for (const std::string &caller : context.graph.callers(next)) {
            if (services.insert(caller).second)
                frontier.push_back(caller);
        }
    }
    for (const SeriesInfo &series : m_series) {
        if (series.sampleCount == 0 || series.lastTime < context.windowBegin
            || series.firstTime > context.time)
            continue;
        const std::string_view service = series.key.label("service");
        const std::string_view pod = series.key.label("pod");
        const std::string_view node = series.key.label("node");
        const bool relevant = (!service.empty() && services.count(std::string(service)))
            || (!pod.empty() && pod == context.entity)
            || (!node.empty() && node == context.node && service.empty());
        if (!relevant)
            continue;
        const TimeUs interval = sampleInterval(series);
        const TimeUs end = context.time + lookaheadFor(interval);
        TimeUs begin = context.windowBegin
            - std::max(m_options.baseline, static_cast<TimeUs>(kHistorySamples) * interval);
        auto samples = m_reader.samples(series.id, {begin, end});
        if (!samples)
            return Status::failure(samples.error());
        // A gap before the window (history recorded at another time): reach further back.
        const auto historyCount = static_cast<std::size_t>(
            std::lower_bound(samples->begin(), samples->end(), context.windowBegin,
                             [](const Sample &s, TimeUs t) { return s.time < t; })
            - samples->begin());
        if (historyCount < kHistorySamples && series.firstTime < begin) {
            begin = std::max(series.firstTime, context.windowBegin - kLongestHistory);
            samples = m_reader.samples(series.id, {begin, end});
            if (!samples)
                return Status::failure(samples.error());
        }
        if (samples->size() < 4)
            continue;
        MetricAnomaly anomaly;
        anomaly.series = series.key.canonical();
        anomaly.name = series.key.name;
        anomaly.service = labelOf(series.key, {"service", "job", "app"});
        anomaly.entity = labelOf(series.key, {"pod", "instance"});
        anomaly.node = labelOf(series.key, {"node", "host"});
        const MetricMeaning meaning = metricMeaning(series.key, series.unit);
        anomaly.role = meaning.role;

        // Only what is still off its baseline at the failure: an earlier episode that ended
        // (the last incident's surge) explains nothing about this one.
        if (auto change = scoreSeries(*samples, {context.windowBegin, end}, meaning); change
            && change->ongoing && (change->probability > 0 || meaning.role == MetricRole::Load)
            && change->sigmas >= 3.0) {
            anomaly.onset = change->onset;
            anomaly.direction = change->direction;
            anomaly.score = std::min(change->sigmas, 1000.0);
            anomaly.probability = change->probability;
            anomaly.effect = change->effect;
            if (meaning.role == MetricRole::Latency)
                anomaly.changeSeconds
                    = (change->after - change->reference) * secondsPerUnit(series.key, series.unit);
            anomaly.baseline = change->reference;
            anomaly.sigma = change->scale;
            anomaly.seriesId = series.id;
            anomaly.after = change->after;
            context.anomalies.push_back(anomaly);
            continue;
        }
        // A series that reported steadily and went silent inside the window: its source is
        // gone (a node down, a pod killed).
        const std::vector<Sample> &s = *samples;
        // Per-pod series end whenever a pod is replaced or scaled away: not a symptom.
        if (anomaly.entity.empty() && s.back().time >= context.windowBegin
            && s.back().time < context.time - 2 * kMinute && s.front().time < context.windowBegin) {
            if (context.time - s.back().time > 6 * interval) {
                anomaly.onset = s.back().time + interval;
                anomaly.direction = -1;
                anomaly.score = 10.0;
                anomaly.probability = anomalyProbability(anomaly.score);
                anomaly.role = MetricRole::Availability;
                anomaly.baseline = s.back().value;
                anomaly.after = 0;
                anomaly.name += " (stopped reporting)";
                context.anomalies.push_back(anomaly);
            }
        }
    }
    return {};
}

Status IncidentAnalyzer::deriveFromTraffic(Context &context)
{
    // Error spans, span latency and error logs per service, per minute.
    std::map<std::string, std::vector<TimeUs>> errorSpans;
    std::map<std::string, std::vector<std::pair<TimeUs, double>>> durations;
    std::map<std::string, const Span *> byId;
    for (const Span &s : context.spans)
        byId[s.spanId] = &s;
    std::set<std::string> parentsOfErrors;
    for (const Span &s : context.spans) {
        if (s.status == SpanStatus::Error) {
            errorSpans[s.service].push_back(s.start);
            if (!s.parentSpanId.empty())
                parentsOfErrors.insert(s.parentSpanId);
        }
        durations[s.service].emplace_back(s.start, static_cast<double>(s.duration()) / 1000.0);
    }
    // The deepest failing span of each trace: a failing span none of whose children failed.
    for (const Span &s : context.spans) {
        if (s.status == SpanStatus::Error && !parentsOfErrors.count(s.spanId)
            && s.start >= context.windowBegin)
            ++context.deepestFailures[s.service];
    }

    LogQuery logs;
    logs.range = {context.rangeBegin, context.rangeEnd};
    logs.minLevel = Severity::Error;
    std::map<std::string, std::vector<TimeUs>> errorLogs;
    if (Status status = m_reader.forEachLog(logs,
                                            [&errorLogs](LogRecord &&log) {
                                                errorLogs[log.service].push_back(log.time);
                                                return true;
                                            });
        !status)
        return status;

    // Derived per-minute series, scored like stored ones.
    const auto addDerived = [&](const std::string &name, const std::string &service,
                                const std::vector<Sample> &samples, const MetricMeaning &meaning) {
        const auto change = scoreSeries(samples, {context.windowBegin, context.rangeEnd}, meaning);
        if (!change || !change->ongoing || change->probability <= 0 || change->sigmas < 3.0)
            return;
        MetricAnomaly a;
        a.name = name;
        a.series = name + "{service=" + service + "}";
        a.service = service;
        a.role = meaning.role;
        a.onset = change->onset;
        a.direction = change->direction;
        a.score = std::min(change->sigmas, 1000.0);
        a.probability = change->probability;
        a.effect = change->effect;
        if (meaning.role == MetricRole::Latency)
            a.changeSeconds = (change->after - change->reference) / 1000.0; // derived in ms
        a.baseline = change->reference;
        a.sigma = change->scale;
        a.after = change->after;
        context.anomalies.push_back(a);
    };
    MetricMeaning errorCounts;
    errorCounts.role = MetricRole::Errors;
    errorCounts.badDirection = 1;
    errorCounts.count = true;
    auto addCounts = [&](const std::map<std::string, std::vector<TimeUs>> &perService,
                         const char *name) {
        for (const auto &[service, times] : perService)
            addDerived(name, service, bucketCounts(times, context.rangeBegin, context.rangeEnd),
                       errorCounts);
    };
    addCounts(errorSpans, "error_spans_per_minute");
    addCounts(errorLogs, "error_logs_per_minute");

    MetricMeaning spanLatency;
    spanLatency.role = MetricRole::Latency;
    spanLatency.badDirection = 1;
    for (auto &[service, points] : durations) {
        std::map<TimeUs, std::vector<double>> perMinute;
        for (const auto &[time, ms] : points)
            perMinute[(time - context.rangeBegin) / kMinute].push_back(ms);
        std::vector<Sample> medians;
        for (auto &[bucket, values] : perMinute)
            medians.push_back({context.rangeBegin + (bucket + 1) * kMinute, median(values)});
        addDerived("span_duration_median_ms", service, medians, spanLatency);
    }

    // When did the incident begin: the first strong anomaly related to the failure. More
    // load counts only on the failing service itself: load rising on a callee is that
    // callee's traffic (another branch, an earlier surge), not this failure's beginning.
    // Less load is not a problem beginning (fewer users, a caller that stopped calling): only
    // load that rose counts.
    context.incidentOnset = context.time;
    for (const MetricAnomaly &a : context.anomalies) {
        if (a.score >= kStrongAnomaly && a.probability >= kStrongProbability
            && context.relatedToFailure(a) && a.role != MetricRole::State
            && (a.role != MetricRole::Load || (a.service == context.service && a.direction > 0))
            && a.onset < context.incidentOnset) {
            context.incidentOnset = a.onset;
            context.incidentOnsetSeries = a.series;
        }
    }
    return {};
}

void IncidentAnalyzer::rankSuspects(Context &context, IncidentAnalysis &result)
{
    // Signal 2: each service's worst symptom and its load.
    std::vector<SeriesFinding> findings;
    TimeUs interval = 0; // the finest resolution among what moved
    for (const MetricAnomaly &a : context.anomalies) {
        if (a.service.empty() || a.onset > context.time + kCascadeLookahead)
            continue;
        SeriesFinding f;
        f.service = a.service;
        f.entity = a.entity;
        f.series = a.series;
        f.meaning.role = a.role;
        f.score.onset = a.onset;
        f.score.direction = a.direction;
        f.score.sigmas = a.score;
        f.score.probability = a.probability;
        f.changeSeconds = a.changeSeconds;
        f.score.effect = a.effect;
        findings.push_back(std::move(f));
    }
    PropagationOptions propagation;
    for (const SeriesInfo &series : m_series) {
        if (series.sampleCount > 1 && series.lastTime >= context.windowBegin) {
            const TimeUs i = sampleInterval(series);
            interval = interval == 0 ? i : std::min(interval, i);
        }
        if (series.sampleCount > 0 && series.lastTime >= context.windowBegin
            && series.firstTime <= context.time) {
            if (const std::string_view service = series.key.label("service"); !service.empty())
                propagation.watched.emplace(service);
        }
    }
    const std::map<std::string, ServiceAnomaly> services = aggregateByService(findings);

    // Signal 3: where in the call graph it started.
    propagation.sameTime = std::max<TimeUs>(2 * kMinute, interval);
    const std::vector<ServiceRank> ranks
        = rankServices(context.graph, context.service, services, propagation);

    // What the cause ranking needs to know of each service.
    for (const ServiceRank &rank : ranks) {
        const ServiceAnomaly &a = services.at(rank.service);
        Context::ServiceState &state = context.services[rank.service];
        state.loadUp = a.load >= 0.5;
        state.loadOnset = a.loadOnset;
        state.symptom = a.symptom >= kStrongProbability;
        state.symptomOnset = a.onset;
        state.magnitude = a.strongestSigmas;
        state.strongest = a.strongest;
        state.strongestEntity = a.strongestEntity;
        state.own = rank.loadOrigin || (state.symptom && rank.own >= 0.5 * a.symptom);
        if (rank.loadOrigin)
            state.why
                = "request rate rose at " + rank.service + " itself (not passed on by a caller)";
        else if (rank.inheritedLoad)
            state.why = "more requests from its callers";
        else if (!rank.explainedBy.empty())
            state.why = "its callee " + rank.explainedBy + " moved as surely, no later";
        else
            state.why = a.strongest + " moved without a callee moving first";
    }

    std::vector<Suspect> suspects;
    for (const ServiceRank &rank : ranks) {
        const ServiceAnomaly &a = services.at(rank.service);
        const Context::ServiceState &state = context.services.at(rank.service);
        if (a.symptom <= 0 && !rank.loadOrigin)
            continue;
        Suspect suspect;
        suspect.service = rank.service;
        double score = rank.score;
        const auto deepest = context.deepestFailures.find(rank.service);
        if (deepest != context.deepestFailures.end() && deepest->second >= 3)
            score = std::min(1.0, score + 0.1);
        suspect.score = score;
        const TimeUs onset
            = rank.loadOrigin && a.load >= 0.5 ? std::min(a.loadOnset, a.onset) : a.onset;
        if (!a.strongest.empty())
            suspect.evidence.push_back(
                a.strongest
                + (onset <= context.time
                       ? " began " + minutes(context.time - onset) + " before the failure, "
                       : " began " + minutes(onset - context.time) + " after the failure, ")
                + fixed(a.strongestSigmas) + " sigma (anomaly " + fixed(100 * a.symptom, 0) + "%)");
        suspect.evidence.push_back(state.own ? state.why : "likely inherited: " + state.why);
        if (deepest != context.deepestFailures.end())
            suspect.evidence.push_back("deepest failing span in " + std::to_string(deepest->second)
                                       + " traces");
        if (rank.service == context.service && !context.entity.empty())
            suspect.entity = context.entity;
        else if (!a.strongestEntity.empty())
            suspect.entity = a.strongestEntity;
        if (!context.graph.empty() && rank.reach <= 0 && rank.service != context.service)
            suspect.evidence.push_back("not on the failing service's call path");
        suspects.push_back(std::move(suspect));
    }

    // A node: several failures on it, or its own metrics moved.
    if (!context.node.empty()) {
        int failuresOnNode = 0;
        std::set<std::string> servicesOnNode;
        for (const Event &e : context.events) {
            if (e.category == EventCategory::Failure && e.time >= context.time - 10 * kMinute
                && e.time <= context.time + kCascadeLookahead && eventNode(e) == context.node) {
                ++failuresOnNode;
                servicesOnNode.insert(e.service);
            }
        }
        const MetricAnomaly *nodeAnomaly = nullptr;
        for (const MetricAnomaly &a : context.anomalies) {
            // A node failing shows as loss (not ready, silent), not as a pod's growth on it.
            if (a.node == context.node && a.service.empty() && a.direction < 0
                && a.onset <= context.time && (!nodeAnomaly || a.onset < nodeAnomaly->onset))
                nodeAnomaly = &a;
        }
        double score = 0.3;
        Suspect node;
        node.entity = context.node;
        if (nodeAnomaly) {
            score += 0.4;
            node.evidence.push_back(nodeAnomaly->series + " moved "
                                    + minutes(context.time - nodeAnomaly->onset)
                                    + " before the failure");
        }
        if (servicesOnNode.size() >= 2) {
            score += 0.3;
            node.evidence.push_back(std::to_string(failuresOnNode) + " failures on " + context.node
                                    + " across " + std::to_string(servicesOnNode.size())
                                    + " services");
        } else {
            node.evidence.push_back("the failing entity runs on " + context.node);
        }
        node.score = std::min(score, 1.0);
        suspects.push_back(std::move(node));
    }

    // Where the failure was observed is a suspect even when none of its metrics moved: ahead
    // of a node whose only evidence is that the failing entity runs there.
    const bool failingServiceListed
        = std::any_of(suspects.begin(), suspects.end(),
                      [&context](const Suspect &s) { return s.service == context.service; });
    if (!failingServiceListed && !context.service.empty()) {
        Suspect fallback;
        fallback.service = context.service;
        fallback.entity = context.entity;
        fallback.score = 0.3;
        fallback.evidence.push_back("no metric of it moved; the failure was observed here");
        suspects.insert(suspects.begin(), std::move(fallback));
    }
    std::stable_sort(suspects.begin(), suspects.end(),
                     [](const Suspect &a, const Suspect &b) { return a.score > b.score; });
    if (suspects.size() > m_options.maxSuspects)
        suspects.resize(m_options.maxSuspects);
    result.suspects = std::move(suspects);
}

double IncidentAnalyzer::scoreCause(const Context &context, const Event &candidate,
                                    const std::function<int(const std::string &)> &countOf,
                                    std::vector<std::string> *evidence) const
{
    const bool schedulingFailure = isSchedulingFailure(context.failure.type);
    const std::string entity = entityName(candidate.entity);
    const std::string node = eventNode(candidate);

    // Topology; for a condition Kubernetes reports, also how directly it touches what failed.
    const ClusterCondition *condition = clusterCondition(candidate);
    double topology = 0;
    double conditionLink = 0;
    bool capacity = false;
    if (!entity.empty() && !context.entity.empty() && entity == context.entity) {
        topology = 1.0;
        conditionLink = 1.0;
        if (evidence)
            evidence->push_back("same entity " + entity);
    } else if (!node.empty() && node == context.node) {
        topology = 0.9;
        // A node's condition reaches every pod on it; another pod's trouble reaches it less.
        conditionLink = condition && condition->scope == ClusterCondition::Scope::Node ? 1.0 : 0.4;
        if (evidence)
            evidence->push_back("same node " + node);
    } else if (!candidate.service.empty() && candidate.service == context.service) {
        topology = 0.8;
        conditionLink = 0.8;
        if (evidence)
            evidence->push_back("same service " + candidate.service);
    } else if (!candidate.service.empty()) {
        const auto [down, up] = context.distancesTo(candidate.service);
        if (down > 0) {
            topology = 0.8 / (1.0 + 0.25 * (down - 1));
            conditionLink = 0.85 * topology; // a service it depends on
            if (evidence)
                evidence->push_back(context.service + " depends on " + candidate.service + " ("
                                    + std::to_string(down) + (down == 1 ? " hop" : " hops")
                                    + " down the call graph)");
        } else if (up > 0) {
            topology = 0.3;
            if (evidence)
                evidence->push_back(candidate.service + " calls " + context.service);
        }
    }
    if (!condition)
        conditionLink = 0;
    // A node's condition reaches the services that run there.
    if (condition && condition->scope == ClusterCondition::Scope::Node && !node.empty()
        && node != context.node) {
        if (context.placement().runsOn(context.service, node)) {
            topology = std::max(topology, 0.85);
            conditionLink = std::max(conditionLink, 0.85);
            if (evidence)
                evidence->push_back(context.service + " runs pods on node " + node);
        } else {
            for (const std::string &service : context.placement().servicesOn(node)) {
                const int down = context.distancesTo(service).first;
                if (service == context.service || down <= 0)
                    continue;
                const double link = 0.7 / (1.0 + 0.25 * (down - 1));
                if (link > conditionLink) {
                    topology = std::max(topology, link);
                    conditionLink = link;
                    if (evidence)
                        evidence->push_back(service + ", which " + context.service
                                            + " depends on, runs pods on node " + node);
                }
            }
        }
    }
    if (topology < 0.7 && schedulingFailure && isCapacityChange(candidate)) {
        topology = 0.7;
        capacity = true;
        if (evidence)
            evidence->push_back("changes cluster capacity before a scheduling failure");
    }

    // Mediation: a metric that moved after the candidate, on what it touched, on the
    // failure's path, as the service's own problem.
    double mediation = 0;
    std::string mediationWhy;
    for (const MetricAnomaly &a : context.anomalies) {
        if ((a.role == MetricRole::State) || a.onset < candidate.time - 15 * kSecond
            || a.onset > context.time || a.score < 3.0)
            continue;
        const bool touchesCandidate = (!candidate.service.empty() && a.service == candidate.service)
            || (!entity.empty() && a.entity == entity) || (!node.empty() && a.node == node)
            || (capacity && a.service == context.service);
        if (!touchesCandidate || !context.relatedToFailure(a))
            continue;
        // A change does not bring a service its own requests: those come from its callers
        // and users. (A change that makes it retry loads its callees, which is another service.)
        if ((a.role == MetricRole::Load) && !candidate.service.empty()
            && a.service == candidate.service)
            continue;
        bool own = a.service.empty() || !a.entity.empty() || !a.node.empty();
        if (const auto it = context.services.find(a.service); it != context.services.end()) {
            own = own || it->second.own;
            // A symptom that came with more traffic on its service is the traffic's doing,
            // unless the candidate took capacity away from that traffic.
            const auto &state = it->second;
            if (state.loadUp && !(a.role == MetricRole::Load)
                && state.loadOnset <= a.onset + kMinute && !isCapacityChange(candidate))
                continue;
        }
        if (!own)
            continue;
        const double strength = 0.5 + 0.5 * std::min(1.0, a.score / 10.0);
        const double lag = static_cast<double>(std::max<TimeUs>(0, a.onset - candidate.time));
        const double value = strength * std::exp(-lag / static_cast<double>(5 * kMinute));
        if (value > mediation) {
            mediation = value;
            if (evidence)
                mediationWhy = a.series + (a.direction > 0 ? " rose " : " fell ") + fixed(a.score)
                    + " sigma, " + minutes(a.onset - candidate.time) + " after it";
        }
    }
    if (mediation > 0)
        if (evidence)
            evidence->push_back(mediationWhy);
    // A condition Kubernetes reports on what failed explains it by its mechanism, whether or
    // not a metric of it was recorded. It acts at once, so the failure follows within minutes,
    // as a metric moved by a change does (the same decay).
    if (condition && conditionLink > 0) {
        const double lag = static_cast<double>(context.time - candidate.time);
        mediation = std::max(mediation,
                             condition->strength * conditionLink
                                 * std::exp(-lag / static_cast<double>(5 * kMinute)));
    }

    std::string kindWhy;
    const double kind = kindWeight(candidate, kindWhy);
    if (evidence)
        evidence->push_back(kindWhy);

    const int count = std::max(1, countOf(candidate.type));
    const double rarity = 1.0 / (1.0 + std::log2(static_cast<double>(count)));
    if (evidence)
        evidence->push_back(count == 1 ? "the only " + candidate.type + " in the window"
                                       : std::to_string(count) + " " + candidate.type
                                    + " events in the window (routine)");
    // History: how often this type came before failures like this one elsewhere in the
    // capture, against how common it is at all. Moves the score by at most ±kHistoryWeight, and
    // not at all without other incidents of the type.
    double history = 0;
    if (context.history) {
        const Precedence p = context.history->precedence(candidate.type, context.failure.type,
                                                         context.time, m_options.window);
        if (p.incidents > 0 && p.coverage > 0) {
            history = std::clamp(std::log2(p.lift) / 3.0, -1.0, 1.0);
            if (evidence)
                evidence->push_back(
                    "history: " + candidate.type + " came before " + std::to_string(p.preceded)
                    + " of " + std::to_string(p.incidents) + " other " + context.failure.type
                    + " incidents within " + minutes(m_options.window) + ", and is around "
                    + std::to_string(static_cast<int>(std::lround(100 * p.coverage)))
                    + "% of the time (lift " + fixed(p.lift) + ")");
        }
    }
    const double proximity = std::exp(-static_cast<double>(context.time - candidate.time)
                                      / static_cast<double>(m_options.window / 2));
    if (evidence)
        evidence->push_back(minutes(context.time - candidate.time) + " before the failure");

    double score = 0.25 * topology + 0.45 * mediation + 0.12 * kind + 0.08 * rarity
        + 0.10 * proximity + kHistoryWeight * history;
    if (isRoutineLifecycle(candidate.type))
        score *= 0.4; // a pod starting is what follows a change, not a change itself
    // A pod's condition on a node that had already stopped is the node's doing.
    if (condition && condition->scope != ClusterCondition::Scope::Node && !node.empty()) {
        const auto it = context.nodeConditions.find(node);
        if (it != context.nodeConditions.end() && it->second->time <= candidate.time) {
            score *= 0.5;
            if (evidence)
                evidence->push_back("follows " + it->second->type + " of node " + node);
        }
    }
    // A condition is reported once it has held for a while (a node is NotReady after missed
    // heartbeats, BackOff after repeated crashes): what it announces began before it.
    if (candidate.time > context.incidentOnset + 45 * kSecond && conditionLink <= 0) {
        score *= 0.35;
        if (evidence)
            evidence->push_back("came after " + context.incidentOnsetSeries + " had already moved");
    }
    return std::clamp(score, 0.0, 1.0);
}

Status IncidentAnalyzer::loadHistory(Context &context)
{
    // Only the failure's type and the candidates' types, each read once per analyzer.
    std::vector<std::string> missing;
    const auto need = [&](const std::string &type) {
        if ((!m_history || !m_history->holds(type))
            && std::find(missing.begin(), missing.end(), type) == missing.end())
            missing.push_back(type);
    };
    need(context.failure.type);
    for (const Event &e : context.events) {
        if (e.time >= context.windowBegin && e.time < context.time)
            need(e.type);
    }
    if (!missing.empty()) {
        auto counts = m_reader.eventHistory(missing);
        if (!counts)
            return Status::failure(counts.error());
        if (m_history)
            m_history->add(std::move(*counts));
        else
            m_history.emplace(std::move(*counts));
    }
    context.history = &*m_history;
    return {};
}

void IncidentAnalyzer::rankCauses(Context &context, IncidentAnalysis &result)
{
    std::unordered_map<std::string_view, int> typeCounts;
    for (const Event &e : context.events) {
        if (e.time < context.time)
            ++typeCounts[e.type];
    }
    const auto countOf = [&typeCounts](const std::string &type) {
        const auto it = typeCounts.find(type);
        return it == typeCounts.end() ? 0 : it->second;
    };
    for (const Event &e : context.events) {
        if (e.time < context.windowBegin || e.time >= context.time)
            continue;
        const ClusterCondition *condition = clusterCondition(e);
        if (condition && condition->scope == ClusterCondition::Scope::Node)
            context.nodeConditions.try_emplace(eventNode(e), &e);
    }
    // Score every candidate cheaply, then explain the best.
    std::vector<std::pair<double, const Event *>> scored;
    for (const Event &candidate : context.events) {
        if (candidate.time < context.windowBegin || candidate.time >= context.time
            || !isCauseCandidate(candidate, context.failure))
            continue;
        scored.emplace_back(scoreCause(context, candidate, countOf, nullptr), &candidate);
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto &a, const auto &b) { return a.first > b.first; });
    if (scored.size() > m_options.maxCauses)
        scored.resize(m_options.maxCauses);
    for (const auto &[score, event] : scored) {
        RankedCause cause;
        cause.event = *event;
        cause.score = scoreCause(context, *event, countOf, &cause.evidence);
        result.causes.push_back(std::move(cause));
    }
}

Status IncidentAnalyzer::findRecovery(IncidentAnalysis &result,
                                      const std::set<std::string> &related)
{
    const Event &failure = result.failure;
    EventQuery query;
    query.range = {failure.time + 1, failure.time + m_options.recoveryHorizon};
    query.categories = EventQuery::categoryBit(EventCategory::Recovery);
    // The failing service's (or entity's) own recovery, unless it only comes after that
    // service failed again later (a new incident's); else the first recovery downstream on
    // its call path, where the problem was (a dependency that recovered).
    query.categories |= EventQuery::categoryBit(EventCategory::Failure);
    const std::string entity = entityName(failure.entity);
    std::optional<Event> downstream;
    Status status = m_reader.forEachEvent(query, [&](Event &&e) {
        const bool sameService = !failure.service.empty() && e.service == failure.service;
        const bool sameEntity = !entity.empty() && entityName(e.entity) == entity;
        if (e.category == EventCategory::Failure)
            return !(sameService && e.time > failure.time + kCascadeLookahead);
        if (sameService || sameEntity) {
            result.recovery = std::move(e);
            return false;
        }
        if (!downstream && related.count(e.service))
            downstream = std::move(e);
        return true;
    });
    if (!result.recovery && downstream)
        result.recovery = std::move(downstream);
    if (!status)
        return status;
    if (result.recovery) {
        result.recoveryTime = result.recovery->time;
        result.ttrSeconds = static_cast<double>(result.recoveryTime - failure.time) / kSecond;
        return {};
    }

    // No recovery event: the strongest stored metric that moved coming back to its baseline
    // (within two sigmas for three samples in a row).
    const MetricAnomaly *strongest = nullptr;
    for (const MetricAnomaly &a : result.anomalies) {
        if (a.seriesId != 0 && a.sigma > 0 && (!strongest || a.score > strongest->score))
            strongest = &a;
    }
    if (!strongest)
        return {};
    auto samples = m_reader.samples(strongest->seriesId,
                                    {failure.time, failure.time + m_options.recoveryHorizon});
    if (!samples)
        return Status::failure(samples.error());
    int calm = 0;
    for (const Sample &sample : *samples) {
        calm = std::abs(sample.value - strongest->baseline) <= 2 * strongest->sigma ? calm + 1 : 0;
        if (calm == 1)
            result.recoveryTime = sample.time;
        if (calm == 3) {
            result.recoveryMetric = strongest->series;
            result.ttrSeconds = static_cast<double>(result.recoveryTime - failure.time) / kSecond;
            return {};
        }
    }
    result.recoveryTime = 0;
    return {};
}

std::vector<MttrGroup> summarizeMttr(const std::vector<IncidentAnalysis> &analyses)
{
    std::map<std::pair<std::string, std::string>, std::vector<const IncidentAnalysis *>> groups;
    for (const IncidentAnalysis &a : analyses)
        groups[{a.failure.service, a.failure.type}].push_back(&a);
    std::vector<MttrGroup> out;
    for (const auto &[key, members] : groups) {
        MttrGroup group;
        group.service = key.first;
        group.type = key.second;
        group.incidents = static_cast<int>(members.size());
        std::vector<double> all;
        std::map<std::string, std::vector<double>> byDay;
        for (const IncidentAnalysis *a : members) {
            if (a->ttrSeconds < 0)
                continue;
            all.push_back(a->ttrSeconds);
            byDay[formatTimestamp(a->failure.time).substr(0, 10)].push_back(a->ttrSeconds);
        }
        group.recovered = static_cast<int>(all.size());
        if (!all.empty()) {
            double sum = 0;
            for (double v : all)
                sum += v;
            group.meanSeconds = sum / static_cast<double>(all.size());
            group.medianSeconds = median(all);
        }
        for (const auto &[day, values] : byDay)
            group.days.push_back({day, static_cast<int>(values.size()), median(values)});
        out.push_back(std::move(group));
    }
    return out;
}

bool isConfidentCause(const RankedCause &cause)
{
    return cause.score >= kConfidentCauseScore;
}

} // namespace eventscope::analysis
