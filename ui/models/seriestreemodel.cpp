#include "seriestreemodel.h"

#include <algorithm>

namespace eventscope::ui {

namespace {
QString labelText(const SeriesKey &key)
{
    if (key.labels.empty())
        return QStringLiteral("(no labels)");
    QStringList parts;
    for (const auto &[name, value] : key.labels)
        parts << QString::fromStdString(name) + QLatin1Char('=') + QString::fromStdString(value);
    return parts.join(QStringLiteral(", "));
}
} // namespace

SeriesTreeModel::SeriesTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{ }

void SeriesTreeModel::setSeries(std::vector<SeriesInfo> series)
{
    beginResetModel();
    m_series = std::move(series);
    rebuild();
    endResetModel();
}

void SeriesTreeModel::rebuild()
{
    m_metrics.clear();
    std::vector<std::size_t> order(m_series.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
        const SeriesKey &ka = m_series[a].key;
        const SeriesKey &kb = m_series[b].key;
        return std::tie(ka.name, ka.labels) < std::tie(kb.name, kb.labels);
    });
    for (const std::size_t i : order) {
        if (m_metrics.empty() || m_metrics.back().name != m_series[i].key.name)
            m_metrics.push_back({m_series[i].key.name, {}});
        m_metrics.back().members.push_back(i);
    }
}

const SeriesInfo *SeriesTreeModel::seriesAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() == kTopLevel)
        return nullptr;
    const Metric &metric = m_metrics[index.internalId()];
    return &m_series[metric.members[static_cast<std::size_t>(index.row())]];
}

std::vector<SeriesInfo> SeriesTreeModel::seriesUnder(const QModelIndex &index) const
{
    if (const SeriesInfo *one = seriesAt(index))
        return {*one};
    std::vector<SeriesInfo> all;
    if (index.isValid() && index.internalId() == kTopLevel) {
        for (const std::size_t i : m_metrics[static_cast<std::size_t>(index.row())].members)
            all.push_back(m_series[i]);
    }
    return all;
}

const SeriesInfo *SeriesTreeModel::findById(std::int64_t id) const
{
    for (const SeriesInfo &info : m_series) {
        if (info.id == id)
            return &info;
    }
    return nullptr;
}

const SeriesInfo *SeriesTreeModel::findByKey(const SeriesKey &key) const
{
    for (const SeriesInfo &info : m_series) {
        if (info.key == key)
            return &info;
    }
    return nullptr;
}

QModelIndex SeriesTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= columnCount(parent))
        return {};
    if (!parent.isValid())
        return row < static_cast<int>(m_metrics.size()) ? createIndex(row, column, kTopLevel)
                                                        : QModelIndex();
    if (parent.internalId() != kTopLevel)
        return {};
    const auto metric = static_cast<std::size_t>(parent.row());
    return row < static_cast<int>(m_metrics[metric].members.size())
        ? createIndex(row, column, static_cast<quintptr>(metric))
        : QModelIndex();
}

QModelIndex SeriesTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kTopLevel)
        return {};
    return createIndex(static_cast<int>(child.internalId()), 0, kTopLevel);
}

int SeriesTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return static_cast<int>(m_metrics.size());
    if (parent.internalId() == kTopLevel && parent.column() == 0)
        return static_cast<int>(m_metrics[static_cast<std::size_t>(parent.row())].members.size());
    return 0;
}

int SeriesTreeModel::columnCount(const QModelIndex &) const
{
    return 2;
}

QVariant SeriesTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const bool metricRow = index.internalId() == kTopLevel;
    if (role == IsMetricRole)
        return metricRow;
    if (metricRow) {
        const Metric &metric = m_metrics[static_cast<std::size_t>(index.row())];
        if (role == Qt::DisplayRole) {
            if (index.column() == 0)
                return QString::fromStdString(metric.name);
            std::int64_t samples = 0;
            for (const std::size_t i : metric.members)
                samples += m_series[i].sampleCount;
            return QString::number(samples);
        }
        if (role == Qt::ToolTipRole)
            return tr("%1: %2 series")
                .arg(QString::fromStdString(metric.name))
                .arg(metric.members.size());
        return {};
    }
    const SeriesInfo *info = seriesAt(index);
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == 0 ? labelText(info->key) : QString::number(info->sampleCount);
    case Qt::ToolTipRole:
        return tr("%1\n%2 samples%3")
            .arg(QString::fromStdString(info->key.canonical()))
            .arg(info->sampleCount)
            .arg(info->unit.empty() ? QString()
                                    : tr(", unit %1").arg(QString::fromStdString(info->unit)));
    case SeriesIdRole: return QVariant::fromValue<qint64>(info->id);
    default: return {};
    }
}

QVariant SeriesTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == 0 ? tr("Metric / labels") : tr("Samples");
}

SeriesFilterProxyModel::SeriesFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
}

void SeriesFilterProxyModel::setSearch(const QString &text)
{
    m_words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    invalidateFilter();
}

bool SeriesFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_words.isEmpty())
        return true;
    const auto *tree = static_cast<const SeriesTreeModel *>(sourceModel());
    const QModelIndex index = tree->index(sourceRow, 0, sourceParent);
    QString text;
    if (const SeriesInfo *info = tree->seriesAt(index))
        text = QString::fromStdString(info->key.canonical());
    else
        text = index.data().toString();
    for (const QString &word : m_words) {
        if (!text.contains(word, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

} // namespace eventscope::ui
