#pragma once

// CloudEvents 1.0 over Kafka (FORMATS.md): structured mode (the event as JSON, content-type
// application/cloudevents+json) and binary mode (ce_* headers, the value is the data).
// Validation follows the CloudEvents JSON format conformance suite: specversion "1.0"; id,
// source, type non-empty strings; time RFC 3339; optional attributes non-empty when present
// (null means absent); extension names lowercase alphanumeric with string, integer or boolean
// values; never both data and data_base64.
//
// Mapping: source → service (its last path segment) unless data carries native fields
// (service, entity, message, severity, category, cluster, trace_id); subject → entity;
// type → type; the other attributes, extensions and the data itself → attributes.

#include "decode/message.h"
#include "model/recordbatch.h"

#include <simdjson.h>

#include <string>

namespace eventscope::decode {

bool decodeCloudEventStructured(const Message &message, simdjson::dom::object o, RecordBatch &batch,
                                std::string &reason);
// `parser` parses a JSON data payload; the message needs no JSON of its own.
bool decodeCloudEventBinary(const Message &message, simdjson::dom::parser &parser,
                            std::string &buffer, RecordBatch &batch, std::string &reason);

} // namespace eventscope::decode
