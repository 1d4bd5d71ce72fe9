#include "analysis/liveanalysis.h"

#include "store/capturereader.h"

namespace eventscope::analysis {

LiveAnalysis::LiveAnalysis(CaptureReader &reader, std::vector<AlertRule> rules,
                           AnalysisOptions options)
    : m_reader(reader)
    , m_rules(std::move(rules))
    , m_analyzer(reader, options)
{ }

Result<LiveAnalysis::Update> LiveAnalysis::advance(TimeUs completeUntil)
{
    using R = Result<Update>;
    Update update;
    if (m_analysedUntil == 0 || m_alertsUntil == 0) {
        // Start where the capture starts.
        auto info = m_reader.info();
        if (!info)
            return R::failure(info.error());
        if (info->span.isEmpty())
            return update;
        if (m_analysedUntil == 0)
            m_analysedUntil = info->span.begin;
        if (m_alertsUntil == 0)
            m_alertsUntil = info->span.begin;
    }
    const TimeUs finalUntil = completeUntil - kSettle;
    if (finalUntil > m_analysedUntil) {
        EventQuery query;
        query.range = {m_analysedUntil, finalUntil};
        query.categories = EventQuery::categoryBit(EventCategory::Failure);
        auto failures = m_reader.events(query);
        if (!failures)
            return R::failure(failures.error());
        m_analyzer.forgetCaches();
        for (const Event &failure : *failures) {
            auto analysis = m_analyzer.analyze(failure);
            if (!analysis)
                return R::failure(analysis.error());
            update.incidents.push_back(std::move(*analysis));
        }
        m_analysedUntil = finalUntil;
    }
    if (!m_rules.empty() && completeUntil > m_alertsUntil) {
        auto alerts = evaluateAlerts(m_reader, m_rules, {m_alertsUntil, completeUntil});
        if (!alerts)
            return R::failure(alerts.error());
        update.alerts = std::move(*alerts);
        m_alertsUntil = completeUntil;
    }
    return update;
}

} // namespace eventscope::analysis
