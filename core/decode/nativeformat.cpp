#include "decode/nativeformat.h"

#include "util/jsonwriter.h"
#include "util/timeformat.h"

namespace eventscope::native {

namespace {

void stringField(std::string &out, std::string_view name, std::string_view value,
                 bool always = false)
{
    if (value.empty() && !always)
        return;
    json::appendKey(out, name);
    json::appendString(out, value);
}

void timeField(std::string &out, std::string_view name, TimeUs time)
{
    json::appendKey(out, name);
    json::appendString(out, formatTimestamp(time));
}

void attributesField(std::string &out, const std::string &attributes)
{
    if (attributes.empty())
        return;
    json::appendKey(out, "attributes");
    out += attributes; // stored as minified JSON already
}

} // namespace

void appendEvent(std::string &out, const Event &event)
{
    out += '{';
    stringField(out, "id", event.sourceId, true);
    timeField(out, "time", event.time);
    stringField(out, "type", event.type, true);
    stringField(out, "category", categoryName(event.category));
    stringField(out, "severity", severityName(event.severity));
    stringField(out, "service", event.service);
    stringField(out, "entity", event.entity);
    stringField(out, "cluster", event.cluster);
    stringField(out, "message", event.message);
    stringField(out, "trace_id", event.traceId);
    attributesField(out, event.attributes);
    out += '}';
}

void appendSample(std::string &out, const SeriesKey &seriesKey, const std::string &unit,
                  const Sample &sample)
{
    out += '{';
    timeField(out, "time", sample.time);
    stringField(out, "name", seriesKey.name, true);
    json::appendKey(out, "labels");
    out += '{';
    for (const auto &[name, value] : seriesKey.labels)
        stringField(out, name, value, true);
    out += '}';
    json::appendKey(out, "value");
    json::appendNumber(out, sample.value);
    stringField(out, "unit", unit);
    out += '}';
}

void appendLog(std::string &out, const LogRecord &log)
{
    out += '{';
    timeField(out, "time", log.time);
    stringField(out, "service", log.service);
    stringField(out, "entity", log.entity);
    stringField(out, "level", severityName(log.level));
    stringField(out, "message", log.message, true);
    stringField(out, "trace_id", log.traceId);
    stringField(out, "span_id", log.spanId);
    attributesField(out, log.attributes);
    out += '}';
}

void appendSpan(std::string &out, const Span &span)
{
    out += '{';
    stringField(out, "trace_id", span.traceId, true);
    stringField(out, "span_id", span.spanId, true);
    stringField(out, "parent_span_id", span.parentSpanId);
    stringField(out, "name", span.name, true);
    stringField(out, "service", span.service);
    stringField(out, "entity", span.entity);
    json::appendKey(out, "kind");
    json::appendInteger(out, span.kind);
    timeField(out, "start", span.start);
    timeField(out, "end", span.end);
    stringField(out, "status", spanStatusName(span.status));
    attributesField(out, span.attributes);
    out += '}';
}

void appendTopologyEdge(std::string &out, const TopologyEdge &edge)
{
    out += '{';
    stringField(out, "kind", "topology", true);
    stringField(out, "caller", edge.caller, true);
    stringField(out, "callee", edge.callee, true);
    if (edge.time != 0)
        timeField(out, "time", edge.time);
    attributesField(out, edge.attributes);
    out += '}';
}

} // namespace eventscope::native
