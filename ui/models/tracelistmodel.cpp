#include "tracelistmodel.h"

#include "theme.h"

#include <QBrush>

namespace eventscope::ui {

TraceListModel::TraceListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    setTheme(Theme::dark());
}

void TraceListModel::setTraces(std::vector<TraceSummary> traces)
{
    beginResetModel();
    m_traces = std::move(traces);
    endResetModel();
}

int TraceListModel::rowOf(const std::string &traceId) const
{
    for (std::size_t i = 0; i < m_traces.size(); ++i) {
        if (m_traces[i].traceId == traceId)
            return static_cast<int>(i);
    }
    return -1;
}

void TraceListModel::setTimeZone(TimeZoneMode zone)
{
    if (zone == m_zone)
        return;
    m_zone = zone;
    if (!m_traces.empty())
        Q_EMIT dataChanged(index(0, StartColumn), index(rowCount() - 1, StartColumn));
}

void TraceListModel::setTheme(const Theme &theme)
{
    m_error = theme.severityColor(Severity::Error);
    if (!m_traces.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
                           {Qt::ForegroundRole});
}

int TraceListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_traces.size());
}

int TraceListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TraceListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const TraceSummary &trace = traceAt(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case StartColumn: return formatTime(trace.start, m_zone, false);
        case RootColumn: return QString::fromStdString(trace.rootService + "  " + trace.rootName);
        case DurationColumn:
            return formatDuration(static_cast<double>(trace.end - trace.start) / kMicrosPerSecond);
        case SpansColumn: return trace.spans;
        case ErrorsColumn:
            return trace.errors == 0 ? QString()
                                     : tr("%1 · %2 %3")
                                           .arg(trace.errors)
                                           .arg(QString::fromStdString(trace.errorService),
                                                QString::fromStdString(trace.errorName));
        }
    } else if (role == Qt::ForegroundRole && trace.errors > 0
               && (index.column() == ErrorsColumn || index.column() == RootColumn)) {
        return QBrush(m_error);
    } else if (role == Qt::ToolTipRole) {
        QStringList services;
        for (const std::string &service : trace.services)
            services << QString::fromStdString(service);
        return tr("Trace %1\nThrough %2")
            .arg(QString::fromStdString(trace.traceId), services.join(QStringLiteral(", ")));
    } else if (role == Qt::TextAlignmentRole
               && (index.column() == DurationColumn || index.column() == SpansColumn)) {
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant TraceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StartColumn: return m_zone == TimeZoneMode::Utc ? tr("Start (UTC)") : tr("Start");
    case RootColumn: return tr("Root");
    case DurationColumn: return tr("Duration");
    case SpansColumn: return tr("Spans");
    case ErrorsColumn: return tr("Errors");
    }
    return {};
}

} // namespace eventscope::ui
