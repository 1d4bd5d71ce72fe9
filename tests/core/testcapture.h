#pragma once

// Helpers for store tests: scratch capture paths and record factories.

#include "model/recordbatch.h"
#include "store/batchcommitter.h"
#include "store/capturereader.h"
#include "testprinters.h"

#include <QTemporaryDir>
#include <QTest>

#include <string>

namespace eventscope::test {

inline Event makeEvent(int n, TimeUs time, const std::string &topic = {},
                       std::int32_t partition = -1, std::int64_t offset = -1)
{
    Event e;
    e.sourceId = "evt-" + std::to_string(n);
    e.time = time;
    e.type
        = n % 3 == 0 ? "failure.crash" : (n % 3 == 1 ? "scaling.scale_out" : "deployment.rollout");
    e.category = inferEventCategory(e.type);
    e.severity = e.category == EventCategory::Failure ? Severity::Error : Severity::Info;
    e.service = "svc-" + std::to_string(n % 4);
    e.entity = "pod-" + std::to_string(n % 7);
    e.cluster = "prod-eu";
    e.message
        = "event number " + std::to_string(n) + (n % 5 == 0 ? " with \"quotes\" and ünïcode" : "");
    e.traceId = n % 2 ? "4bf92f3577b34da6a3ce929d0e0e4736" : "";
    e.attributes = n % 2 ? R"({"n":)" + std::to_string(n) + "}" : "";
    if (partition >= 0)
        e.origin = {topic, partition, offset};
    return e;
}

inline LogRecord makeLog(int n, TimeUs time)
{
    LogRecord log;
    log.time = time;
    log.level = static_cast<Severity>(n % kSeverityCount);
    log.service = "svc-" + std::to_string(n % 4);
    log.entity = "pod-" + std::to_string(n % 7);
    log.message = "log line " + std::to_string(n);
    log.traceId = n % 2 ? "trace-" + std::to_string(n / 2) : "";
    log.spanId = n % 2 ? "span-" + std::to_string(n) : "";
    log.attributes = n % 3 ? "" : R"({"k":"v"})";
    return log;
}

inline Span makeSpan(int n, TimeUs start)
{
    Span span;
    span.traceId = "trace-" + std::to_string(n / 3);
    span.spanId = "span-" + std::to_string(n);
    span.parentSpanId = n % 3 ? "span-" + std::to_string(n - 1) : "";
    span.name = "GET /checkout";
    span.service = "svc-" + std::to_string(n % 3);
    span.entity = "pod-" + std::to_string(n % 5);
    span.kind = n % 3 ? 3 : 2;
    span.start = start;
    span.end = start + 1000 * (n % 17 + 1);
    span.status = n % 11 == 0 ? SpanStatus::Error : SpanStatus::Ok;
    return span;
}

inline std::unique_ptr<BatchCommitter> openCommitter(const std::string &path)
{
    auto committer = BatchCommitter::open(path, "test");
    if (!committer)
        qFatal("%s", committer.error().c_str());
    return std::move(*committer);
}

inline std::unique_ptr<CaptureReader> openReader(const std::string &path)
{
    auto reader = CaptureReader::open(path);
    if (!reader)
        qFatal("%s", reader.error().c_str());
    return std::move(*reader);
}

template<typename T> T valueOrFail(Result<T> result)
{
    if (!result)
        qFatal("%s", result.error().c_str());
    return std::move(*result);
}

} // namespace eventscope::test
