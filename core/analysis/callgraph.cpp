#include "analysis/callgraph.h"

#include <deque>
#include <unordered_map>

namespace eventscope::analysis {

void CallGraph::addSpans(std::span<const Span> spans)
{
    std::unordered_map<std::string_view, const Span *> byId;
    byId.reserve(spans.size());
    for (const Span &s : spans)
        byId.emplace(s.spanId, &s);
    for (const Span &s : spans) {
        if (s.parentSpanId.empty() || s.service.empty())
            continue;
        const auto parent = byId.find(s.parentSpanId);
        if (parent == byId.end() || parent->second->traceId != s.traceId)
            continue;
        const std::string &caller = parent->second->service;
        if (caller.empty() || caller == s.service)
            continue;
        addEdge(caller, s.service);
    }
}

void CallGraph::addEdge(const std::string &caller, const std::string &callee)
{
    if (caller.empty() || callee.empty() || caller == callee)
        return;
    m_callees[caller].insert(callee);
    m_callers[callee].insert(caller);
}

const std::set<std::string> &CallGraph::callees(const std::string &service) const
{
    static const std::set<std::string> kNone;
    const auto it = m_callees.find(service);
    return it == m_callees.end() ? kNone : it->second;
}

const std::set<std::string> &CallGraph::callers(const std::string &service) const
{
    static const std::set<std::string> kNone;
    const auto it = m_callers.find(service);
    return it == m_callers.end() ? kNone : it->second;
}

int CallGraph::distanceDown(const std::string &from, const std::string &to) const
{
    if (from == to)
        return 0;
    std::deque<std::pair<std::string, int>> queue{{from, 0}};
    std::set<std::string> seen{from};
    while (!queue.empty()) {
        auto [service, distance] = queue.front();
        queue.pop_front();
        for (const std::string &callee : callees(service)) {
            if (callee == to)
                return distance + 1;
            if (seen.insert(callee).second)
                queue.emplace_back(callee, distance + 1);
        }
    }
    return -1;
}

std::size_t CallGraph::edgeCount() const
{
    std::size_t edges = 0;
    for (const auto &[service, callees] : m_callees)
        edges += callees.size();
    return edges;
}

} // namespace eventscope::analysis
