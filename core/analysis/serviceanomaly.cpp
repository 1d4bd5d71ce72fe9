#include "analysis/serviceanomaly.h"

#include <algorithm>
#include <cmath>

namespace eventscope::analysis {

double symptomWeight(MetricRole role)
{
    switch (role) {
    case MetricRole::Latency:
    case MetricRole::Errors:
    case MetricRole::Availability: return 1.0;
    case MetricRole::Saturation: return 0.7;
    case MetricRole::Other: return 0.6;
    case MetricRole::Load:
    case MetricRole::State: break;
    }
    return 0.0;
}

std::map<std::string, ServiceAnomaly> aggregateByService(std::span<const SeriesFinding> findings)
{
    std::map<std::string, ServiceAnomaly> services;
    for (const SeriesFinding &f : findings) {
        if (f.service.empty())
            continue;
        ServiceAnomaly &s = services[f.service];
        if (f.meaning.role == MetricRole::Load) {
            if (f.score.direction > 0 && f.score.probability > s.load) {
                s.load = f.score.probability;
                s.loadOnset = f.score.onset;
            }
            continue;
        }
        const double symptom = symptomWeight(f.meaning.role) * f.score.probability;
        if (symptom > 0 && f.changeSeconds > s.slower)
            s.slower = f.changeSeconds;
        double &channel = f.meaning.role == MetricRole::Latency ? s.latencySymptom
            : f.meaning.role == MetricRole::Errors || f.meaning.role == MetricRole::Availability
            ? s.errorSymptom
            : s.otherSymptom;
        channel = std::max(channel, symptom);
        // The strongest symptom; of equally sure ones the earliest, then the largest.
        const bool better = symptom > s.symptom + 1e-9
            || (symptom > 0 && std::abs(symptom - s.symptom) <= 1e-9
                && (f.score.onset < s.onset
                    || (f.score.onset == s.onset && f.score.sigmas > s.strongestSigmas)));
        if (better) {
            s.symptom = symptom;
            s.onset = f.score.onset;
            s.strongest = f.series;
            s.strongestSigmas = f.score.sigmas;
        }
    }
    // The effect: the largest relative change among symptoms nearly as sure as the strongest.
    for (const SeriesFinding &f : findings) {
        if (f.service.empty() || f.meaning.role == MetricRole::Load)
            continue;
        ServiceAnomaly &s = services[f.service];
        const double symptom = symptomWeight(f.meaning.role) * f.score.probability;
        if (symptom > 0 && symptom >= 0.5 * s.symptom)
            s.effect = std::max(s.effect, f.score.effect);
    }
    // The entity most affected: of the series that name one, the surest symptom, then the
    // largest deviation.
    std::map<std::string, std::pair<double, double>> entityScore; // by service
    for (const SeriesFinding &f : findings) {
        if (f.service.empty() || f.entity.empty() || f.meaning.role == MetricRole::Load)
            continue;
        const double symptom = symptomWeight(f.meaning.role) * f.score.probability;
        if (symptom <= 0)
            continue;
        auto [it, added] = entityScore.try_emplace(f.service, symptom, f.score.sigmas);
        if (added || std::pair(symptom, f.score.sigmas) > it->second) {
            it->second = {symptom, f.score.sigmas};
            services[f.service].strongestEntity = f.entity;
        }
    }
    return services;
}

} // namespace eventscope::analysis
