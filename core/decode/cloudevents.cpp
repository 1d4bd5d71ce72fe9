#include "decode/cloudevents.h"

#include "decode/jsonfields.h"
#include "util/jsonwriter.h"
#include "util/timeformat.h"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

namespace eventscope::decode {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// A CloudEvent's context attributes and data, before it becomes an Event.
struct CloudEvent
{
    std::string id, type, source, subject, dataContentType, dataSchema;
    std::optional<TimeUs> time;
    std::vector<std::pair<std::string, std::string>> extensions; // name → JSON value text
    std::string dataJson; // data as JSON text, or empty
    std::string dataBase64;
    std::optional<element> dataObject; // when data is a JSON object: may carry native fields
};

bool isExtensionName(std::string_view name)
{
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    });
}

// RFC 2046 media type: type "/" subtype [; parameters], tokens of visible characters.
bool isMediaType(std::string_view text)
{
    const auto semicolon = text.find(';');
    const std::string_view type = text.substr(0, semicolon);
    const auto slash = type.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 >= type.size())
        return false;
    return std::all_of(type.begin(), type.end(), [](char c) {
        return c > ' ' && c < 127 && c != '(' && c != ')' && c != '<' && c != '>' && c != '@'
            && c != ',' && c != ':' && c != '\\' && c != '"' && c != '[' && c != ']' && c != '?'
            && c != '=';
    });
}

bool isJsonMediaType(std::string_view type)
{
    const std::string_view base = type.substr(0, type.find(';'));
    return base == "application/json" || base == "text/json"
        || (base.size() > 5 && base.substr(base.size() - 5) == "+json");
}

// Last segment of a URI reference: "/mycontext/subcontext" → "subcontext",
// "https://cloudevents.io" → "cloudevents.io", "#fragment" → "fragment".
std::string serviceFromSource(std::string_view source)
{
    while (!source.empty() && (source.back() == '/' || source.back() == '#'))
        source.remove_suffix(1);
    const auto cut = source.find_last_of("/#:");
    return std::string(cut == std::string_view::npos ? source : source.substr(cut + 1));
}

// W3C traceparent "00-<32 hex trace id>-<16 hex span id>-<flags>" → the trace id.
std::string traceIdFromTraceparent(std::string_view traceparent)
{
    if (traceparent.size() >= 55 && traceparent[2] == '-' && traceparent[35] == '-')
        return std::string(traceparent.substr(3, 32));
    return {};
}

bool requireAttribute(std::string_view name, const std::string &value, bool present,
                      std::string &reason)
{
    if (!present) {
        reason = "CloudEvent: required attribute '" + std::string(name) + "' is missing";
        return false;
    }
    if (value.empty()) {
        reason = "CloudEvent: required attribute '" + std::string(name) + "' is empty";
        return false;
    }
    return true;
}

bool checkOptional(const CloudEvent &e, std::string &reason)
{
    if (!e.dataContentType.empty() && !isMediaType(e.dataContentType)) {
        reason = "CloudEvent: datacontenttype '" + e.dataContentType
            + "' is not a media type (type/subtype)";
        return false;
    }
    return true;
}

