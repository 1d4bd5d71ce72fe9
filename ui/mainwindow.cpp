#include "mainwindow.h"

#include "eventtablemodel.h"
#include "metricchart.h"
#include "overviewseries.h"

#include "store/capturereader.h"
#include "util/timeformat.h"

#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>

namespace eventscope::ui {

namespace {
constexpr std::size_t kMaxPanels = 4;
constexpr std::size_t kMaxEventsShown = 50'000;
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_chart(new MetricChart(this))
    , m_eventTable(new QTableView(this))
    , m_events(new EventTableModel(this))
    , m_statusLabel(new QLabel(this))
    , m_liveLabel(new QLabel(this))
{
    setWindowTitle(tr("EventScope"));
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_chart);
    splitter->addWidget(m_eventTable);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    setCentralWidget(splitter);

    m_eventTable->setModel(m_events);
    m_eventTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_eventTable->setAlternatingRowColors(true);
    m_eventTable->verticalHeader()->hide();
    m_eventTable->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_eventTable->horizontalHeader()->setStretchLastSection(true);
    m_eventTable->setColumnWidth(EventTableModel::TimeColumn, 190);
    m_eventTable->setColumnWidth(EventTableModel::TypeColumn, 200);

    statusBar()->addWidget(m_statusLabel, 1);
    statusBar()->addPermanentWidget(m_liveLabel);
    m_liveLabel->hide();
    createMenus();
    showEmptyState();
}

MainWindow::~MainWindow() = default;

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open Capture…"), QKeySequence::Open, this, &MainWindow::chooseCapture);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
}

void MainWindow::showEmptyState()
{
    m_chart->setPlaceholderText(
        tr("No capture open: File ▸ Open Capture…, or start with --capture FILE"));
    m_statusLabel->setText(tr("No capture open"));
}

void MainWindow::chooseCapture()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Capture"), {},
        tr("EventScope captures (*.capture *.db *.sqlite);;All files (*)"));
    if (path.isEmpty())
        return;
    if (Status status = openCapture(path.toStdString()); !status)
        QMessageBox::warning(this, tr("Cannot open capture"),
                             QString::fromStdString(status.error()));
}

Status MainWindow::openCapture(const std::string &path)
{
    auto reader = CaptureReader::open(path);
    if (!reader)
        return Status::failure(reader.error());
    std::swap(m_reader, *reader);
    Status status = loadView();
    if (!status) {
        std::swap(m_reader, *reader); // back to what was shown before
        return status;
    }
    setWindowTitle(tr("EventScope — %1").arg(QString::fromStdString(path)));
    return {};
}

Status MainWindow::refresh()
{
    return m_reader ? loadView() : Status();
}

void MainWindow::setLiveStatus(const QString &text)
{
    m_liveLabel->setText(text);
    m_liveLabel->setVisible(!text.isEmpty());
}

Status MainWindow::loadView()
{
    auto info = m_reader->info();
    if (!info)
        return Status::failure(info.error());
    auto series = m_reader->series();
    if (!series)
        return Status::failure(series.error());

    EventQuery query;
    query.limit = kMaxEventsShown;
    auto events = m_reader->events(query);
    if (!events)
        return Status::failure(events.error());

    const TimeRange span = info->span.isEmpty() ? TimeRange{0, kMicrosPerSecond} : info->span;
    std::vector<MetricChart::Panel> panels;
    for (const SeriesInfo &s : chooseOverviewSeries(*series, *events, kMaxPanels)) {
        // Before the first layout the chart has no width of its own yet: use the window's.
        const int columns = std::max(m_chart->plotWidth(), width() - 100);
        auto buckets = m_reader->levelOfDetail(s.id, span, columns);
        if (!buckets)
            return Status::failure(buckets.error());
        panels.push_back({QString::fromStdString(s.key.canonical()), QString::fromStdString(s.unit),
                          std::move(*buckets)});
    }

    // An empty capture has no time to show (the fallback span above only feeds the queries):
    // the chart then draws no time axis rather than one at 1970.
    m_chart->setTimeRange(info->span.begin, info->span.end);
    m_chart->setEvents(*events);
    m_chart->setPlaceholderText(tr("No metrics in this capture"));
    m_chart->setPanels(panels);
    m_events->setEvents(std::move(*events));

    QString text = tr("%1 — %2 events, %3 series (%4 samples), %5 logs, %6 spans, %7 dead letters")
                       .arg(QString::fromStdString(info->path))
                       .arg(info->events)
                       .arg(info->series)
                       .arg(info->samples)
                       .arg(info->logs)
                       .arg(info->spans)
                       .arg(info->deadLetters);
    if (!info->span.isEmpty())
        text += tr(" — %1 to %2")
                    .arg(QString::fromStdString(formatTimestamp(info->span.begin)),
                         QString::fromStdString(formatTimestamp(info->span.end - 1)));
    if (series->size() > kMaxPanels)
        text += tr(" — showing %1 of %2 series").arg(kMaxPanels).arg(series->size());
    m_statusLabel->setText(text);
    return {};
}

} // namespace eventscope::ui
