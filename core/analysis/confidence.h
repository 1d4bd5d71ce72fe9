#pragma once

// Signal 5: the analysis' answer about causes, and how sure it is.
//
// The answer is either the top cause, when its score reaches kConfidentCauseScore, or that no
// change event explains the failure. Its confidence reads as a probability: of answers given
// with confidence 0.8, about 80 % are right. Assumes the scores below are calibrated in that
// sense; measured, not fitted (the quality suites print the reliability table per dataset):
// - a suspect's score: the surest service's score is right about as often as it says, on the
//   simulator and on PetShop alike;
// - a cause's score ranks candidates well, and above the threshold reads as the probability
//   that it is the cause; below it, the answer is "none", and one minus the best candidate's
//   score is the probability that none is (a strong candidate left below the threshold makes
//   "none" less sure).

#include "analysis/incidentanalyzer.h"

namespace eventscope::analysis {

struct CauseAnswer
{
    const RankedCause *cause = nullptr; // null: no change event explains the failure
    double confidence = 0; // [0, 1]
    std::string because; // the answer in one sentence
};

CauseAnswer causeAnswer(const IncidentAnalysis &analysis);

} // namespace eventscope::analysis
