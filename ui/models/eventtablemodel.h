#pragma once

#include "eventfilter.h"
#include "timedisplay.h"

#include "model/event.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <memory>
#include <vector>

namespace eventscope::ui {

struct Theme;

// The events of the open capture as table rows, in time order. Shares the timeline's
// read-only event list; a new list that only adds later events inserts them as one batch,
// anything else resets the model. Lives on the GUI thread; no widget code.
class EventTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        TimeColumn,
        SeverityColumn,
        CategoryColumn,
        TypeColumn,
        ServiceColumn,
        EntityColumn,
        MessageColumn,
        ColumnCount
    };
    enum Role { TimeRole = Qt::UserRole + 1, SeverityRole, CategoryRole, SourceIdRole };

    explicit EventTableModel(QObject *parent = nullptr);

    void setEvents(std::shared_ptr<const std::vector<Event>> events);
    const Event &eventAt(int row) const { return (*m_events)[static_cast<std::size_t>(row)]; }
    // The row of an event equal to `event`, or -1.
    int rowOf(const Event &event) const;
    void setTimeZone(TimeZoneMode zone);
    void setSeverityColors(const Theme &theme);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::shared_ptr<const std::vector<Event>> m_events;
    TimeZoneMode m_zone = TimeZoneMode::Utc;
    QList<QColor> m_severityColors;
};

// The event table's filter (EventFilter) and sorting, comparing the events themselves rather
// than their display text.
class EventFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit EventFilterProxyModel(QObject *parent = nullptr);

    void setFilter(const EventFilter &filter);
    const EventFilter &filter() const { return m_filter; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    EventFilter m_filter;
};

} // namespace eventscope::ui