void appendEvent(const Message &message, CloudEvent &e, RecordBatch &batch)
{
    Event event;
    event.sourceId = std::move(e.id);
    event.type = std::move(e.type);
    event.time = e.time ? *e.time : message.fallbackTime();
    event.service = serviceFromSource(e.source);
    event.entity = e.subject;

    std::string severity, category;
    if (e.dataObject) {
        // Read in one pass over the data's keys, not one at_key() scan per field.
        const auto fields = jsonfields::fields<7>(
            e.dataObject->get_object().value_unsafe(),
            {"service", "entity", "message", "cluster", "trace_id", "severity", "category"});
        const std::array targets{&event.service, &event.entity, &event.message, &event.cluster,
                                 &event.traceId, &severity,     &category};
        std::string text;
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (fields[i].present && jsonfields::readText(fields[i].value, text) && !text.empty())
                *targets[i] = text;
        }
    } else if (!e.dataJson.empty() && e.dataJson.front() == '"'
               && !isJsonMediaType(e.dataContentType)) {
        // Text data reads as the message.
        simdjson::dom::parser parser;
        std::string_view text;
        if (parser.parse(e.dataJson).get(text) == simdjson::SUCCESS)
            event.message = std::string(text);
    }
    for (const auto &[name, value] : e.extensions) {
        if (name == "traceparent" && event.traceId.empty())
            event.traceId = traceIdFromTraceparent(
                value.size() >= 2 ? std::string_view(value).substr(1, value.size() - 2) : "");
        if (name == "severity" && severity.empty() && value.size() >= 2)
            severity = value.substr(1, value.size() - 2);
    }
    event.category = resolveCategory(category, event.type);
    event.severity = resolveSeverity(severity, event.category);

    // Everything else, so nothing of the CloudEvent is lost.
    std::string attributes;
    attributes.reserve(64 + e.source.size() + e.dataContentType.size() + e.dataSchema.size()
                       + e.dataJson.size() + e.dataBase64.size() + 32 * e.extensions.size());
    attributes += "{\"specversion\":\"1.0\",\"source\":";
    json::appendString(attributes, e.source);
    for (auto [name, value] : {std::pair{"datacontenttype", &e.dataContentType},
                               std::pair{"dataschema", &e.dataSchema}}) {
        if (!value->empty()) {
            attributes += ",\"";
            attributes += name;
            attributes += "\":";
            json::appendString(attributes, *value);
        }
    }
    for (const auto &[name, value] : e.extensions) {
        attributes += ',';
        json::appendString(attributes, name);
        attributes += ':';
        attributes += value;
    }
    if (!e.dataJson.empty()) {
        attributes += ",\"data\":";
        attributes += e.dataJson;
    }
    if (!e.dataBase64.empty()) {
        attributes += ",\"data_base64\":";
        json::appendString(attributes, e.dataBase64);
    }
    attributes += '}';
    event.attributes = std::move(attributes);
    event.origin = message.origin;
    batch.events.push_back(std::move(event));
}

std::string base64(std::string_view bytes)
{
    static constexpr char kAlphabet[]
        = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::uint32_t chunk = (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16)
            | (i + 1 < bytes.size() ? std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8
                                    : 0)
            | (i + 2 < bytes.size() ? std::uint32_t{static_cast<unsigned char>(bytes[i + 2])} : 0);
        out += kAlphabet[(chunk >> 18) & 63];
        out += kAlphabet[(chunk >> 12) & 63];
        out += i + 1 < bytes.size() ? kAlphabet[(chunk >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? kAlphabet[chunk & 63] : '=';
    }
    return out;
}

} // namespace

bool decodeCloudEventStructured(const Message &message, object o, RecordBatch &batch,
                                std::string &reason)
{
    CloudEvent e;
    bool hasId = false, hasType = false, hasSource = false, hasSpecVersion = false, hasData = false;
    for (auto field : o) {
        const std::string_view key = field.key;
        const element value = field.value;
        if (value.is_null())
            continue; // null is absent
        auto stringAttribute = [&](std::string &target) {
            std::string_view text;
            if (value.get(text) != simdjson::SUCCESS) {
                reason = "CloudEvent: attribute '" + std::string(key) + "' must be a string, not "
                    + std::string(jsonfields::typeName(value.type()));
                return false;
            }
            target = std::string(text);
            return true;
        };
        auto optionalAttribute = [&](std::string &target) {
            if (!stringAttribute(target))
                return false;
            if (target.empty()) {
                reason
                    = "CloudEvent: attribute '" + std::string(key) + "' is empty (omit it instead)";
                return false;
            }
            return true;
        };
        if (key == "specversion") {
            std::string version;
            if (!stringAttribute(version))
                return false;
            hasSpecVersion = true;
            if (version.empty()) {
                reason = "CloudEvent: required attribute 'specversion' is empty";
                return false;
            }
            if (version != "1.0") {
                reason = "CloudEvent: specversion '" + version + "' is not supported (only 1.0)";
                return false;
            }
        } else if (key == "id") {
            if (!stringAttribute(e.id))
                return false;
            hasId = true;
        } else if (key == "type") {
            if (!stringAttribute(e.type))
                return false;
            hasType = true;
        } else if (key == "source") {
            if (!stringAttribute(e.source))
                return false;
            hasSource = true;
        } else if (key == "subject") {
            if (!optionalAttribute(e.subject))
                return false;
        } else if (key == "datacontenttype") {
            if (!optionalAttribute(e.dataContentType))
                return false;
        } else if (key == "dataschema") {
            if (!optionalAttribute(e.dataSchema))
                return false;
        } else if (key == "time") {
            std::string text;
            if (!stringAttribute(text))
                return false;
            e.time = parseRfc3339(text);
            if (!e.time) {
                reason = "CloudEvent: time " + jsonfields::quoted(text)
                    + " is not an RFC 3339 timestamp";
                return false;
            }
        } else if (key == "data") {
            hasData = true;
            jsonfields::minifyInto(value, e.dataJson);
            if (value.is_object())
                e.dataObject = value;
        } else if (key == "data_base64") {
            if (!stringAttribute(e.dataBase64))
                return false;
        } else {
            if (!isExtensionName(key)) {
                reason = "CloudEvent: extension name '" + std::string(key)
                    + "' must be lowercase letters and digits only";
                return false;
            }
            const element_type type = value.type();
            if (type == element_type::OBJECT || type == element_type::ARRAY
                || type == element_type::DOUBLE) {
                reason = "CloudEvent: extension '" + std::string(key)
                    + "' must be a string, integer or boolean, not "
                    + std::string(type == element_type::DOUBLE ? "a fractional number"
                                                               : jsonfields::typeName(type));
                return false;
            }
            e.extensions.emplace_back(std::string(key), simdjson::minify(value));
        }
    }
    if (!requireAttribute("specversion", "1.0", hasSpecVersion, reason)
        || !requireAttribute("id", e.id, hasId, reason)
        || !requireAttribute("source", e.source, hasSource, reason)
        || !requireAttribute("type", e.type, hasType, reason) || !checkOptional(e, reason))
        return false;
    if (hasData && !e.dataBase64.empty()) {
        reason = "CloudEvent: has both data and data_base64";
        return false;
    }
    appendEvent(message, e, batch);
    return true;
}

