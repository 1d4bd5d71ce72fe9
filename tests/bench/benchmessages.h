#pragma once

// The realistic mixed-format Kafka messages that ingest_bench pre-fills the embedded cluster
// with and decode_bench decodes in process: the same bytes, so the two benchmarks' figures can
// be read together.

#include "kafka/topics.h"

#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eventscope::bench {

// One realistic message for a topic, cycling through the formats that topic carries.
inline std::string makeMessage(std::string_view topic, int n, std::mt19937_64 &rng,
                               std::vector<std::pair<std::string, std::string>> &headers)
{
    headers.clear();
    const int k = n / 6; // the message's number within its topic: picks the format
    const long long t = 1'764'000'000LL + n / 50;
    // A fleet of 460 pods in 23 services on 40 nodes: each pod keeps its service and node,
    // so metrics repeat the same ~2,300 series as real scrapes do.
    const int podIndex = n / 6 % 460;
    const std::string svc = "svc-" + std::to_string(podIndex % 23);
    const std::string pod = svc + "-7d9f8b6c4-" + std::to_string(10000 + podIndex);
    const int node = podIndex % 40;
    char buffer[1024];
    if (topic == "metrics") {
        switch (k % 3) {
        case 0:
            std::snprintf(
                buffer, sizeof buffer,
                R"({"time":%lld.%03d,"name":"container_cpu_utilization","labels":{"service":"%s","pod":"%s","node":"node-%d","cluster":"prod-eu-west-1","namespace":"shop-frontend","container":"app"},"value":%.4f,"unit":"ratio"})",
                t, n % 1000, svc.c_str(), pod.c_str(), node,
                static_cast<double>(rng() % 10000) / 10000);
            break;
        case 1:
            std::snprintf(buffer, sizeof buffer,
                          "http_server,service=%s,pod=%s,node=node-%d,cluster=prod-eu-west-1,"
                          "namespace=shop-frontend,route=/api/v1/checkout,method=POST "
                          "p99_ms=%.2f,requests=%di,errors=%di %lld%09d",
                          svc.c_str(), pod.c_str(), node,
                          80 + static_cast<double>(rng() % 5000) / 100, n % 5000, n % 7, t,
                          n % 1000);
            break;
        default:
            std::snprintf(
                buffer, sizeof buffer,
                R"({"timestamp":"2025-11-24T16:%02d:%02dZ","value":"%d","name":"container_memory_working_set_bytes","labels":{"__name__":"container_memory_working_set_bytes","pod":"%s","namespace":"shop"}})",
                n / 60 % 60, n % 60, 100'000'000 + static_cast<int>(rng() % 50'000'000),
                pod.c_str());
        }
    } else if (topic == "logs") {
        std::snprintf(
            buffer, sizeof buffer,
            R"j({"time":%lld.%03d,"service":"%s","entity":"%s","level":"%s","message":"POST /api/v1/checkout request %d handled in %d ms for tenant acme-%d (cart items: 3, payment: card)","trace_id":"%016llx%016llx","attributes":{"http.status_code":200,"region":"eu-west-1"}})j",
            t, n % 1000, svc.c_str(), pod.c_str(), n % 17 == 0 ? "error" : "info", n,
            static_cast<int>(rng() % 900), n % 50, static_cast<unsigned long long>(rng()),
            static_cast<unsigned long long>(rng()));
    } else if (topic == "traces") {
        std::snprintf(
            buffer, sizeof buffer,
            R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"%s"}}]},"scopeSpans":[{"spans":[{"traceId":"%016llx%016llx","spanId":"%016llx","name":"GET /api/v1/items","kind":2,"startTimeUnixNano":"%lld000000000","endTimeUnixNano":"%lld000%06d","status":{"code":%d}}]}]}]})",
            svc.c_str(), static_cast<unsigned long long>(rng()),
            static_cast<unsigned long long>(rng()), static_cast<unsigned long long>(rng()), t, t,
            static_cast<int>(rng() % 900000), n % 31 == 0 ? 2 : 1);
    } else if (topic == "failure_events" && k % 2) {
        // CloudEvents binary mode: the event travels in the headers.
        headers = {{"ce_specversion", "1.0"},           {"ce_id", "ce-" + std::to_string(n)},
                   {"ce_type", "failure.timeout"},      {"ce_source", "/shop/" + svc},
                   {"ce_time", "2025-11-24T16:00:00Z"}, {"content-type", "application/json"}};
        std::snprintf(
            buffer, sizeof buffer,
            R"j({"message":"upstream payments-gateway timed out after 3000 ms (attempt 3 of 3, circuit open)","entity":"%s","cluster":"prod-eu-west-1","severity":"error"})j",
            pod.c_str());
    } else {
        std::snprintf(
            buffer, sizeof buffer,
            R"({"id":"evt-%d","time":%lld,"type":"%s","service":"%s","entity":"%s","cluster":"prod-eu-west-1","message":"routine change %d applied by the deployment controller","attributes":{"from":%d,"to":%d,"reason":"cpu above target"}})",
            n, t,
            topic == "scaling_events"
                ? "scaling.scale_out"
                : (topic == "failure_events" ? "failure.crash" : "provisioning.pod_created"),
            svc.c_str(), pod.c_str(), n, n % 5, n % 5 + 2);
    }
    return buffer;
}

// The topic of message number n: the six default topics in turn, so each gets a sixth.
inline std::string_view topicOfMessage(int n)
{
    return kafka::kDefaultTopics[static_cast<std::size_t>(n % 6)];
}

} // namespace eventscope::bench
