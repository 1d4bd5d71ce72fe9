#pragma once

#include "drilldown/tracefetcher.h"
#include "timedisplay.h"

#include <QAbstractTableModel>
#include <QColor>

#include <vector>

namespace eventscope::ui {

struct Theme;

// The traces of a range as table rows, in the order read (failing first). Lives on the GUI
// thread.
class TraceListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { StartColumn, RootColumn, DurationColumn, SpansColumn, ErrorsColumn, ColumnCount };

    explicit TraceListModel(QObject *parent = nullptr);

    void setTraces(std::vector<TraceSummary> traces);
    const TraceSummary &traceAt(int row) const { return m_traces[static_cast<std::size_t>(row)]; }
    int rowOf(const std::string &traceId) const;
    void setTimeZone(TimeZoneMode zone);
    void setTheme(const Theme &theme);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<TraceSummary> m_traces;
    TimeZoneMode m_zone = TimeZoneMode::Utc;
    QColor m_error;
};

} // namespace eventscope::ui
