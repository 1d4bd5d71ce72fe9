#include "eventtablemodel.h"

#include "util/timeformat.h"

#include <QBrush>
#include <QColor>

namespace eventscope::ui {

EventTableModel::EventTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void EventTableModel::setEvents(std::vector<Event> events)
{
    beginResetModel();
    m_events = std::move(events);
    endResetModel();
}

void EventTableModel::appendEvents(std::vector<Event> events)
{
    if (events.empty())
        return;
    const int first = static_cast<int>(m_events.size());
    beginInsertRows({}, first, first + static_cast<int>(events.size()) - 1);
    m_events.insert(m_events.end(), std::make_move_iterator(events.begin()),
                    std::make_move_iterator(events.end()));
    endInsertRows();
}

int EventTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_events.size());
}

int EventTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Event &event = m_events[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn: return QString::fromStdString(formatTimestamp(event.time));
        case SeverityColumn:
            return QString::fromUtf8(severityName(event.severity).data(),
                                     static_cast<qsizetype>(severityName(event.severity).size()));
        case CategoryColumn:
            return QString::fromUtf8(categoryName(event.category).data(),
                                     static_cast<qsizetype>(categoryName(event.category).size()));
        case TypeColumn: return QString::fromStdString(event.type);
        case ServiceColumn: return QString::fromStdString(event.service);
        case EntityColumn: return QString::fromStdString(event.entity);
        case MessageColumn: return QString::fromStdString(event.message);
        default: return {};
        }
    case Qt::ForegroundRole:
        if (index.column() == SeverityColumn && event.severity >= Severity::Error)
            return QBrush(QColor(0xc6, 0x28, 0x28));
        if (index.column() == SeverityColumn && event.severity == Severity::Warning)
            return QBrush(QColor(0xb2, 0x6a, 0x00));
        return {};
    case TimeRole: return QVariant::fromValue<qint64>(event.time);
    case SeverityRole: return static_cast<int>(event.severity);
    case CategoryRole: return static_cast<int>(event.category);
    case SourceIdRole: return QString::fromStdString(event.sourceId);
    default: return {};
    }
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time (UTC)");
    case SeverityColumn: return tr("Severity");
    case CategoryColumn: return tr("Category");
    case TypeColumn: return tr("Type");
    case ServiceColumn: return tr("Service");
    case EntityColumn: return tr("Entity");
    case MessageColumn: return tr("Message");
    default: return {};
    }
}

} // namespace eventscope::ui
