#include "logtablemodel.h"

#include "theme.h"

#include <QBrush>

#include <algorithm>

namespace eventscope::ui {

namespace {
QString fromView(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

// Ids longer than this (not hex trace or span ids) are cut; a row keeps one byte of length.
constexpr std::size_t kMaxIdLength = 255;
} // namespace

std::uint32_t LogRows::nameIndex(const std::string &name)
{
    auto [it, added] = m_nameIndex.try_emplace(name, static_cast<std::uint32_t>(m_names.size()));
    if (added)
        m_names.push_back(name);
    return it->second;
}

void LogRows::append(const LogRecord &record)
{
    const std::size_t traceLength = std::min(record.traceId.size(), kMaxIdLength);
    const std::size_t spanLength = std::min(record.spanId.size(), kMaxIdLength);
    Row row{};
    row.time = record.time;
    row.text = m_arena.size();
    row.messageLength = static_cast<std::uint32_t>(
        std::min<std::size_t>(record.message.size(), std::numeric_limits<std::uint32_t>::max()));
    row.service = nameIndex(record.service);
    row.entity = nameIndex(record.entity);
    row.level = static_cast<std::uint8_t>(record.level);
    row.traceLength = static_cast<std::uint8_t>(traceLength);
    row.spanLength = static_cast<std::uint8_t>(spanLength);
    m_arena.append(record.message, 0, row.messageLength);
    m_arena.append(record.traceId, 0, traceLength);
    m_arena.append(record.spanId, 0, spanLength);
    m_rows.push_back(row);
}

std::size_t LogRows::bytes() const
{
    std::size_t total = m_rows.capacity() * sizeof(Row) + m_arena.capacity();
    for (const std::string &name : m_names)
        total += sizeof(std::string) + name.capacity();
    return total + m_nameIndex.size() * (sizeof(std::string) + 2 * sizeof(void *));
}

std::string_view LogRows::message(std::size_t row) const
{
    const Row &r = m_rows[row];
    return std::string_view(m_arena).substr(r.text, r.messageLength);
}

std::string_view LogRows::traceId(std::size_t row) const
{
    const Row &r = m_rows[row];
    return std::string_view(m_arena).substr(r.text + r.messageLength, r.traceLength);
}

std::string_view LogRows::spanId(std::size_t row) const
{
    const Row &r = m_rows[row];
    return std::string_view(m_arena).substr(r.text + r.messageLength + r.traceLength, r.spanLength);
}

LogTableModel::LogTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    setTheme(Theme::dark());
}

void LogTableModel::clear()
{
    if (m_rows == 0 && m_batches.empty())
        return;
    beginResetModel();
    m_batches.clear();
    m_batchStart.clear();
    m_rows = 0;
    endResetModel();
}

void LogTableModel::appendBatch(std::shared_ptr<const LogRows> batch)
{
    if (!batch || batch->empty())
        return;
    const int first = static_cast<int>(m_rows);
    beginInsertRows({}, first, first + static_cast<int>(batch->size()) - 1);
    m_batchStart.push_back(m_rows);
    m_rows += batch->size();
    m_batches.push_back(std::move(batch));
    endInsertRows();
}

std::pair<const LogRows *, std::size_t> LogTableModel::locate(int row) const
{
    const auto r = static_cast<std::size_t>(row);
    const auto it = std::upper_bound(m_batchStart.begin(), m_batchStart.end(), r);
    const auto batch = static_cast<std::size_t>(it - m_batchStart.begin()) - 1;
    return {m_batches[batch].get(), r - m_batchStart[batch]};
}

std::size_t LogTableModel::bytes() const
{
    std::size_t total = 0;
    for (const auto &batch : m_batches)
        total += batch->bytes();
    return total;
}

TimeUs LogTableModel::timeAt(int row) const
{
    const auto [rows, i] = locate(row);
    return rows->time(i);
}

int LogTableModel::rowAtOrAfter(TimeUs time) const
{
    // Batches are in time order, and so are the rows of each.
    int low = 0;
    int high = static_cast<int>(m_rows);
    while (low < high) {
        const int middle = low + (high - low) / 2;
        if (timeAt(middle) < time)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

void LogTableModel::setTimeZone(TimeZoneMode zone)
{
    if (zone == m_zone)
        return;
    m_zone = zone;
    if (m_rows > 0)
        Q_EMIT dataChanged(index(0, TimeColumn), index(rowCount() - 1, TimeColumn),
                           {Qt::DisplayRole});
    Q_EMIT headerDataChanged(Qt::Horizontal, TimeColumn, TimeColumn);
}

void LogTableModel::setTheme(const Theme &theme)
{
    m_levelColors.clear();
    for (int i = 0; i < kSeverityCount; ++i)
        m_levelColors << theme.severityColor(static_cast<Severity>(i));
    m_mutedText = theme.mutedText;
    if (m_rows > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
                           {Qt::ForegroundRole});
}

int LogTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows);
}

int LogTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const auto [rows, i] = locate(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn: return formatTime(rows->time(i), m_zone);
        case LevelColumn: return fromView(severityName(rows->level(i)));
        case ServiceColumn: return fromView(rows->service(i));
        case EntityColumn: return fromView(rows->entity(i));
        case MessageColumn: {
            // One line per row; the whole message is in the tooltip.
            std::string_view message = rows->message(i);
            if (const auto newline = message.find('\n'); newline != std::string_view::npos)
                return fromView(message.substr(0, newline)) + QStringLiteral(" …");
            return fromView(message);
        }
        case TraceColumn: return fromView(rows->traceId(i));
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == MessageColumn || index.column() == TraceColumn) {
            QString tip = fromView(rows->message(i)).toHtmlEscaped();
            tip.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
            if (!rows->traceId(i).empty())
                tip += QStringLiteral("<br><br>trace %1").arg(fromView(rows->traceId(i)));
            if (!rows->spanId(i).empty())
                tip += QStringLiteral("<br>span %1").arg(fromView(rows->spanId(i)));
            return QStringLiteral("<qt>%1</qt>").arg(tip);
        }
        break;
    case Qt::ForegroundRole:
        if (index.column() == LevelColumn || rows->level(i) >= Severity::Error)
            return QBrush(m_levelColors.value(static_cast<int>(rows->level(i))));
        if (index.column() == TraceColumn || rows->level(i) == Severity::Debug)
            return QBrush(m_mutedText);
        break;
    case TimeRole: return QVariant::fromValue<qint64>(rows->time(i));
    case LevelRole: return static_cast<int>(rows->level(i));
    case TraceIdRole: return fromView(rows->traceId(i));
    case SpanIdRole: return fromView(rows->spanId(i));
    }
    return {};
}

QVariant LogTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return m_zone == TimeZoneMode::Utc ? tr("Time (UTC)") : tr("Time (local)");
    case LevelColumn: return tr("Level");
    case ServiceColumn: return tr("Service");
    case EntityColumn: return tr("Entity");
    case MessageColumn: return tr("Message");
    case TraceColumn: return tr("Trace");
    }
    return {};
}

} // namespace eventscope::ui
