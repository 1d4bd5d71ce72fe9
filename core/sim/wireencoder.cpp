#include "sim/wireencoder.h"

#include "decode/nativeformat.h"
#include "model/event.h"
#include "util/jsonwriter.h"
#include "util/timeformat.h"

#include <cmath>

namespace eventscope::sim {

namespace {

void stringField(std::string &out, std::string_view name, std::string_view value)
{
    json::appendKey(out, name);
    json::appendString(out, value);
}

void nanosField(std::string &out, std::string_view name, TimeUs time)
{
    json::appendKey(out, name);
    out += '"';
    out += std::to_string(time);
    out += "000\"";
}

// OTLP KeyValue list: [{"key":..,"value":{"stringValue":..}}, ...]
void otlpAttributes(std::string &out, std::string_view name, const Headers &attributes)
{
    json::appendKey(out, name);
    out += '[';
    for (const auto &[key, value] : attributes) {
        if (out.back() != '[')
            out += ',';
        out += "{\"key\":";
        json::appendString(out, key);
        out += ",\"value\":{\"stringValue\":";
        json::appendString(out, value);
        out += "}}";
    }
    out += ']';
}

void otlpResource(std::string &out, const std::string &service, const std::string &pod)
{
    json::appendKey(out, "resource");
    out += '{';
    Headers attributes{{"service.name", service}};
    if (!pod.empty())
        attributes.emplace_back("k8s.pod.name", pod);
    otlpAttributes(out, "attributes", attributes);
    out += '}';
}

std::string attributesObject(const SimEvent &event, bool withNode)
{
    std::string out = "{";
    if (withNode && !event.node.empty())
        stringField(out, "node", event.node);
    for (const auto &[key, value] : event.attributes)
        stringField(out, key, value);
    out += '}';
    return out == "{}" ? std::string() : out;
}

// CloudEvents data: the native fields, so the decoder keeps service and entity exactly.
std::string cloudEventData(const SimEvent &event, const std::string &cluster)
{
    std::string data = "{";
    stringField(data, "service", event.service);
    if (!event.entity.empty())
        stringField(data, "entity", event.entity);
    stringField(data, "cluster", cluster);
    stringField(data, "message", event.message);
    if (!event.severity.empty())
        stringField(data, "severity", event.severity);
    if (!event.category.empty())
        stringField(data, "category", event.category);
    if (!event.node.empty())
        stringField(data, "node", event.node);
    for (const auto &[key, value] : event.attributes)
        stringField(data, key, value);
    data += '}';
    return data;
}

std::string cloudEventSource(const SimEvent &event)
{
    return "//" + (event.component.empty() ? std::string("eventscope-sim") : event.component) + "/"
        + event.service;
}

std::string secondsTimestamp(TimeUs time)
{
    return formatTimestamp(time - time % kMicrosPerSecond);
}

OutgoingMessage kubernetesEvent(const SimEvent &event)
{
    OutgoingMessage m;
    std::string &out = m.value;
    const std::string when = secondsTimestamp(event.time);
    out = "{\"apiVersion\":\"v1\",\"kind\":\"Event\"";
    json::appendKey(out, "metadata");
    out += '{';
    stringField(out, "name", event.objectName + '.' + event.id.substr(0, 8));
    if (!event.objectNamespace.empty())
        stringField(out, "namespace", event.objectNamespace);
    stringField(out, "uid", event.id);
    stringField(out, "creationTimestamp", when);
    out += '}';
    json::appendKey(out, "involvedObject");
    out += '{';
    stringField(out, "kind", event.objectKind);
    if (!event.objectNamespace.empty())
        stringField(out, "namespace", event.objectNamespace);
    stringField(out, "name", event.objectName);
    out += '}';
    stringField(out, "reason", event.type);
    stringField(out, "message", event.message);
    json::appendKey(out, "source");
    out += '{';
    stringField(out, "component", event.component.empty() ? "kubelet" : event.component);
    if (!event.node.empty())
        stringField(out, "host", event.node);
    out += '}';
    stringField(out, "firstTimestamp", when);
    stringField(out, "lastTimestamp", when);
    json::appendKey(out, "count");
    out += '1';
    stringField(out, "type", event.warning ? "Warning" : "Normal");
    out += '}';
    m.key = event.objectName;
    return m;
}

} // namespace

OutgoingMessage encodeEvent(const SimEvent &event, const std::string &cluster)
{
    OutgoingMessage m;
    switch (event.wire) {
    case EventWire::Native: {
        Event e;
        e.sourceId = event.id;
        e.time = event.time;
        e.type = event.type;
        e.category = resolveCategory(event.category, event.type);
        e.severity = resolveSeverity(event.severity, e.category);
        e.service = event.service;
        e.entity = event.entity;
        e.cluster = cluster;
        e.message = event.message;
        e.traceId = event.traceId;
        e.attributes = attributesObject(event, true);
        native::appendEvent(m.value, e);
        m.key = event.service;
        break;
    }
    case EventWire::CloudEventStructured: {
        std::string &out = m.value;
        out = "{\"specversion\":\"1.0\"";
        stringField(out, "id", event.id);
        stringField(out, "source", cloudEventSource(event));
        stringField(out, "type", event.type);
        stringField(out, "time", formatTimestamp(event.time));
        if (!event.entity.empty())
            stringField(out, "subject", event.entity);
        stringField(out, "datacontenttype", "application/json");
        json::appendKey(out, "data");
        out += cloudEventData(event, cluster);
        out += '}';
        m.headers.emplace_back("content-type", "application/cloudevents+json");
        m.key = event.service;
        break;
    }
    case EventWire::CloudEventBinary:
        m.headers = {{"ce_specversion", "1.0"},
                     {"ce_id", event.id},
                     {"ce_source", cloudEventSource(event)},
                     {"ce_type", event.type},
                     {"ce_time", formatTimestamp(event.time)},
                     {"content-type", "application/json"}};
        if (!event.entity.empty())
            m.headers.emplace_back("ce_subject", event.entity);
        m.value = cloudEventData(event, cluster);
        m.key = event.service;
        break;
    case EventWire::Kubernetes: m = kubernetesEvent(event); break;
    }
    m.topic = event.topic;
    m.time = event.time;
    return m;
}

void encodeServiceMetrics(MetricWire wire, const std::string &service, TimeUs time,
                          const std::vector<MetricPoint> &points, std::vector<OutgoingMessage> &out)
{
    if (points.empty())
        return;
    if (wire == MetricWire::Otlp) {
        OutgoingMessage m{"metrics", service, {}, {}, time};
        std::string &o = m.value;
        o = "{\"resourceMetrics\":[{";
        otlpResource(o, service, {});
        o += ",\"scopeMetrics\":[{\"scope\":{\"name\":\"eventscope-sim\"},\"metrics\":[";
        for (const MetricPoint &p : points) {
            if (o.back() != '[')
                o += ',';
            o += '{';
            stringField(o, "name", p.name);
            if (!p.unit.empty())
                stringField(o, "unit", p.unit);
            o += ",\"gauge\":{\"dataPoints\":[{";
            nanosField(o, "timeUnixNano", time);
            json::appendKey(o, "asDouble");
            json::appendNumber(o, p.value);
            if (!p.labels.empty())
                otlpAttributes(o, "attributes", p.labels);
            o += "}]}}";
        }
        o += "]}]}]}";
        out.push_back(std::move(m));
        return;
    }
    for (const MetricPoint &p : points) {
        OutgoingMessage m{"metrics", service, {}, {}, time};
        std::string &o = m.value;
        if (wire == MetricWire::Native) {
            std::vector<Label> labels = p.labels;
            labels.emplace_back("service", service);
            native::appendSample(o, SeriesKey(p.name, std::move(labels)), p.unit,
                                 Sample{time, p.value});
        } else {
            // prometheus-kafka-adapter: string value, __name__ repeated in the labels.
            o = '{';
            stringField(o, "timestamp", formatTimestamp(time));
            std::string value;
            json::appendNumber(value, p.value);
            stringField(o, "value",
                        value.front() == '"' ? value.substr(1, value.size() - 2) : value);
            stringField(o, "name", p.name);
            json::appendKey(o, "labels");
            o += '{';
            stringField(o, "__name__", p.name);
            stringField(o, "service", service);
            for (const auto &[name, labelValue] : p.labels)
                stringField(o, name, labelValue);
            o += "}}";
        }
        out.push_back(std::move(m));
    }
}

OutgoingMessage encodeNodeStats(const std::string &cluster, TimeUs time,
                                const std::vector<NodeStats> &nodes)
{
    OutgoingMessage m{"metrics", "node-stats", {}, {}, time};
    for (const NodeStats &n : nodes) {
        if (!m.value.empty())
            m.value += '\n';
        m.value += "node_stats,cluster=" + cluster + ",node=" + n.node;
        if (n.ready) {
            m.value += " cpu=";
            json::appendNumber(m.value, std::round(n.cpu * 10000) / 10000);
            m.value += ",memory=";
            json::appendNumber(m.value, std::round(n.memory * 10000) / 10000);
            m.value += ",ready=1i ";
        } else {
            m.value += " ready=0i ";
        }
        m.value += std::to_string(time) + "000";
    }
    return m;
}

OutgoingMessage encodeLog(LogWire wire, const LogRecord &log)
{
    OutgoingMessage m{"logs", log.entity, {}, {}, log.time};
    if (wire == LogWire::Native) {
        native::appendLog(m.value, log);
        return m;
    }
    std::string &o = m.value;
    o = "{\"resourceLogs\":[{";
    otlpResource(o, log.service, log.entity);
    o += ",\"scopeLogs\":[{\"scope\":{\"name\":\"eventscope-sim\"},\"logRecords\":[{";
    nanosField(o, "timeUnixNano", log.time);
    static constexpr int kSeverityNumber[] = {5, 9, 13, 17, 21};
    json::appendKey(o, "severityNumber");
    json::appendInteger(o, kSeverityNumber[static_cast<int>(log.level)]);
    std::string text(severityName(log.level));
    for (char &c : text)
        c = static_cast<char>(c - 'a' + 'A');
    stringField(o, "severityText", text);
    o += ",\"body\":{\"stringValue\":";
    json::appendString(o, log.message);
    o += '}';
    if (!log.traceId.empty())
        stringField(o, "traceId", log.traceId);
    if (!log.spanId.empty())
        stringField(o, "spanId", log.spanId);
    o += "}]}]}]}";
    return m;
}

OutgoingMessage encodeTrace(const std::vector<Span> &spans)
{
    OutgoingMessage m{"traces",
                      spans.empty() ? std::string() : spans.front().traceId,
                      {},
                      {},
                      spans.empty() ? 0 : spans.front().start};
    std::string &o = m.value;
    o = "{\"resourceSpans\":[";
    std::vector<bool> done(spans.size(), false);
    for (std::size_t first = 0; first < spans.size(); ++first) {
        if (done[first])
            continue;
        if (o.back() != '[')
            o += ',';
        o += '{';
        otlpResource(o, spans[first].service, spans[first].entity);
        o += ",\"scopeSpans\":[{\"scope\":{\"name\":\"eventscope-sim\"},\"spans\":[";
        for (std::size_t i = first; i < spans.size(); ++i) {
            const Span &s = spans[i];
            if (done[i] || s.service != spans[first].service || s.entity != spans[first].entity)
                continue;
            done[i] = true;
            if (o.back() != '[')
                o += ',';
            o += '{';
            stringField(o, "traceId", s.traceId);
            stringField(o, "spanId", s.spanId);
            if (!s.parentSpanId.empty())
                stringField(o, "parentSpanId", s.parentSpanId);
            stringField(o, "name", s.name);
            json::appendKey(o, "kind");
            json::appendInteger(o, s.kind);
            nanosField(o, "startTimeUnixNano", s.start);
            nanosField(o, "endTimeUnixNano", s.end);
            if (s.status != SpanStatus::Unset) {
                o += ",\"status\":{\"code\":";
                json::appendInteger(o, static_cast<int>(s.status));
                o += '}';
            }
            o += '}';
        }
        o += "]}]}";
    }
    o += "]}";
    return m;
}

} // namespace eventscope::sim
