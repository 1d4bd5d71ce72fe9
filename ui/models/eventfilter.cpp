#include "eventfilter.h"

namespace eventscope::ui {

namespace {
bool containsText(const std::string &haystack, const QString &needle)
{
    return QString::fromStdString(haystack).contains(needle, Qt::CaseInsensitive);
}
} // namespace

bool EventFilter::matches(const Event &event) const
{
    if (!(categories & EventQuery::categoryBit(event.category)))
        return false;
    if (event.severity < minSeverity)
        return false;
    if (!service.isEmpty() && QString::fromStdString(event.service) != service)
        return false;
    if (!entity.isEmpty() && QString::fromStdString(event.entity) != entity)
        return false;
    if (!text.isEmpty()
        && !(containsText(event.type, text) || containsText(event.service, text)
             || containsText(event.entity, text) || containsText(event.message, text)))
        return false;
    return true;
}

} // namespace eventscope::ui
