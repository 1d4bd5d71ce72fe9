#pragma once

#include "model/logrecord.h"
#include "model/span.h"
#include "model/timerange.h"
#include "sim/topology.h"

#include <string>
#include <utility>
#include <vector>

namespace eventscope::sim {

using Headers = std::vector<std::pair<std::string, std::string>>;

// One Kafka message as the simulator would produce it.
struct OutgoingMessage
{
    std::string topic;
    std::string key;
    std::string value;
    Headers headers;
    TimeUs time = 0; // the simulated moment it describes (for pacing)
};

enum class EventWire { Native, CloudEventStructured, CloudEventBinary, Kubernetes };

// An event before it is put on the wire. `id` is what the decoder reads back as the event's
// source id (native id, CloudEvents id, Kubernetes metadata.uid), so the ground truth can
// name it.
struct SimEvent
{
    EventWire wire = EventWire::Native;
    std::string topic;
    std::string id;
    TimeUs time = 0;
    std::string type; // for Kubernetes: the reason (decoded as k8s.<reason>)
    std::string category; // native and CloudEvents only; empty = inferred from the type
    std::string severity; // native and CloudEvents only
    std::string service;
    std::string entity;
    std::string message;
    std::string traceId;
    std::string node; // attribute "node" (Kubernetes: source.host)
    Headers attributes; // extra string attributes
    // Kubernetes only: the involved object and who reported it.
    std::string objectKind, objectNamespace, objectName, component;
    bool warning = false;
};

OutgoingMessage encodeEvent(const SimEvent &event, const std::string &cluster);

struct MetricPoint
{
    std::string name;
    Headers labels; // besides "service", which every service metric carries
    double value = 0;
    std::string unit;
};

// A service's metrics of one instant in its own wire format: one OTLP request, or one
// message per point (native, prometheus-kafka-adapter).
void encodeServiceMetrics(MetricWire wire, const std::string &service, TimeUs time,
                          const std::vector<MetricPoint> &points,
                          std::vector<OutgoingMessage> &out);

struct NodeStats
{
    std::string node;
    double cpu = 0;
    double memory = 0;
    bool ready = true;
};

// Telegraf-style Influx line protocol, one line per node, all in one message.
OutgoingMessage encodeNodeStats(const std::string &cluster, TimeUs time,
                                const std::vector<NodeStats> &nodes);

// One log record as a message in its service's log format (native JSON or OTLP).
OutgoingMessage encodeLog(LogWire wire, const LogRecord &log);

// One trace as an OTLP ExportTraceServiceRequest, spans grouped by service and pod.
OutgoingMessage encodeTrace(const std::vector<Span> &spans);

} // namespace eventscope::sim
