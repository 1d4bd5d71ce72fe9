#pragma once

#include <array>
#include <string_view>

namespace eventscope::kafka {

// The default topics of FORMATS.md: what the embedded cluster creates and the simulator uses.
constexpr std::array<std::string_view, 6> kDefaultTopics
    = {"scaling_events", "failure_events", "resource_provisioning", "metrics", "logs", "traces"};

} // namespace eventscope::kafka
