#include "eventtablemodel.h"

#include "theme.h"

#include <QBrush>
#include <QColor>

namespace eventscope::ui {

namespace {
QString fromView(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}
} // namespace

EventTableModel::EventTableModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_events(std::make_shared<const std::vector<Event>>())
{
    setSeverityColors(Theme::dark());
}

void EventTableModel::setEvents(std::shared_ptr<const std::vector<Event>> events)
{
    if (!events)
        events = std::make_shared<const std::vector<Event>>();
    const auto &before = *m_events;
    const auto &after = *events;
    // Only later events added: the old rows are a prefix of the new list.
    const bool appended = !before.empty() && after.size() > before.size()
        && after[before.size() - 1] == before.back() && after.front() == before.front();
    if (appended) {
        const int first = static_cast<int>(before.size());
        beginInsertRows({}, first, static_cast<int>(after.size()) - 1);
        m_events = std::move(events);
        endInsertRows();
        return;
    }
    if (events == m_events)
        return;
    beginResetModel();
    m_events = std::move(events);
    endResetModel();
}

int EventTableModel::rowOf(const Event &event) const
{
    const auto &events = *m_events;
    auto it = std::lower_bound(events.begin(), events.end(), event.time,
                               [](const Event &e, TimeUs t) { return e.time < t; });
    for (; it != events.end() && it->time == event.time; ++it) {
        if (*it == event)
            return static_cast<int>(it - events.begin());
    }
    return -1;
}

void EventTableModel::setTimeZone(TimeZoneMode zone)
{
    if (zone == m_zone)
        return;
    m_zone = zone;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, TimeColumn), index(rowCount() - 1, TimeColumn),
                           {Qt::DisplayRole});
    Q_EMIT headerDataChanged(Qt::Horizontal, TimeColumn, TimeColumn);
}

void EventTableModel::setSeverityColors(const Theme &theme)
{
    m_severityColors.clear();
    for (int i = 0; i < kSeverityCount; ++i)
        m_severityColors << theme.severityColor(static_cast<Severity>(i));
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, SeverityColumn), index(rowCount() - 1, SeverityColumn),
                           {Qt::ForegroundRole});
}

int EventTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_events->size());
}

int EventTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Event &event = (*m_events)[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn: return formatTime(event.time, m_zone);
        case SeverityColumn: return fromView(severityName(event.severity));
        case CategoryColumn: return fromView(categoryName(event.category));
        case TypeColumn: return QString::fromStdString(event.type);
        case ServiceColumn: return QString::fromStdString(event.service);
        case EntityColumn: return QString::fromStdString(event.entity);
        case MessageColumn: return QString::fromStdString(event.message);
        default: return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == MessageColumn)
            return QString::fromStdString(event.message);
        return {};
    case Qt::ForegroundRole:
        if (index.column() == SeverityColumn || event.severity >= Severity::Error)
            return QBrush(m_severityColors.value(static_cast<int>(event.severity)));
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
    case TimeColumn: return m_zone == TimeZoneMode::Utc ? tr("Time (UTC)") : tr("Time (local)");
    case SeverityColumn: return tr("Severity");
    case CategoryColumn: return tr("Category");
    case TypeColumn: return tr("Type");
    case ServiceColumn: return tr("Service");
    case EntityColumn: return tr("Entity");
    case MessageColumn: return tr("Message");
    default: return {};
    }
}

EventFilterProxyModel::EventFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{ }

void EventFilterProxyModel::setFilter(const EventFilter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    invalidateFilter();
}

bool EventFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &) const
{
    if (m_filter.isEmpty())
        return true;
    const auto *events = static_cast<const EventTableModel *>(sourceModel());
    return m_filter.matches(events->eventAt(sourceRow));
}

bool EventFilterProxyModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const auto *events = static_cast<const EventTableModel *>(sourceModel());
    const Event &a = events->eventAt(left.row());
    const Event &b = events->eventAt(right.row());
    switch (left.column()) {
    case EventTableModel::SeverityColumn:
        return std::tie(a.severity, a.time) < std::tie(b.severity, b.time);
    case EventTableModel::CategoryColumn:
        return std::tie(a.category, a.time) < std::tie(b.category, b.time);
    case EventTableModel::TypeColumn: return std::tie(a.type, a.time) < std::tie(b.type, b.time);
    case EventTableModel::ServiceColumn:
        return std::tie(a.service, a.time) < std::tie(b.service, b.time);
    case EventTableModel::EntityColumn:
        return std::tie(a.entity, a.time) < std::tie(b.entity, b.time);
    case EventTableModel::MessageColumn: return a.message < b.message;
    default: return left.row() < right.row(); // time order is row order
    }
}

} // namespace eventscope::ui
