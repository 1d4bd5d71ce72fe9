#pragma once

#include "timedisplay.h"

#include <QDialog>

#include <string>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTableView;

namespace eventscope::ui {

class DeadLetterModel;

// The capture's dead letters: where each came from, why it did not decode, and its payload
// (the selected one in full, as stored), filtered by words of the reason. Reads the capture
// when opened, on its own reader.
class DeadLetterDialog : public QDialog
{
    Q_OBJECT

public:
    static constexpr std::size_t kShown = 5000;

    DeadLetterDialog(const std::string &capturePath, TimeZoneMode zone, QWidget *parent = nullptr);
    DeadLetterModel &model() const { return *m_model; }
    // Shows only the letters whose reason contains `text` (case-insensitive); empty: all.
    void setReasonFilter(const QString &text);
    int shownCount() const;

private:
    DeadLetterModel *m_model;
    QSortFilterProxyModel *m_shown;
    QLineEdit *m_filter;
    QTableView *m_table;
    QPlainTextEdit *m_payload;
    QLabel *m_summary;
};

} // namespace eventscope::ui
