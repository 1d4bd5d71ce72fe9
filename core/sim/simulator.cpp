#include "sim/simulator.h"

#include "sim/incidents.h"
#include "sim/simworld.h"

namespace eventscope::sim {

std::string_view scenarioName(Scenario scenario)
{
    switch (scenario) {
    case Scenario::Scaling: return "scaling";
    case Scenario::Provisioning: return "provisioning";
    case Scenario::Failures: return "failures";
    }
    return "failures";
}

Result<std::vector<Scenario>> parseScenarios(std::string_view list)
{
    std::vector<Scenario> scenarios;
    while (!list.empty()) {
        const auto comma = list.find(',');
        const std::string_view name = list.substr(0, comma);
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
        if (name.empty())
            continue;
        bool known = false;
        for (Scenario s : {Scenario::Scaling, Scenario::Provisioning, Scenario::Failures}) {
            if (name == scenarioName(s)) {
                known = true;
                if (std::find(scenarios.begin(), scenarios.end(), s) == scenarios.end())
                    scenarios.push_back(s);
            }
        }
        if (!known)
            return Result<std::vector<Scenario>>::failure(
                "unknown scenario '" + std::string(name)
                + "' (expected scaling, provisioning or failures)");
    }
    if (scenarios.empty())
        return Result<std::vector<Scenario>>::failure(
            "no scenario given (expected scaling, provisioning or failures)");
    return scenarios;
}

Simulator::Simulator(const SimulatorOptions &options)
    : m_world(std::make_unique<SimWorld>(options))
    , m_planner(std::make_unique<IncidentPlanner>(*m_world))
{
    m_planner->start();
}

Simulator::~Simulator() = default;

bool Simulator::next(std::vector<OutgoingMessage> &out)
{
    if (m_world->finished())
        return false;
    m_world->tick(out);
    return true;
}

TimeUs Simulator::now() const
{
    return m_world->now();
}

const GroundTruth &Simulator::truth() const
{
    return m_world->truth();
}

} // namespace eventscope::sim
