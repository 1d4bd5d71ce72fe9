#pragma once

#include "analysis/rangecompare.h"

#include <QAbstractItemModel>
#include <QColor>

#include <memory>
#include <vector>

namespace eventscope::ui {

struct Theme;

// A comparison's series as a tree: services (ranked by their largest change) over their series
// (ranked by effect). Series without a service label are grouped under "(no service)". The
// shape column carries the SeriesChange for a sparkline delegate. Lives on the GUI thread.
class CompareSeriesModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column {
        SeriesColumn,
        ShapeColumn,
        BeforeColumn,
        AfterColumn,
        ChangeColumn,
        EffectColumn,
        ColumnCount
    };
    enum Role { SeriesChangeRole = Qt::UserRole + 1, CanonicalKeyRole, AbsEffectRole };

    explicit CompareSeriesModel(QObject *parent = nullptr);

    void setComparison(std::shared_ptr<const analysis::RangeComparison> comparison);
    void setTheme(const Theme &theme);
    int serviceCount() const { return static_cast<int>(m_groups.size()); }
    // The series of a row (nullptr for a service row).
    const analysis::SeriesChange *changeAt(const QModelIndex &index) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Group
    {
        QString service;
        double largest = 0; // |effect|
        std::vector<const analysis::SeriesChange *> series;
    };
    std::shared_ptr<const analysis::RangeComparison> m_comparison;
    std::vector<Group> m_groups;
    QColor m_worse;
    QColor m_better;
};

// A comparison's event types: counts on each side, the rate ratio and the p-value.
class CompareEventModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { TypeColumn, SelectionColumn, BaselineColumn, RatioColumn, PColumn, ColumnCount };

    explicit CompareEventModel(QObject *parent = nullptr);
    void setComparison(std::shared_ptr<const analysis::RangeComparison> comparison);
    void setTheme(const Theme &theme);
    const analysis::EventTypeChange &changeAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::shared_ptr<const analysis::RangeComparison> m_comparison;
    QColor m_significant;
};

// "3.2e-05", "0.012", "0.43": a p-value as people read it.
QString formatPValue(double p);

} // namespace eventscope::ui