bool decodeCloudEventBinary(const Message &message, simdjson::dom::parser &parser,
                            std::string &buffer, RecordBatch &batch, std::string &reason)
{
    CloudEvent e;
    bool hasId = false, hasType = false, hasSource = false, hasSpecVersion = false;
    for (const MessageHeader &header : message.headers) {
        if (header.name == "content-type") {
            e.dataContentType = std::string(header.value);
            continue;
        }
        if (header.name.substr(0, 3) != "ce_")
            continue;
        const std::string_view name = header.name.substr(3);
        const std::string value(header.value);
        if (jsonfields::firstInvalidUtf8(value) != std::string_view::npos) {
            reason = "CloudEvent: header 'ce_" + std::string(name) + "' is not valid UTF-8";
            return false;
        }
        if (name == "specversion") {
            hasSpecVersion = true;
            if (value != "1.0") {
                reason = value.empty()
                    ? "CloudEvent: required attribute 'specversion' is empty"
                    : "CloudEvent: specversion '" + value + "' is not supported (only 1.0)";
                return false;
            }
        } else if (name == "id") {
            e.id = value;
            hasId = true;
        } else if (name == "type") {
            e.type = value;
            hasType = true;
        } else if (name == "source") {
            e.source = value;
            hasSource = true;
        } else if (name == "subject") {
            e.subject = value;
        } else if (name == "dataschema") {
            e.dataSchema = value;
        } else if (name == "time") {
            e.time = parseRfc3339(value);
            if (!e.time) {
                reason = "CloudEvent: header ce_time " + jsonfields::quoted(value)
                    + " is not an RFC 3339 timestamp";
                return false;
            }
        } else {
            if (!isExtensionName(name)) {
                reason = "CloudEvent: extension header 'ce_" + std::string(name)
                    + "' must be lowercase letters and digits only";
                return false;
            }
            std::string quoted;
            json::appendString(quoted, value);
            e.extensions.emplace_back(std::string(name), std::move(quoted));
        }
    }
    if (!requireAttribute("specversion", "1.0", hasSpecVersion, reason)
        || !requireAttribute("id", e.id, hasId, reason)
        || !requireAttribute("source", e.source, hasSource, reason)
        || !requireAttribute("type", e.type, hasType, reason) || !checkOptional(e, reason))
        return false;

    // The value is the data, in the content type's encoding.
    const std::string_view payload = message.payload;
    if (!payload.empty()) {
        if (isJsonMediaType(e.dataContentType)) {
            buffer.assign(payload);
            buffer.resize(payload.size() + simdjson::SIMDJSON_PADDING);
            element data;
            if (parser.parse(buffer.data(), payload.size(), false).get(data) != simdjson::SUCCESS) {
                reason = "CloudEvent (binary mode): content-type is " + e.dataContentType
                    + " but the value is not valid JSON";
                return false;
            }
            jsonfields::minifyInto(data, e.dataJson);
            if (data.is_object())
                e.dataObject = data;
        } else if (jsonfields::firstInvalidUtf8(payload) == std::string_view::npos) {
            json::appendString(e.dataJson, payload);
        } else {
            e.dataBase64 = base64(payload);
        }
    }
    appendEvent(message, e, batch);
    return true;
}

} // namespace eventscope::decode
