#include "alertdeliveriesdialog.h"

#include "store/capturereader.h"
#include "util/timeformat.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace eventscope::ui {

AlertDeliveriesDialog::AlertDeliveriesDialog(const std::string &capturePath, TimeZoneMode zone,
                                             const Theme &theme, QWidget *parent)
    : QDialog(parent)
    , m_path(capturePath)
    , m_zone(zone)
    , m_theme(theme)
    , m_table(new QTableWidget(0, ColumnCount, this))
    , m_summary(new QLabel(this))
{
    setWindowTitle(tr("Alert Deliveries"));
    resize(1200, 500);
    auto *layout = new QVBoxLayout(this);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *refreshButton = buttons->addButton(tr("&Refresh"), QDialogButtonBox::ActionRole);
    connect(refreshButton, &QPushButton::clicked, this, &AlertDeliveriesDialog::refresh);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    m_table->setHorizontalHeaderLabels({tr("Alert time"), tr("State"), tr("Action"), tr("Rule"),
                                        tr("Target"), tr("Attempts"),
                                        tr("Last error / delivered")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_table->setColumnWidth(
        TimeColumn,
        fontMetrics().horizontalAdvance(QStringLiteral("0000-00-00 00:00:00.000 UTC+00:00")));
    m_table->setColumnWidth(StateColumn, 80);
    m_table->setColumnWidth(ActionColumn, 70);
    m_table->setColumnWidth(RuleColumn, 160);
    m_table->setColumnWidth(TargetColumn, 300);
    m_table->setColumnWidth(AttemptsColumn, 70);
    refresh();
}

void AlertDeliveriesDialog::refresh()
{
    m_table->setRowCount(0);
    auto reader = CaptureReader::open(m_path);
    auto deliveries = reader ? (*reader)->alertDeliveries()
                             : Result<std::vector<AlertDelivery>>::failure(reader.error());
    if (!deliveries) {
        m_summary->setText(tr("Cannot read the alert deliveries: %1")
                               .arg(QString::fromStdString(deliveries.error())));
        return;
    }
    // What needs the operator first: failed, then pending, then delivered; each by time.
    std::stable_sort(deliveries->begin(), deliveries->end(), [](const auto &a, const auto &b) {
        const auto rank = [](AlertDelivery::State s) {
            return s == AlertDelivery::State::Failed ? 0
                : s == AlertDelivery::State::Pending ? 1
                                                     : 2;
        };
        return rank(a.state) < rank(b.state);
    });
    int failed = 0, pending = 0;
    m_table->setRowCount(static_cast<int>(deliveries->size()));
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const AlertDelivery &d = (*deliveries)[static_cast<std::size_t>(row)];
        const QString detail = d.state == AlertDelivery::State::Delivered
            ? tr("delivered %1").arg(formatTime(d.deliveredAt, m_zone))
            : d.state == AlertDelivery::State::Pending && !d.lastError.empty()
            ? tr("%1 (next attempt %2)")
                  .arg(QString::fromStdString(d.lastError), formatTime(d.nextAttemptAt, m_zone))
            : QString::fromStdString(d.lastError);
        const QStringList cells{formatTime(d.alertTime, m_zone),
                                QString::fromLatin1(deliveryStateName(d.state).data(),
                                                    qsizetype(deliveryStateName(d.state).size())),
                                QString::fromStdString(d.action),
                                QString::fromStdString(d.rule),
                                QString::fromStdString(d.targetKind + " " + d.url),
                                QString::number(d.attempts),
                                detail};
        QColor colour;
        if (d.state == AlertDelivery::State::Failed) {
            colour = m_theme.severityColor(Severity::Error);
            ++failed;
        } else if (d.state == AlertDelivery::State::Pending) {
            colour = m_theme.severityColor(Severity::Warning);
            ++pending;
        }
        for (int column = 0; column < ColumnCount; ++column) {
            auto *item = new QTableWidgetItem(cells[column]);
            item->setToolTip(cells[column]);
            if (colour.isValid())
                item->setForeground(colour);
            m_table->setItem(row, column, item);
        }
    }
    if (deliveries->empty())
        m_summary->setText(tr("No alert deliveries in this capture. Rules with a \"deliver\" "
                              "target (webhook or PagerDuty) queue them here."));
    else
        m_summary->setText(
            tr("%1 deliveries: %2 failed, %3 waiting for a retry. Failed ones are not retried; "
               "`eventscope alerts --db FILE --deliveries` lists them too.")
                .arg(deliveries->size())
                .arg(failed)
                .arg(pending));
}

} // namespace eventscope::ui
