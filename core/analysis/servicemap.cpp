#include "analysis/servicemap.h"

#include "analysis/metricmeaning.h"
#include "analysis/seriesanomaly.h"
#include "store/capturereader.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace eventscope::analysis {

namespace {

std::string serviceOf(const SeriesKey &key)
{
    for (std::string_view name : {"service", "job", "app"}) {
        if (const std::string_view value = key.label(name); !value.empty())
            return std::string(value);
    }
    return {};
}

// Layers left to right: a service sits one right of its furthest caller. Cycles (a service
// calling back up) are cut where they close, so every service gets a layer.
std::map<std::string, int> layersOf(const std::set<std::string> &services,
                                    const std::vector<ServiceMapEdge> &edges)
{
    std::map<std::string, std::vector<std::string>> callees;
    std::map<std::string, int> callers;
    for (const ServiceMapEdge &e : edges) {
        callees[e.caller].push_back(e.callee);
        ++callers[e.callee];
    }
    std::map<std::string, int> layer;
    std::set<std::string> onPath;
    // Longest path from the entry points, depth first (graphs here have tens of services).
    const auto visit = [&](const auto &self, const std::string &service, int depth) -> void {
        if (onPath.count(service))
            return; // a cycle
        const auto known = layer.find(service);
        if (known != layer.end() && known->second >= depth)
            return;
        layer[service] = depth;
        onPath.insert(service);
        for (const std::string &callee : callees[service])
            self(self, callee, depth + 1);
        onPath.erase(service);
    };
    for (const std::string &service : services) {
        if (callers[service] == 0)
            visit(visit, service, 0);
    }
    for (const std::string &service : services) { // only in cycles: from the first seen
        if (!layer.count(service))
            visit(visit, service, 0);
    }
    return layer;
}

} // namespace

Result<ServiceMap> buildServiceMap(CaptureReader &reader, TimeUs at,
                                   const ServiceMapOptions &options,
                                   const std::atomic<bool> *cancelled)
{
    using R = Result<ServiceMap>;
    const auto stop = [cancelled] { return cancelled && cancelled->load(); };
    ServiceMap map;
    map.at = at;
    map.window = {at - options.window, at + 1};

    // Calls: a span whose parent is in another service is a call from there to here.
    SpanQuery query;
    query.range = map.window;
    query.limit = options.maxSpans + 1;
    auto spans = reader.spans(query);
    if (!spans)
        return R::failure(spans.error());
    if (spans->size() > options.maxSpans) {
        spans->resize(options.maxSpans);
        map.spansCapped = true;
    }
    map.spansRead = spans->size();
    std::unordered_map<std::string_view, const Span *> byId;
    byId.reserve(spans->size());
    for (const Span &s : *spans)
        byId.emplace(s.spanId, &s);
    std::map<std::pair<std::string, std::string>, ServiceMapEdge> edges;
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> spanCounts; // all, failed
    for (const Span &s : *spans) {
        if (s.service.empty())
            continue;
        auto &counts = spanCounts[s.service];
        ++counts.first;
        counts.second += s.status == SpanStatus::Error;
        if (s.parentSpanId.empty())
            continue;
        const auto parent = byId.find(s.parentSpanId);
        if (parent == byId.end() || parent->second->traceId != s.traceId
            || parent->second->service.empty() || parent->second->service == s.service)
            continue;
        ServiceMapEdge &edge = edges[{parent->second->service, s.service}];
        edge.caller = parent->second->service;
        edge.callee = s.service;
        ++edge.calls;
        edge.errors += s.status == SpanStatus::Error;
    }
    auto topology = reader.topology();
    if (!topology)
        return R::failure(topology.error());
    for (const TopologyEdge &t : *topology) {
        if (t.caller.empty() || t.callee.empty() || t.caller == t.callee)
            continue;
        ServiceMapEdge &edge = edges[{t.caller, t.callee}];
        edge.caller = t.caller;
        edge.callee = t.callee;
        edge.declared = true;
    }
    std::set<std::string> services;
    for (auto &[key, edge] : edges) {
        services.insert(edge.caller);
        services.insert(edge.callee);
        map.edges.push_back(std::move(edge));
    }
    for (const auto &[service, counts] : spanCounts)
        services.insert(service);

    // How abnormal each service looks at the moment: its series, scored over the window
    // against the baseline before it; only what is still off at the moment counts.
    auto series = reader.series();
    if (!series)
        return R::failure(series.error());
    std::vector<SeriesFinding> findings;
    std::map<std::string, int> scored;
    const ScoringWindow window{map.window.begin, map.window.end};
    for (const SeriesInfo &info : *series) {
        if (stop())
            return R::failure("cancelled");
        const std::string service = serviceOf(info.key);
        if (service.empty() || info.sampleCount < 4 || info.lastTime < map.window.begin
            || info.firstTime > at)
            continue;
        services.insert(service);
        auto samples = reader.samples(info.id, {map.window.begin - options.baseline, at + 1});
        if (!samples)
            return R::failure(samples.error());
        if (samples->size() < 4)
            continue;
        ++scored[service];
        const MetricMeaning meaning = metricMeaning(info.key, info.unit);
        const auto change = scoreSeries(*samples, window, meaning);
        if (!change || !change->ongoing || change->sigmas < 3.0)
            continue;
        if (change->probability <= 0 && meaning.role != MetricRole::Load)
            continue;
        SeriesFinding finding;
        finding.service = service;
        for (std::string_view name : {"pod", "instance"}) {
            if (const std::string_view entity = info.key.label(name); !entity.empty()) {
                finding.entity = std::string(entity);
                break;
            }
        }
        finding.series = info.key.canonical();
        finding.meaning = meaning;
        finding.score = *change;
        findings.push_back(std::move(finding));
    }
    const std::map<std::string, ServiceAnomaly> anomalies = aggregateByService(findings);

    const std::map<std::string, int> layers = layersOf(services, map.edges);
    for (const std::string &service : services) {
        ServiceMapNode node;
        node.service = service;
        if (const auto a = anomalies.find(service); a != anomalies.end())
            node.anomaly = a->second;
        if (const auto n = scored.find(service); n != scored.end())
            node.seriesScored = n->second;
        if (const auto c = spanCounts.find(service); c != spanCounts.end()) {
            node.spans = c->second.first;
            node.errorSpans = c->second.second;
        }
        node.layer = layers.count(service) ? layers.at(service) : 0;
        map.nodes.push_back(std::move(node));
    }
    std::stable_sort(
        map.nodes.begin(), map.nodes.end(),
        [](const ServiceMapNode &a, const ServiceMapNode &b) { return a.layer < b.layer; });
    return map;
}

} // namespace eventscope::analysis
