#pragma once

// QTest printers for core enums, so QCOMPARE can compare and print them.

#include "model/event.h"
#include "model/span.h"

#include <QTest>

namespace QTest {

template<> inline char *toString(const eventscope::EventCategory &category)
{
    return qstrdup(std::string(eventscope::categoryName(category)).c_str());
}

template<> inline char *toString(const eventscope::Severity &severity)
{
    return qstrdup(std::string(eventscope::severityName(severity)).c_str());
}

template<> inline char *toString(const eventscope::SpanStatus &status)
{
    return qstrdup(std::to_string(static_cast<int>(status)).c_str());
}

} // namespace QTest
