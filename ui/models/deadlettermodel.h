#pragma once

#include "timedisplay.h"

#include "model/deadletter.h"

#include <QAbstractTableModel>

#include <vector>

namespace eventscope::ui {

// Dead letters (messages that did not decode) as table rows: when, where from (topic,
// partition, offset, or file and line), why, and the start of the payload. GUI thread; no
// widget code.
class DeadLetterModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        ReceivedColumn,
        SourceColumn,
        OffsetColumn,
        ReasonColumn,
        PayloadColumn,
        ColumnCount
    };

    explicit DeadLetterModel(QObject *parent = nullptr);

    void setDeadLetters(std::vector<DeadLetter> letters);
    void setTimeZone(TimeZoneMode zone);
    const DeadLetter &letterAt(int row) const { return m_letters[static_cast<std::size_t>(row)]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<DeadLetter> m_letters;
    TimeZoneMode m_zone = TimeZoneMode::Utc;
};

// A payload as readable text: printable ASCII and UTF-8 kept, control bytes and invalid
// sequences shown as \xNN, at most `limit` characters with "…" when cut.
QString payloadPreview(const std::string &payload, int limit);

} // namespace eventscope::ui
