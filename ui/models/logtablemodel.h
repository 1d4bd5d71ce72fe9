#pragma once

#include "timedisplay.h"

#include "model/logrecord.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QList>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace eventscope::ui {

struct Theme;

// Log records packed for a table of up to a few hundred thousand rows: one 32-byte row each,
// texts in one arena, service and entity names once each. A LogRecord of std::strings costs
// four allocations and about 250 bytes before its text; this is what keeps a panel over a
// capture of a million records fluid. Filled on a worker, then read-only (shared).
class LogRows
{
public:
    void append(const LogRecord &record);
    std::size_t size() const { return m_rows.size(); }
    bool empty() const { return m_rows.empty(); }
    // The memory it holds, in bytes.
    std::size_t bytes() const;

    TimeUs time(std::size_t row) const { return m_rows[row].time; }
    Severity level(std::size_t row) const { return static_cast<Severity>(m_rows[row].level); }
    std::string_view service(std::size_t row) const { return m_names[m_rows[row].service]; }
    std::string_view entity(std::size_t row) const { return m_names[m_rows[row].entity]; }
    std::string_view message(std::size_t row) const;
    std::string_view traceId(std::size_t row) const;
    std::string_view spanId(std::size_t row) const;

private:
    struct Row
    {
        TimeUs time;
        std::uint64_t text; // offset in m_arena of message, trace id, span id
        std::uint32_t messageLength;
        std::uint32_t service;
        std::uint32_t entity;
        std::uint8_t level;
        std::uint8_t traceLength;
        std::uint8_t spanLength;
    };
    std::uint32_t nameIndex(const std::string &name);

    std::vector<Row> m_rows;
    std::string m_arena;
    std::vector<std::string> m_names;
    std::unordered_map<std::string, std::uint32_t> m_nameIndex;
};

// Log records as table rows, in time order, arriving in batches (LogRows) as a fetch streams
// them in; a new fetch resets it. Level colours from the theme. Lives on the GUI thread.
class LogTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        TimeColumn,
        LevelColumn,
        ServiceColumn,
        EntityColumn,
        MessageColumn,
        TraceColumn,
        ColumnCount
    };
    enum Role { TimeRole = Qt::UserRole + 1, LevelRole, TraceIdRole, SpanIdRole };

    explicit LogTableModel(QObject *parent = nullptr);

    void clear();
    // Rows later than (or as late as) every row so far.
    void appendBatch(std::shared_ptr<const LogRows> batch);
    // The first row at or after `time` (rowCount() if none); rows are in time order.
    int rowAtOrAfter(TimeUs time) const;
    TimeUs timeAt(int row) const;
    // The memory the rows hold, in bytes.
    std::size_t bytes() const;
    void setTimeZone(TimeZoneMode zone);
    void setTheme(const Theme &theme);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    // The batch holding `row`, and the row's index in it.
    std::pair<const LogRows *, std::size_t> locate(int row) const;

    std::vector<std::shared_ptr<const LogRows>> m_batches;
    std::vector<std::size_t> m_batchStart; // first row of each batch
    std::size_t m_rows = 0;
    TimeZoneMode m_zone = TimeZoneMode::Utc;
    QList<QColor> m_levelColors;
    QColor m_mutedText;
};

} // namespace eventscope::ui
