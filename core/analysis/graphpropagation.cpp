#include "analysis/graphpropagation.h"

#include <algorithm>
#include <cmath>
#include <queue>
#include <set>

namespace eventscope::analysis {

namespace {

constexpr double kLoadSure = 0.5; // a load change at least this sure counts
constexpr double kExplainedShare = 0.9; // the most a callee's anomaly takes from a caller's
constexpr double kInheritedLoadShare = 0.7; // taken from symptoms of load passed on by callers
constexpr double kHealthyPass = 0.25; // how much of a path a healthy service carries
constexpr double kUnreached = 0.3; // the part of its score a service off every path keeps
// A cause accounts for the anomalies of what depends on it: the share of all other services'
// anomaly upstream of a suspect moves its score by up to this part.
constexpr double kExplainsWeight = 0.3;
constexpr double kOtherKindShare = 0.5; // a slowdown's share in explaining failed requests
// Among suspects equally sure, the larger relative change (durations add up along calls, so
// the same added time is the largest share where it is added): worth up to this much score.
constexpr double kEffectTieBreak = 0.05;
// A service whose callees are watched and stayed healthy is known to be where a problem began;
// one with no watched callee (a leaf, an uninstrumented remote) only may be: what lies behind
// it is unseen. Worth this part of the score, so that it orders near-equal suspects only.
constexpr double kConfirmedWeight = 0.05;

} // namespace

std::vector<ServiceRank> rankServices(const CallGraph &graph, const std::string &failingService,
                                      const std::map<std::string, ServiceAnomaly> &services,
                                      const PropagationOptions &options)
{
    const auto anomalyOf = [&services](const std::string &service) -> const ServiceAnomaly * {
        const auto it = services.find(service);
        return it == services.end() ? nullptr : &it->second;
    };
    const auto loadUp = [&](const std::string &service) {
        const ServiceAnomaly *a = anomalyOf(service);
        return a && a->load >= kLoadSure;
    };

    // Reach from the failing service, down the calls: the best product of what each service
    // on the way carries (a max-product path; every factor is at most 1).
    const bool useGraph = !graph.empty() && graph.contains(failingService);
    std::map<std::string, double> reach;
    if (useGraph) {
        using Item = std::pair<double, std::string>;
        std::priority_queue<Item> queue;
        reach[failingService] = 1.0;
        queue.emplace(1.0, failingService);
        while (!queue.empty()) {
            auto [value, service] = queue.top();
            queue.pop();
            if (value < reach[service])
                continue;
            double carry = 1.0;
            if (service != failingService) {
                // A service with no series is unknown, not healthy: it carries fully.
                const ServiceAnomaly *a = anomalyOf(service);
                if (a)
                    carry = kHealthyPass + (1 - kHealthyPass) * std::max(a->symptom, a->load);
            }
            for (const std::string &callee : graph.callees(service)) {
                const double next = value * carry;
                auto [it, added] = reach.try_emplace(callee, next);
                if (added || next > it->second) {
                    it->second = next;
                    queue.emplace(next, callee);
                }
            }
        }
    }

    // What the failure shows decides which symptoms elsewhere can account for it: a slower
    // service for a slow one (as much slower, durations adding up along calls), errors for
    // either (failed calls are retried and time out).
    const ServiceAnomaly *failing = anomalyOf(failingService);
    const auto relevantSymptom
        = [failing, &failingService](const std::string &service, const ServiceAnomaly &a) {
              if (!failing || failing->symptom <= 0 || service == failingService)
                  return a.symptom;
              double latency = a.latencySymptom;
              if (failing->latencySymptom > 0 && failing->slower > 0 && a.slower > 0)
                  latency *= std::min(1.0, a.slower / failing->slower);
              else if (failing->latencySymptom <= 0)
                  latency *= kOtherKindShare;
              const double errors = a.errorSymptom;
              return std::max({latency, errors, a.otherSymptom});
          };

    double totalSymptom = 0;
    for (const auto &[service, anomaly] : services)
        totalSymptom += anomaly.symptom;

    std::vector<ServiceRank> ranks;
    for (const auto &[service, anomaly] : services) {
        if (anomaly.symptom <= 0 && anomaly.load < kLoadSure)
            continue;
        ServiceRank rank;
        rank.service = service;
        bool callerLoad = false;
        for (const std::string &caller : graph.callers(service))
            callerLoad = callerLoad || loadUp(caller);
        const bool ownLoad = anomaly.load >= kLoadSure;
        rank.loadOrigin = ownLoad && !callerLoad;
        rank.inheritedLoad = ownLoad && callerLoad;

        double own = relevantSymptom(service, anomaly);
        bool watched = false; // a callee with series of its own
        for (const std::string &callee : graph.callees(service))
            watched = watched || anomalyOf(callee) != nullptr || options.watched.count(callee) > 0;
        if (rank.loadOrigin) {
            // Where a surge entered: its own load explains its symptoms and its callees'.
            own = std::max(own, anomaly.load * 0.9);
            rank.confirmed = watched ? 1.0 : 0.0;
        } else {
            double explained = 0;
            for (const std::string &callee : graph.callees(service)) {
                const ServiceAnomaly *c = anomalyOf(callee);
                if (!c || c->symptom <= 0 || c->onset > anomaly.onset + options.sameTime)
                    continue;
                // A callee's symptoms that are load this service passed on explain nothing.
                if (c->load >= kLoadSure)
                    continue;
                // Durations add up along calls: a callee only a millisecond slower does not
                // explain a caller slower by a second.
                double share = c->symptom;
                if (anomaly.slower > 0 && c->slower > 0)
                    share *= std::min(1.0, c->slower / anomaly.slower);
                if (share > explained) {
                    explained = share;
                    rank.explainedBy = callee;
                }
            }
            own *= 1.0 - kExplainedShare * explained;
            rank.confirmed = watched ? 1.0 - explained : 0.0;
            if (rank.inheritedLoad)
                own *= 1.0 - kInheritedLoadShare * anomaly.load;
        }
        rank.own = own;
        if (useGraph) {
            const auto it = reach.find(service);
            rank.reach = it == reach.end() ? 0.0 : it->second;
        } else {
            rank.reach = 1.0;
        }
        rank.score = own * (kUnreached + (1 - kUnreached) * rank.reach);
        if (useGraph)
            rank.score *= 1 - kConfirmedWeight + kConfirmedWeight * rank.confirmed;
        if (useGraph && totalSymptom > anomaly.symptom) {
            // What it would explain: the anomalies of the services that depend on it, where
            // they did not begin before its own.
            double upstream = 0;
            std::set<std::string> seen{service};
            std::vector<std::string> stack{service};
            while (!stack.empty()) {
                const std::string next = stack.back();
                stack.pop_back();
                for (const std::string &caller : graph.callers(next)) {
                    if (!seen.insert(caller).second)
                        continue;
                    stack.push_back(caller);
                    // A cause explains only what began with it or after it.
                    const ServiceAnomaly *a = anomalyOf(caller);
                    if (a && a->onset + options.sameTime >= anomaly.onset)
                        upstream += a->symptom;
                }
            }
            rank.explains = upstream / (totalSymptom - anomaly.symptom);
            rank.score *= 1 - kExplainsWeight + kExplainsWeight * rank.explains;
        }
        ranks.push_back(std::move(rank));
    }
    // Best first; nearly equal scores (saturated, or services that moved together at coarse
    // resolution) by the larger relative change; then the earlier onset, the larger deviation.
    for (ServiceRank &r : ranks) {
        const double effect = std::min(services.at(r.service).effect, 1000.0);
        r.score = std::min(1.0,
                           (1 - kEffectTieBreak) * r.score
                               + kEffectTieBreak * std::log1p(effect) / std::log1p(1000.0));
    }
    std::stable_sort(ranks.begin(), ranks.end(), [&](const ServiceRank &a, const ServiceRank &b) {
        if (std::abs(a.score - b.score) > 1e-9)
            return a.score > b.score;
        const ServiceAnomaly &x = services.at(a.service);
        const ServiceAnomaly &y = services.at(b.service);
        if (x.onset != y.onset)
            return x.onset < y.onset;
        return x.strongestSigmas > y.strongestSigmas;
    });
    return ranks;
}

} // namespace eventscope::analysis
