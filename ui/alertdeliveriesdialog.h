#pragma once

#include "theme.h"
#include "timedisplay.h"

#include <QDialog>

#include <string>

class QLabel;
class QTableWidget;

namespace eventscope::ui {

// The capture's alert deliveries (its outbox): each alert's action, rule, target, state,
// attempts and last error. Failed ones first and marked in the theme's error colour, pending
// ones in its warning colour. Reads the capture when opened and on Refresh.
class AlertDeliveriesDialog : public QDialog
{
    Q_OBJECT

public:
    enum Column {
        TimeColumn,
        StateColumn,
        ActionColumn,
        RuleColumn,
        TargetColumn,
        AttemptsColumn,
        DetailColumn,
        ColumnCount
    };

    AlertDeliveriesDialog(const std::string &capturePath, TimeZoneMode zone, const Theme &theme,
                          QWidget *parent = nullptr);
    QTableWidget &table() const { return *m_table; }
    void refresh();

private:
    std::string m_path;
    TimeZoneMode m_zone;
    Theme m_theme;
    QTableWidget *m_table;
    QLabel *m_summary;
};

} // namespace eventscope::ui
