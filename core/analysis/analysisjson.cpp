#include "analysis/analysisjson.h"

#include "analysis/changepoint.h"
#include "analysis/confidence.h"
#include "util/jsonwriter.h"
#include "util/timeformat.h"

#include <cmath>
#include <cstdio>

namespace eventscope::analysis {

namespace {

void text(std::string &out, std::string_view name, std::string_view value)
{
    json::appendKey(out, name);
    json::appendString(out, value);
}

void number(std::string &out, std::string_view name, double value)
{
    json::appendKey(out, name);
    json::appendNumber(out, std::round(value * 1000) / 1000);
}

void evidence(std::string &out, const std::vector<std::string> &items)
{
    json::appendKey(out, "evidence");
    out += '[';
    for (const std::string &item : items) {
        if (out.back() != '[')
            out += ',';
        json::appendString(out, item);
    }
    out += ']';
}

void eventHeader(std::string &out, const Event &e)
{
    text(out, "id", e.sourceId);
    text(out, "type", e.type);
    text(out, "time", formatTimestamp(e.time));
    text(out, "service", e.service);
    text(out, "entity", e.entity);
}

} // namespace

std::string analysesToJson(const std::vector<IncidentAnalysis> &analyses)
{
    std::string out = "{\"incidents\":[";
    for (const IncidentAnalysis &a : analyses) {
        if (out.back() != '[')
            out += ',';
        out += '{';
        eventHeader(out, a.failure);
        json::appendKey(out, "causes");
        out += '[';
        for (const RankedCause &c : a.causes) {
            if (out.back() != '[')
                out += ',';
            out += '{';
            eventHeader(out, c.event);
            number(out, "score", c.score);
            evidence(out, c.evidence);
            out += '}';
        }
        out += ']';
        // The answer about causes and its confidence (signal 5): the cause's id, or null when
        // no change event explains the failure.
        const CauseAnswer answer = causeAnswer(a);
        json::appendKey(out, "cause_answer");
        out += '{';
        json::appendKey(out, "cause");
        if (answer.cause)
            json::appendString(out, answer.cause->event.sourceId);
        else
            out += "null";
        number(out, "confidence", answer.confidence);
        out += '}';
        json::appendKey(out, "suspects");
        out += '[';
        for (const Suspect &s : a.suspects) {
            if (out.back() != '[')
                out += ',';
            out += '{';
            text(out, "service", s.service);
            text(out, "entity", s.entity);
            number(out, "score", s.score);
            evidence(out, s.evidence);
            out += '}';
        }
        out += ']';
        json::appendKey(out, "anomalies");
        out += '[';
        for (const MetricAnomaly &m : a.anomalies) {
            if (out.back() != '[')
                out += ',';
            out += '{';
            text(out, "series", m.series);
            text(out, "onset", formatTimestamp(m.onset));
            number(out, "score", m.score);
            text(out, "direction", m.direction > 0 ? "up" : "down");
            number(out, "baseline", m.baseline);
            number(out, "after", m.after);
            out += '}';
        }
        out += ']';
        json::appendKey(out, "recovery");
        if (a.recovery) {
            out += '{';
            text(out, "id", a.recovery->sourceId);
            text(out, "type", a.recovery->type);
            text(out, "time", formatTimestamp(a.recovery->time));
            out += '}';
            number(out, "ttr_seconds", a.ttrSeconds);
        } else if (!a.recoveryMetric.empty()) {
            out += '{';
            text(out, "series", a.recoveryMetric);
            text(out, "time", formatTimestamp(a.recoveryTime));
            text(out, "how", "back within 2 sigma of its baseline");
            out += '}';
            number(out, "ttr_seconds", a.ttrSeconds);
        } else {
            out += "null";
            json::appendKey(out, "ttr_seconds");
            out += "null";
        }
        out += '}';
    }
    out += "],\"mttr\":[";
    for (const MttrGroup &g : summarizeMttr(analyses)) {
        if (out.back() != '[')
            out += ',';
        out += '{';
        text(out, "service", g.service);
        text(out, "type", g.type);
        number(out, "incidents", g.incidents);
        number(out, "recovered", g.recovered);
        number(out, "median_ttr_seconds", g.medianSeconds);
        number(out, "mean_ttr_seconds", g.meanSeconds);
        json::appendKey(out, "by_day");
        out += '[';
        for (const MttrGroup::Day &d : g.days) {
            if (out.back() != '[')
                out += ',';
            out += '{';
            text(out, "day", d.day);
            number(out, "recovered", d.recovered);
            number(out, "median_ttr_seconds", d.medianSeconds);
            out += '}';
        }
        out += "]}";
    }
    out += "]}\n";
    return out;
}

std::string analysesToText(const std::vector<IncidentAnalysis> &analyses)
{
    std::string out;
    char line[512];
    for (const IncidentAnalysis &a : analyses) {
        std::snprintf(line, sizeof line, "%s  %s  %s  %s %s\n", a.failure.sourceId.c_str(),
                      formatTimestamp(a.failure.time).c_str(), a.failure.type.c_str(),
                      a.failure.service.c_str(), a.failure.entity.c_str());
        out += line;
        out += "  answer: " + causeAnswer(a).because + "\n";
        for (std::size_t i = 0; i < a.causes.size() && i < 3; ++i) {
            const RankedCause &c = a.causes[i];
            std::snprintf(line, sizeof line, "  cause %zu  %.2f%s  %s %s (%s)\n", i + 1, c.score,
                          isConfidentCause(c) ? "" : " (weak)", c.event.type.c_str(),
                          c.event.service.c_str(), c.event.sourceId.c_str());
            out += line;
            if (i == 0)
                for (const std::string &e : c.evidence)
                    out += "           - " + e + "\n";
        }
        for (std::size_t i = 0; i < a.suspects.size() && i < 3; ++i) {
            const Suspect &s = a.suspects[i];
            std::snprintf(line, sizeof line, "  suspect %zu  %.2f  %s%s%s\n", i + 1, s.score,
                          s.service.c_str(), s.service.empty() || s.entity.empty() ? "" : " / ",
                          s.entity.c_str());
            out += line;
        }
        if (a.recovery || !a.recoveryMetric.empty()) {
            std::snprintf(line, sizeof line, "  recovered after %.0f s (%s)\n", a.ttrSeconds,
                          a.recovery ? a.recovery->type.c_str() : a.recoveryMetric.c_str());
            out += line;
        } else {
            out += "  no recovery seen\n";
        }
        out += '\n';
    }
    return out;
}

} // namespace eventscope::analysis
