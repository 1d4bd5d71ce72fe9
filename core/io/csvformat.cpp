#include "io/csvformat.h"

#include "util/timeformat.h"

#include <charconv>
#include <cmath>

namespace eventscope::csv {

const std::string_view kEventHeader = "record,time,id,type,category,severity,service,entity,"
                                      "cluster,message,trace_id,attributes\r\n";
const std::string_view kSampleHeader = "record,time,series,name,labels,unit,value\r\n";
const std::string_view kLogHeader
    = "record,time,level,service,entity,message,trace_id,span_id,attributes\r\n";
const std::string_view kSpanHeader = "record,start,end,duration_ms,trace_id,span_id,"
                                     "parent_span_id,name,service,entity,span_kind,status,"
                                     "attributes\r\n";
const std::string_view kTopologyHeader = "record,caller,callee,time,attributes\r\n";

namespace {

bool looksLikeFormula(std::string_view text)
{
    if (text.empty())
        return false;
    switch (text.front()) {
    case '=':
    case '+':
    case '@':
    case '\t':
    case '\r': return true;
    case '-': return text.size() == 1 || !(text[1] >= '0' && text[1] <= '9');
    default: return false;
    }
}

void appendTime(std::string &out, TimeUs time)
{
    out += ',';
    out += formatTimestamp(time);
}

void appendText(std::string &out, std::string_view text)
{
    out += ',';
    appendField(out, text);
}

void appendNumber(std::string &out, double value)
{
    out += ',';
    if (std::isnan(value)) {
        out += "NaN";
        return;
    }
    if (std::isinf(value)) {
        out += value > 0 ? "Infinity" : "-Infinity";
        return;
    }
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

void endRow(std::string &out)
{
    out += "\r\n";
}

} // namespace

void appendField(std::string &out, std::string_view text)
{
    const bool formula = looksLikeFormula(text);
    const bool quote = formula || text.find_first_of(",\"\r\n") != std::string_view::npos;
    if (!quote) {
        out += text;
        return;
    }
    out += '"';
    if (formula)
        out += '\'';
    for (char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

void appendEvent(std::string &out, const Event &event)
{
    out += "event";
    appendTime(out, event.time);
    appendText(out, event.sourceId);
    appendText(out, event.type);
    appendText(out, categoryName(event.category));
    appendText(out, severityName(event.severity));
    appendText(out, event.service);
    appendText(out, event.entity);
    appendText(out, event.cluster);
    appendText(out, event.message);
    appendText(out, event.traceId);
    appendText(out, event.attributes);
    endRow(out);
}

void appendSample(std::string &out, const SeriesKey &key, const std::string &unit,
                  const Sample &sample)
{
    out += "sample";
    appendTime(out, sample.time);
    appendText(out, key.canonical());
    appendText(out, key.name);
    std::string labels;
    for (const Label &label : key.labels) {
        if (!labels.empty())
            labels += ';';
        labels += label.first;
        labels += '=';
        labels += label.second;
    }
    appendText(out, labels);
    appendText(out, unit);
    appendNumber(out, sample.value);
    endRow(out);
}

void appendLog(std::string &out, const LogRecord &log)
{
    out += "log";
    appendTime(out, log.time);
    appendText(out, severityName(log.level));
    appendText(out, log.service);
    appendText(out, log.entity);
    appendText(out, log.message);
    appendText(out, log.traceId);
    appendText(out, log.spanId);
    appendText(out, log.attributes);
    endRow(out);
}

void appendSpan(std::string &out, const Span &span)
{
    out += "span";
    appendTime(out, span.start);
    appendTime(out, span.end);
    appendNumber(out, static_cast<double>(span.duration()) / 1000.0);
    appendText(out, span.traceId);
    appendText(out, span.spanId);
    appendText(out, span.parentSpanId);
    appendText(out, span.name);
    appendText(out, span.service);
    appendText(out, span.entity);
    out += ',';
    out += std::to_string(span.kind);
    appendText(out, spanStatusName(span.status));
    appendText(out, span.attributes);
    endRow(out);
}

void appendTopologyEdge(std::string &out, const TopologyEdge &edge)
{
    out += "topology";
    appendText(out, edge.caller);
    appendText(out, edge.callee);
    if (edge.time != 0)
        appendTime(out, edge.time);
    else
        out += ',';
    appendText(out, edge.attributes);
    endRow(out);
}

} // namespace eventscope::csv
