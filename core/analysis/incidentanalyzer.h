#pragma once

#include "analysis/callgraph.h"
#include "analysis/eventlinking.h"
#include "analysis/metricmeaning.h"
#include "analysis/precedencehistory.h"
#include "model/event.h"
#include "model/series.h"
#include "model/topologyedge.h"
#include "util/result.h"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace eventscope {
class CaptureReader;
}

namespace eventscope::analysis {

// A metric (stored, or derived from logs and spans) that moved around an incident.
struct MetricAnomaly
{
    std::string series; // canonical key, e.g. latency_p99_ms{service=payments}
    std::string name;
    std::string service; // from the labels, where known
    std::string entity; // pod (or instance) label
    std::string node;
    TimeUs onset = 0;
    int direction = 0;
    double score = 0; // typical deviation after the onset, in sigmas of the series' noise
    double probability = 0; // [0, 1]: an abnormal change in the direction that is bad
    MetricRole role = MetricRole::Other;
    double changeSeconds = 0; // durations: after - baseline in seconds (0 when not known)
    double effect = 0; // the change relative to its starting level (seriesanomaly.h)
    double baseline = 0;
    double sigma = 0;
    double after = 0;
    std::int64_t seriesId = 0; // stored series; 0 for those derived from logs and spans
};

struct RankedCause
{
    Event event;
    double score = 0; // [0, 1]
    std::vector<std::string> evidence;
};

struct Suspect
{
    std::string service;
    std::string entity;
    double score = 0; // [0, 1]
    std::vector<std::string> evidence;
};

struct IncidentAnalysis
{
    Event failure;
    std::vector<RankedCause> causes; // best first
    std::vector<Suspect> suspects; // best first
    std::vector<MetricAnomaly> anomalies; // strongest first, related to the incident
    std::optional<Event> recovery; // the recovery event, when there is one
    std::string recoveryMetric; // else: the metric whose return to baseline marks it
    TimeUs recoveryTime = 0; // either way; 0 when not recovered
    double ttrSeconds = -1;
};

// Time to recover, per failing service and failure type, and per day within each.
struct MttrGroup
{
    std::string service;
    std::string type;
    int incidents = 0;
    int recovered = 0;
    double medianSeconds = 0;
    double meanSeconds = 0;
    struct Day
    {
        std::string day; // YYYY-MM-DD (UTC)
        int recovered = 0;
        double medianSeconds = 0;
    };
    std::vector<Day> days;
};
std::vector<MttrGroup> summarizeMttr(const std::vector<IncidentAnalysis> &analyses);

struct AnalysisOptions
{
    TimeUs window = 30 * 60 * kMicrosPerSecond; // candidates precede the failure by this much
    TimeUs baseline = 30 * 60 * kMicrosPerSecond; // history before the window for baselines
    TimeUs recoveryHorizon = 2 * 3600 * kMicrosPerSecond;
    std::size_t maxCauses = 5;
    std::size_t maxSuspects = 5;
    std::size_t maxAnomalies = 10;
};

// Root-cause ranking, suspects and anomalies for failure events. Reads only the time range an
// incident needs, through the capture's query interface.
class IncidentAnalyzer
{
public:
    IncidentAnalyzer(CaptureReader &reader, AnalysisOptions options = {});

    Result<IncidentAnalysis> analyze(const Event &failure);
    // The failure event with this source id.
    Result<IncidentAnalysis> analyze(const std::string &failureSourceId);
    // Every failure event in the capture, oldest first.
    Result<std::vector<IncidentAnalysis>> analyzeAll();
    // Reads what every analysis needs first (the series list, the topology), so that the
    // first analysis does not wait for it: a console calls it when a capture opens.
    Status prepare() { return loadSeriesList(); }
    // Forget the cached series list and event and span windows (the capture grew).
    void forgetCaches()
    {
        m_seriesLoaded = false;
        m_topologyLoaded = false;
        m_history.reset();
        m_events.valid = false;
        m_spans.valid = false;
    }

private:
    struct Context;
    // Records of a sliding time range: consecutive incidents (analyzeAll goes in time order)
    // share most of their windows, so only the new slice is read.
    template<typename T> struct WindowCache
    {
        std::vector<T> records; // sorted by time
        TimeUs begin = 0;
        TimeUs end = 0;
        bool valid = false;
    };
    Result<std::span<const Event>> eventsIn(TimeUs begin, TimeUs end);
    Result<std::span<const Span>> spansIn(TimeUs begin, TimeUs end);
    Status loadSeriesList();
    Status findAnomalies(Context &context);
    Status deriveFromTraffic(Context &context);
    // The capture's history of the failure's and the candidates' event types.
    Status loadHistory(Context &context);
    void rankCauses(Context &context, IncidentAnalysis &result);
    // The cause score of one candidate; with `evidence`, also the reasons in words.
    double scoreCause(const Context &context, const Event &candidate,
                      const std::function<int(const std::string &)> &countOf,
                      std::vector<std::string> *evidence) const;
    void rankSuspects(Context &context, IncidentAnalysis &result);
    Status findRecovery(IncidentAnalysis &result, const std::set<std::string> &related);

    CaptureReader &m_reader;
    AnalysisOptions m_options;
    std::vector<SeriesInfo> m_series;
    WindowCache<Event> m_events;
    WindowCache<Span> m_spans;
    bool m_seriesLoaded = false;
    std::vector<TopologyEdge> m_topology; // declared, read once
    bool m_topologyLoaded = false;
    std::optional<PrecedenceHistory> m_history; // the event types read so far
};

// Causes at or above this score explain the failure; below it they are only the best of
// weak candidates (an incident may have no cause event at all).
constexpr double kConfidentCauseScore = 0.65;
bool isConfidentCause(const RankedCause &cause);

} // namespace eventscope::analysis
