#pragma once

#include "model/event.h"

#include <QAbstractTableModel>

#include <vector>

namespace eventscope::ui {

// Events of the open capture as table rows. Takes whole batches (setEvents / appendEvents),
// never one row at a time. Lives on the GUI thread.
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

    void setEvents(std::vector<Event> events);
    void appendEvents(std::vector<Event> events);
    const Event &eventAt(int row) const { return m_events[static_cast<std::size_t>(row)]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<Event> m_events;
};

} // namespace eventscope::ui
