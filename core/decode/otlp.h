#pragma once

// OTLP JSON (the OpenTelemetry Collector's Kafka exporter with encoding otlp_json):
// ExportMetricsServiceRequest, ExportLogsServiceRequest, ExportTraceServiceRequest.
//
// Metrics: gauge and sum data points (asDouble | asInt) become samples; histograms,
// exponential histograms and summaries give two series, name.count and name.sum. Labels are the
// data point attributes plus service (resource service.name) and the usual resource identities
// (host.name → host, k8s.pod.name → pod, k8s.node.name → node, k8s.namespace.name → namespace).
// Logs: severityNumber (or severityText) → level, body → message (non-string bodies as JSON),
// service from the resource, entity from k8s.pod.name or host.name, trace and span ids.
// Traces: one span per span, status.code 2 → error. Ids are normalised to lowercase hex.

#include "decode/message.h"
#include "model/recordbatch.h"

#include <simdjson.h>

#include <string>

namespace eventscope::decode {

bool decodeOtlpMetrics(const Message &message, simdjson::dom::object o, RecordBatch &batch,
                       std::string &reason);
bool decodeOtlpLogs(const Message &message, simdjson::dom::object o, RecordBatch &batch,
                    std::string &reason);
bool decodeOtlpTraces(const Message &message, simdjson::dom::object o, RecordBatch &batch,
                      std::string &reason);

} // namespace eventscope::decode
