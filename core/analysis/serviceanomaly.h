#pragma once

// Signal 2: per-service aggregation of series anomalies.
//
// Assumes series carry their service in a label (service, job or app) and that a service's
// state is its worst symptom: one series clearly off (latency, errors, availability) is enough,
// many mildly off are not more. Load (requests arriving) is kept apart: it moves a service's
// symptoms, and whether it rose at the service itself or came from its callers decides whose
// problem those symptoms are. Desired-state series (replica counts) are not symptoms.

#include "analysis/metricmeaning.h"
#include "analysis/seriesanomaly.h"

#include <map>
#include <span>
#include <string>

namespace eventscope::analysis {

struct SeriesFinding
{
    std::string service;
    std::string entity;
    std::string series; // canonical key
    MetricMeaning meaning;
    SeriesAnomalyScore score;
    double changeSeconds = 0; // durations: how much slower, in seconds (0 when not known)
};

struct ServiceAnomaly
{
    double symptom = 0; // [0, 1]: how surely the service itself shows a problem
    // The same per kind of symptom: slower, failing (errors, availability), anything else.
    double latencySymptom = 0;
    double errorSymptom = 0;
    double otherSymptom = 0;
    double effect = 0; // the largest relative change among its surer symptoms
    TimeUs onset = 0; // of that symptom
    std::string strongest; // the series that shows it
    double strongestSigmas = 0;
    std::string strongestEntity; // the entity (pod) most affected, when series name one
    double slower = 0; // seconds: the largest increase of a duration that is a symptom
    double load = 0; // [0, 1]: how surely its load rose
    TimeUs loadOnset = 0;
};

// How much a role counts as a symptom: latency, errors and availability fully, saturation and
// unknown series less (they often move with health, not because of it), load and state not.
double symptomWeight(MetricRole role);

std::map<std::string, ServiceAnomaly> aggregateByService(std::span<const SeriesFinding> findings);

} // namespace eventscope::analysis
