#include "analysis/confidence.h"

#include <cstdio>

namespace eventscope::analysis {

CauseAnswer causeAnswer(const IncidentAnalysis &analysis)
{
    CauseAnswer answer;
    char line[256];
    if (!analysis.causes.empty() && isConfidentCause(analysis.causes.front())) {
        const RankedCause &top = analysis.causes.front();
        answer.cause = &top;
        answer.confidence = top.score;
        std::snprintf(
            line, sizeof line, "%s on %s caused it (confidence %.2f)", top.event.type.c_str(),
            top.event.service.empty() ? "-" : top.event.service.c_str(), answer.confidence);
    } else {
        const double best = analysis.causes.empty() ? 0.0 : analysis.causes.front().score;
        answer.confidence = 1.0 - best;
        if (analysis.causes.empty())
            std::snprintf(line, sizeof line,
                          "no change event explains this: none in the window (confidence %.2f)",
                          answer.confidence);
        else
            std::snprintf(line, sizeof line,
                          "no change event explains this; the best candidate, %s, scores %.2f "
                          "(confidence %.2f)",
                          analysis.causes.front().event.type.c_str(), best, answer.confidence);
    }
    answer.because = line;
    return answer;
}

} // namespace eventscope::analysis
