#pragma once

#include "analysis/alertrules.h"
#include "analysis/incidentanalyzer.h"

#include <memory>
#include <vector>

namespace eventscope::analysis {

// Analysis that follows a capture while ingest writes to it: after each commit, advance() to
// the time the capture is complete up to; it analyses the failures that have become final
// (enough data after them for a cascade to show) and evaluates the alert rules over the new
// stretch only. Evaluating in steps gives the same results as evaluating the whole at once.
class LiveAnalysis
{
public:
    LiveAnalysis(CaptureReader &reader, std::vector<AlertRule> rules, AnalysisOptions options = {});

    struct Update
    {
        std::vector<IncidentAnalysis> incidents;
        std::vector<Event> alerts;
    };
    // `completeUntil`: the capture holds everything before this time.
    Result<Update> advance(TimeUs completeUntil);
    TimeUs analysedUntil() const { return m_analysedUntil; }

    // How long after a failure its analysis waits for data (the cascade look-ahead).
    static constexpr TimeUs kSettle = 5 * 60 * kMicrosPerSecond;

private:
    CaptureReader &m_reader;
    std::vector<AlertRule> m_rules;
    IncidentAnalyzer m_analyzer;
    TimeUs m_analysedUntil = 0; // failures before this are analysed
    TimeUs m_alertsUntil = 0; // alerts before this are evaluated
};

} // namespace eventscope::analysis
