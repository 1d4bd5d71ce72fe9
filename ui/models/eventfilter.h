#pragma once

#include "model/event.h"
#include "store/queries.h"

#include <QString>

#include <cstdint>

namespace eventscope::ui {

// Which events the table and the overlays show: categories, a minimum severity, service and
// entity (exact), and free text (case-insensitive, in type, service, entity or message).
struct EventFilter
{
    std::uint32_t categories = EventQuery::kAllCategories;
    Severity minSeverity = Severity::Debug;
    QString service;
    QString entity;
    QString text;

    bool matches(const Event &event) const;
    bool isEmpty() const
    {
        return categories == EventQuery::kAllCategories && minSeverity == Severity::Debug
            && service.isEmpty() && entity.isEmpty() && text.isEmpty();
    }

    friend bool operator==(const EventFilter &, const EventFilter &) = default;
};

} // namespace eventscope::ui
