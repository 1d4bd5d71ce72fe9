#pragma once

#include "timedisplay.h"

#include <QWidget>

#include <string>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTableView;

namespace eventscope::ui {

class DeadLetterModel;

// The capture's dead letters (the Dead Letters dock): where each came from (topic, partition,
// offset or file and line), why it did not decode, and its payload (the selected one escaped,
// as stored), filtered by words of the reason. Reads the first kShown of the capture when told
// to, on its own short-lived reader: a few thousand small rows.
class DeadLettersPanel : public QWidget
{
    Q_OBJECT

public:
    static constexpr std::size_t kShown = 5000;

    explicit DeadLettersPanel(QWidget *parent = nullptr);
    // Reads the capture's dead letters again; an empty path clears the panel.
    void load(const std::string &capturePath);
    void setTimeZone(TimeZoneMode zone);
    QString summaryText() const;
    DeadLetterModel &model() const { return *m_model; }
    // Shows only the letters whose reason contains `text` (case-insensitive); empty: all.
    void setReasonFilter(const QString &text);
    int shownCount() const;
    // Whether its dock tab is the one shown (the window reloads a shown panel as letters come).
    void setShown(bool shown) { m_isShown = shown; }
    bool isShown() const { return m_isShown; }

private:
    DeadLetterModel *m_model;
    QSortFilterProxyModel *m_shown;
    QLineEdit *m_filter;
    QTableView *m_table;
    QPlainTextEdit *m_payload;
    QLabel *m_summary;
    bool m_isShown = false;
};

} // namespace eventscope::ui
