#pragma once

#include "model/span.h"

#include <map>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace eventscope::analysis {

// Which service calls which, learned from trace spans (a child span in another service than
// its parent is a call from the parent's service to the child's) and declared (topology).
class CallGraph
{
public:
    void addSpans(std::span<const Span> spans);
    // A declared dependency (a topology line), beside those learned from spans.
    void addEdge(const std::string &caller, const std::string &callee);
    bool contains(const std::string &service) const
    {
        return m_callees.count(service) > 0 || m_callers.count(service) > 0;
    }

    const std::set<std::string> &callees(const std::string &service) const;
    const std::set<std::string> &callers(const std::string &service) const;
    // Hops from `from` down to `to` along calls; -1 when `to` is not downstream.
    int distanceDown(const std::string &from, const std::string &to) const;
    bool empty() const { return m_callees.empty(); }
    std::size_t edgeCount() const;

private:
    std::map<std::string, std::set<std::string>> m_callees;
    std::map<std::string, std::set<std::string>> m_callers;
};

} // namespace eventscope::analysis
