#pragma once

#include "model/series.h"

#include <QAbstractItemModel>
#include <QSortFilterProxyModel>

#include <vector>

namespace eventscope::ui {

// The capture's series as a tree: metric names, then each name's label sets. A new list that
// only adds series keeps the tree (and what the user expanded). Lives on the GUI thread; no
// widget code.
class SeriesTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Role { SeriesIdRole = Qt::UserRole + 1, IsMetricRole };

    explicit SeriesTreeModel(QObject *parent = nullptr);

    void setSeries(std::vector<SeriesInfo> series);
    const std::vector<SeriesInfo> &series() const { return m_series; }
    // The series of an index; nullptr for a metric-name row.
    const SeriesInfo *seriesAt(const QModelIndex &index) const;
    // Every series under an index (one for a series row, all of a metric for a name row).
    std::vector<SeriesInfo> seriesUnder(const QModelIndex &index) const;
    const SeriesInfo *findById(std::int64_t id) const;
    const SeriesInfo *findByKey(const SeriesKey &key) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Metric
    {
        std::string name;
        std::vector<std::size_t> members; // into m_series, by label text
    };
    static constexpr quintptr kTopLevel = ~quintptr(0);
    void rebuild();

    std::vector<SeriesInfo> m_series;
    std::vector<Metric> m_metrics; // by name
};

// Search over the series tree: a metric row stays when its name or any of its series matches
// every word of the search (case-insensitive), a series row when it does.
class SeriesFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit SeriesFilterProxyModel(QObject *parent = nullptr);
    void setSearch(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QStringList m_words;
};

} // namespace eventscope::ui
