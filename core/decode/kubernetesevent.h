#pragma once

// Kubernetes Events as `kubectl get events -o json` and event exporters write them: core/v1
// Event (involvedObject, source, firstTimestamp/lastTimestamp) and events.k8s.io/v1 Event
// (regarding, deprecatedSource, eventTime, note, series), alone or as an EventList ("items").
//
// Mapping (FORMATS.md): metadata.uid → id; the object → entity "Kind/namespace/name" and its
// workload name → service; source.host → attribute node; reason → type "k8s.<reason>" and a
// category; Normal/Warning → info/warning; the latest of lastTimestamp, eventTime,
// firstTimestamp → time; count, component, namespace, reason → attributes.

#include "decode/message.h"
#include "model/recordbatch.h"

#include <simdjson.h>

#include <string>

namespace eventscope::decode {

// True when the object looks like a Kubernetes Event or EventList.
bool isKubernetesEvent(simdjson::dom::object o);
bool decodeKubernetesEvents(const Message &message, simdjson::dom::object o, RecordBatch &batch,
                            std::string &reason);

} // namespace eventscope::decode
