// Request traffic of the simulated fleet: sampled traces through the call graph, and the
// logs those requests leave behind. Durations and errors follow the model's state, so a slow
// dependency shows up as slow child spans and timeouts in its callers.

#include "sim/simworld.h"

#include <algorithm>
#include <cmath>

namespace eventscope::sim {

namespace {

struct TraceBuilder
{
    const Topology &topology;
    const std::vector<ServiceState> &states;
    const std::vector<ServiceDrivers> &drivers;
    Random &random;
    TimeUs now;
    std::string traceId;
    std::vector<Span> spans;
    std::vector<LogRecord> logs;

    struct Outcome
    {
        TimeUs end = 0;
        bool failed = false;
    };

    int pickPod(int service)
    {
        std::vector<int> running = topology.podsOf(service);
        return running.empty() ? -1 : random.pick(running);
    }

    std::string operation(const Service &s) const
    {
        if (s.name.ends_with("-db"))
            return "SELECT " + s.name.substr(0, s.name.size() - 3);
        return "GET /api/" + s.name;
    }

    void log(Severity level, const Span &span, std::string message)
    {
        LogRecord record;
        record.time = span.end;
        record.level = level;
        record.service = span.service;
        record.entity = span.entity;
        record.message = std::move(message);
        record.traceId = span.traceId;
        record.spanId = span.spanId;
        logs.push_back(std::move(record));
    }

    Outcome serve(int service, const std::string &parentSpanId, TimeUs start)
    {
        const auto s = static_cast<std::size_t>(service);
        const Service &svc = topology.services[s];
        const ServiceState &st = states[s];
        const int pod = pickPod(service);
        if (pod < 0)
            return {start + 2000, true}; // connection refused, nothing there to serve
        Span span;
        span.traceId = traceId;
        span.spanId = random.hex(16);
        span.parentSpanId = parentSpanId;
        span.name = operation(svc);
        span.service = svc.name;
        span.entity = topology.pods[static_cast<std::size_t>(pod)].name;
        span.kind = 2; // server
        span.start = start;
        const double ownMs = st.ownLatencyMs * std::exp(0.35 * random.normal()) / 2.4;
        TimeUs t = start + static_cast<TimeUs>(ownMs * 300); // 30% of own work before calls
        bool failed = false;
        std::string failure;
        std::vector<Call> calls;
        if (service == topology.entryService() && !svc.calls.empty()) {
            // A request at the entry takes one path: checkout or search.
            double pick = random.uniform() * (svc.calls[0].fraction + svc.calls[1].fraction);
            calls.push_back(pick < svc.calls[0].fraction ? svc.calls[0] : svc.calls[1]);
        } else {
            for (const Call &call : svc.calls) {
                if (random.chance(std::min(1.0, call.fraction)))
                    calls.push_back(call);
            }
        }
        for (const Call &call : calls) {
            const auto &callee = topology.services[static_cast<std::size_t>(call.callee)];
            Outcome child = serve(call.callee, span.spanId, t + 200);
            const auto timeout = static_cast<TimeUs>(svc.timeoutMs * 1000);
            if (child.end - t > timeout) {
                child.end = t + timeout;
                failed = true;
                failure = "upstream " + callee.name + " timed out after "
                    + std::to_string(static_cast<int>(svc.timeoutMs)) + " ms";
            } else if (child.failed && random.chance(0.9)) {
                failed = true;
                failure = "upstream " + callee.name + " returned 503";
            }
            t = child.end + 100;
        }
        const double ownError = 0.002 + drivers[s].extraErrorRate.at(now);
        if (!failed && random.chance(ownError)) {
            failed = true;
            failure = drivers[s].extraErrorRate.at(now) > 0.001
                ? "external provider request failed: 503 Service Unavailable"
                : "request failed: internal error";
        }
        span.end = t + static_cast<TimeUs>(ownMs * 700);
        span.status = failed ? SpanStatus::Error : SpanStatus::Ok;
        if (failed)
            log(Severity::Error, span, span.name + " failed: " + failure);
        else if (service == topology.entryService() && random.chance(0.25))
            log(Severity::Info, span,
                span.name + " 200 in " + std::to_string((span.end - span.start) / 1000) + " ms");
        spans.push_back(span);
        return {span.end, failed};
    }
};

} // namespace

void SimWorld::emitTraffic(const std::vector<ServiceState> &states, TimeUs from, TimeUs to,
                           std::vector<OutgoingMessage> &out)
{
    const double expected = m_options.tracesPerSecond * static_cast<double>(to - from) / kSecond
        * diurnal(to) * m_drivers[0].loadMultiplier.at(to);
    auto traces = static_cast<int>(expected);
    if (m_noise.chance(expected - traces))
        ++traces;

    std::vector<LogRecord> logs;
    for (int i = 0; i < traces; ++i) {
        TraceBuilder builder{m_topology, states, m_drivers, m_noise, to, m_noise.hex(32), {}, {}};
        const auto start
            = from + static_cast<TimeUs>(m_noise.uniform() * static_cast<double>(to - from));
        builder.serve(m_topology.entryService(), {}, start);
        std::reverse(builder.spans.begin(), builder.spans.end()); // root first
        out.push_back(encodeTrace(builder.spans));
        for (LogRecord &log : builder.logs)
            logs.push_back(std::move(log));
    }

    // What the pods say on their own: memory pressure, the odd routine warning.
    for (const Pod &pod : m_topology.pods) {
        if (!pod.running)
            continue;
        const Service &svc = m_topology.services[static_cast<std::size_t>(pod.service)];
        const double pressure = podMemory(pod, to) / svc.memoryLimitBytes;
        LogRecord record;
        record.time
            = from + static_cast<TimeUs>(m_noise.uniform() * static_cast<double>(to - from));
        record.service = svc.name;
        record.entity = pod.name;
        if (pressure > 0.8 && m_noise.chance(0.6)) {
            record.level = Severity::Warning;
            record.message = "GC overhead " + std::to_string(static_cast<int>(pressure * 40))
                + "% of CPU, heap " + std::to_string(static_cast<int>(pressure * 100))
                + "% of limit";
            logs.push_back(record);
        } else if (m_noise.chance(0.03)) {
            record.level = Severity::Warning;
            record.message = svc.name.ends_with("-db") ? "slow query took 812 ms"
                                                       : "retrying idempotent request once";
            logs.push_back(record);
        }
    }

    std::stable_sort(logs.begin(), logs.end(),
                     [](const LogRecord &a, const LogRecord &b) { return a.time < b.time; });
    for (const LogRecord &log : logs) {
        const int service = m_topology.serviceIndex(log.service);
        out.push_back(
            encodeLog(m_topology.services[static_cast<std::size_t>(service)].logWire, log));
    }
}

} // namespace eventscope::sim
