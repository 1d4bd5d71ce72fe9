#include "deadletterspanel.h"

#include "models/deadlettermodel.h"

#include "store/capturereader.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <optional>

namespace eventscope::ui {

DeadLettersPanel::DeadLettersPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new DeadLetterModel(this))
    , m_shown(new QSortFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_table(new QTableView(this))
    , m_payload(new QPlainTextEdit(this))
    , m_summary(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_summary);
    m_filter->setObjectName(QStringLiteral("DeadLetterFilter"));
    m_filter->setPlaceholderText(tr("Filter by reason (words of it: malformed, unknown format, "
                                    "too large…)"));
    m_filter->setClearButtonEnabled(true);
    layout->addWidget(m_filter);
    connect(m_filter, &QLineEdit::textChanged, this, &DeadLettersPanel::setReasonFilter);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_payload);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);
    m_shown->setSourceModel(m_model);
    m_shown->setFilterKeyColumn(DeadLetterModel::ReasonColumn);
    m_shown->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_table->setModel(m_shown);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_payload->setReadOnly(true);
    m_payload->setPlaceholderText(tr("Select a dead letter to see its payload"));
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    m_payload->setPlainText(payloadPreview(
                        m_model->letterAt(m_shown->mapToSource(current).row()).payload,
                        static_cast<int>(DeadLetter::kMaxPayload) * 4));
            });
    m_summary->setObjectName(QStringLiteral("DeadLetterSummary"));
    m_summary->setText(tr("No capture open"));
}

void DeadLettersPanel::setTimeZone(TimeZoneMode zone)
{
    m_model->setTimeZone(zone);
}

QString DeadLettersPanel::summaryText() const
{
    return m_summary->text();
}

void DeadLettersPanel::load(const std::string &capturePath)
{
    // Read again (new ones arrived live): the letter being read stays chosen.
    std::optional<DeadLetter> chosen;
    if (const QModelIndex current = m_table->currentIndex(); current.isValid())
        chosen = m_model->letterAt(m_shown->mapToSource(current).row());
    m_model->setDeadLetters({});
    m_payload->clear();
    if (capturePath.empty()) {
        m_summary->setText(tr("No capture open"));
        return;
    }
    auto reader = CaptureReader::open(capturePath);
    if (!reader) {
        m_summary->setText(
            tr("Cannot read the dead letters: %1").arg(QString::fromStdString(reader.error())));
        return;
    }
    auto info = (*reader)->info();
    auto letters = (*reader)->deadLetters(kShown);
    if (!letters || !info) {
        m_summary->setText(
            tr("Cannot read the dead letters: %1")
                .arg(QString::fromStdString(!letters ? letters.error() : info.error())));
        return;
    }
    const auto total = info->deadLetters;
    m_summary->setText(
        total == 0
            ? tr("No dead letters: every message decoded.")
            : (static_cast<std::size_t>(total) > letters->size()
                   ? tr("%1 dead letters; the first %2 shown.").arg(total).arg(letters->size())
                   : tr("%1 dead letters.").arg(total)));
    m_model->setDeadLetters(std::move(*letters));
    m_table->resizeColumnsToContents();
    int row = 0;
    if (chosen) {
        for (int i = 0; i < m_model->rowCount(); ++i) {
            if (m_model->letterAt(i) == *chosen) {
                row = std::max(0, m_shown->mapFromSource(m_model->index(i, 0)).row());
                break;
            }
        }
    }
    if (m_shown->rowCount() > 0)
        m_table->selectRow(row);
}

void DeadLettersPanel::setReasonFilter(const QString &text)
{
    if (m_filter->text() != text)
        m_filter->setText(text); // comes back here through textChanged
    m_shown->setFilterFixedString(text.trimmed());
    if (m_shown->rowCount() > 0)
        m_table->selectRow(0);
    else
        m_payload->clear();
}

int DeadLettersPanel::shownCount() const
{
    return m_shown->rowCount();
}

} // namespace eventscope::ui
