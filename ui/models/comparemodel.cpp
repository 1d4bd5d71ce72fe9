#include "comparemodel.h"

#include "theme.h"

#include <QBrush>
#include <QLocale>

#include <cmath>
#include <map>

namespace eventscope::ui {

namespace {
constexpr quintptr kServiceRow = ~quintptr(0);
constexpr double kSignificant = 0.01;

QString number(double value)
{
    if (!std::isfinite(value))
        return QStringLiteral("—");
    const double magnitude = std::abs(value);
    if (magnitude != 0 && (magnitude >= 1e6 || magnitude < 1e-3))
        return QString::number(value, 'g', 3);
    return QLocale().toString(value, 'f', magnitude >= 100 ? 0 : (magnitude >= 1 ? 2 : 4));
}
} // namespace

QString formatPValue(double p)
{
    if (p < 1e-3)
        return QString::number(p, 'e', 1);
    return QString::number(p, 'f', p < 0.1 ? 3 : 2);
}

CompareSeriesModel::CompareSeriesModel(QObject *parent)
    : QAbstractItemModel(parent)
{
    setTheme(Theme::dark());
}

void CompareSeriesModel::setComparison(std::shared_ptr<const analysis::RangeComparison> comparison)
{
    beginResetModel();
    m_comparison = std::move(comparison);
    m_groups.clear();
    if (m_comparison) {
        std::map<QString, std::size_t> groupOf;
        for (const analysis::SeriesChange &change : m_comparison->series) {
            const QString service = change.service.empty() ? tr("(no service)")
                                                           : QString::fromStdString(change.service);
            auto [it, added] = groupOf.try_emplace(service, m_groups.size());
            if (added)
                m_groups.push_back({service, 0, {}});
            Group &group = m_groups[it->second];
            group.series.push_back(&change); // ranked already
            group.largest = std::max(group.largest, std::abs(change.effect));
        }
        // Services in the order of their largest change (the series list is ranked, so the
        // first seen is the largest: a stable sort keeps that order).
        std::stable_sort(m_groups.begin(), m_groups.end(),
                         [](const Group &a, const Group &b) { return a.largest > b.largest; });
    }
    endResetModel();
}

void CompareSeriesModel::setTheme(const Theme &theme)
{
    m_worse = theme.severityColor(Severity::Error);
    m_better = theme.seriesColor(2);
    if (!m_groups.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

const analysis::SeriesChange *CompareSeriesModel::changeAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() == kServiceRow)
        return nullptr;
    return m_groups[index.internalId()].series[static_cast<std::size_t>(index.row())];
}

QModelIndex CompareSeriesModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < serviceCount() ? createIndex(row, column, kServiceRow) : QModelIndex();
    if (parent.internalId() != kServiceRow)
        return {};
    const Group &group = m_groups[static_cast<std::size_t>(parent.row())];
    if (row >= static_cast<int>(group.series.size()))
        return {};
    return createIndex(row, column, static_cast<quintptr>(parent.row()));
}

QModelIndex CompareSeriesModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kServiceRow)
        return {};
    return createIndex(static_cast<int>(child.internalId()), 0, kServiceRow);
}

int CompareSeriesModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return serviceCount();
    if (parent.internalId() != kServiceRow || parent.column() != 0)
        return 0;
    return static_cast<int>(m_groups[static_cast<std::size_t>(parent.row())].series.size());
}

int CompareSeriesModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant CompareSeriesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    if (index.internalId() == kServiceRow) {
        const Group &group = m_groups[static_cast<std::size_t>(index.row())];
        if (role == Qt::DisplayRole) {
            if (index.column() == SeriesColumn)
                return tr("%1 (%n series)", nullptr, static_cast<int>(group.series.size()))
                    .arg(group.service);
            if (index.column() == EffectColumn)
                return tr("up to %1σ")
                    .arg(QLocale().toString(group.largest, 'f', group.largest < 10 ? 1 : 0));
        }
        if (role == AbsEffectRole)
            return group.largest;
        return {};
    }
    const analysis::SeriesChange &change = *changeAt(index);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeriesColumn: return QString::fromStdString(change.series.key.canonical());
        case BeforeColumn: return number(change.baselineMedian);
        case AfterColumn: return number(change.selectionMedian);
        case ChangeColumn:
            if (!std::isfinite(change.relativeChange))
                return QString();
            {
                const double percent = change.relativeChange * 100;
                return QStringLiteral("%1%2 %")
                    .arg(percent > 0 ? QStringLiteral("+") : QString())
                    .arg(QLocale().toString(percent, 'f', std::abs(percent) < 10 ? 1 : 0));
            }
        case EffectColumn:
            return QStringLiteral("%1%2σ")
                .arg(change.effect > 0 ? QStringLiteral("+") : QString())
                .arg(QLocale().toString(change.effect, 'f', std::abs(change.effect) < 10 ? 1 : 0));
        }
        break;
    case Qt::ToolTipRole:
        return tr("%1\nmedian %2 → %3 (%4 and %5 samples), robust spread %6%7")
            .arg(QString::fromStdString(change.series.key.canonical()),
                 number(change.baselineMedian), number(change.selectionMedian))
            .arg(change.baselineSamples)
            .arg(change.selectionSamples)
            .arg(number(change.scale),
                 change.worse > 0 ? tr("\nthe bad way for this kind of metric")
                                  : (change.worse < 0 ? tr("\nthe good way") : QString()));
    case Qt::ForegroundRole:
        if (index.column() == EffectColumn || index.column() == ChangeColumn) {
            if (change.worse > 0)
                return QBrush(m_worse);
            if (change.worse < 0)
                return QBrush(m_better);
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() >= BeforeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case SeriesChangeRole: return QVariant::fromValue(static_cast<const void *>(&change));
    case CanonicalKeyRole: return QString::fromStdString(change.series.key.canonical());
    case AbsEffectRole: return std::abs(change.effect);
    }
    return {};
}

QVariant CompareSeriesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeriesColumn: return tr("Service / series");
    case ShapeColumn: return tr("Baseline | selection");
    case BeforeColumn: return tr("Baseline median");
    case AfterColumn: return tr("Selection median");
    case ChangeColumn: return tr("Change");
    case EffectColumn: return tr("Effect");
    }
    return {};
}

CompareEventModel::CompareEventModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    setTheme(Theme::dark());
}

void CompareEventModel::setComparison(std::shared_ptr<const analysis::RangeComparison> comparison)
{
    beginResetModel();
    m_comparison = std::move(comparison);
    endResetModel();
}

void CompareEventModel::setTheme(const Theme &theme)
{
    m_significant = theme.severityColor(Severity::Warning);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

const analysis::EventTypeChange &CompareEventModel::changeAt(int row) const
{
    return m_comparison->events[static_cast<std::size_t>(row)];
}

int CompareEventModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_comparison ? 0 : static_cast<int>(m_comparison->events.size());
}

int CompareEventModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CompareEventModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const analysis::EventTypeChange &change = changeAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TypeColumn: return QString::fromStdString(change.type);
        case SelectionColumn: return QLocale().toString(change.selectionCount);
        case BaselineColumn: return QLocale().toString(change.baselineCount);
        case RatioColumn: return QStringLiteral("×%1").arg(number(change.rateRatio));
        case PColumn: return formatPValue(change.pValue);
        }
        break;
    case Qt::ForegroundRole:
        if (change.pValue < kSignificant)
            return QBrush(m_significant);
        break;
    case Qt::ToolTipRole:
        return change.pValue < kSignificant
            ? tr("%1 is %2 in the selection (p = %3)")
                  .arg(QString::fromStdString(change.type),
                       change.rateRatio > 1 ? tr("over-represented") : tr("under-represented"),
                       formatPValue(change.pValue))
            : tr("Not significant: p = %1 (%2 occurrences in all)")
                  .arg(formatPValue(change.pValue))
                  .arg(change.selectionCount + change.baselineCount);
    case Qt::TextAlignmentRole:
        if (index.column() != TypeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    }
    return {};
}

QVariant CompareEventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TypeColumn: return tr("Event type");
    case SelectionColumn: return tr("Selection");
    case BaselineColumn: return tr("Baseline");
    case RatioColumn: return tr("Rate ratio");
    case PColumn: return tr("p");
    }
    return {};
}

} // namespace eventscope::ui
