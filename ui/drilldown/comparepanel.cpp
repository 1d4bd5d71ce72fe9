#include "comparepanel.h"

#include "models/comparemodel.h"
#include "timedisplay.h"
#include "timeline/viewstate.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPushButton>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

namespace eventscope::ui {

// Draws a series' baseline and selection shapes side by side on one value scale: the baseline
// muted on the left, the selection on the right in the colour of its verdict.
class ComparePanel::ShapeDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    Theme theme = Theme::dark();

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        QStyledItemDelegate::paint(painter, option, index);
        const auto *change = static_cast<const analysis::SeriesChange *>(
            index.data(CompareSeriesModel::SeriesChangeRole).value<const void *>());
        if (!change)
            return;
        const QRectF area = QRectF(option.rect).adjusted(3, 3, -3, -3);
        if (area.width() < 20 || area.height() < 6)
            return;
        double low = std::numeric_limits<double>::infinity();
        double high = -low;
        for (const auto *shape : {&change->baselineShape, &change->selectionShape}) {
            for (const Sample &s : *shape) {
                low = std::min(low, s.value);
                high = std::max(high, s.value);
            }
        }
        if (!(high >= low))
            return;
        if (high == low) {
            high += 0.5;
            low -= 0.5;
        }
        const double half = area.width() / 2;
        const auto draw = [&](const std::vector<Sample> &shape, double left, QColor colour) {
            if (shape.empty())
                return;
            const TimeUs t0 = shape.front().time;
            const TimeUs t1 = std::max(shape.back().time, t0 + 1);
            QPolygonF line;
            for (const Sample &s : shape) {
                const double x = left
                    + static_cast<double>(s.time - t0) / static_cast<double>(t1 - t0) * (half - 4);
                const double y = area.bottom() - (s.value - low) / (high - low) * area.height();
                line << QPointF(x, y);
            }
            painter->setPen(QPen(colour, 1.2));
            painter->drawPolyline(line);
        };
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        const bool selected = option.state & QStyle::State_Selected;
        draw(change->baselineShape, area.left(),
             selected ? theme.highlightedText : theme.mutedText);
        const QColor after = change->worse > 0
            ? theme.severityColor(Severity::Error)
            : (selected ? theme.highlightedText : theme.seriesColor(0));
        draw(change->selectionShape, area.left() + half + 4, after);
        painter->setPen(QPen(theme.grid, 1, Qt::DotLine));
        painter->drawLine(QPointF(area.left() + half, area.top()),
                          QPointF(area.left() + half, area.bottom()));
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        size.setWidth(std::max(size.width(), 160));
        return size;
    }
};

ComparePanel::ComparePanel(ViewState &view, QWidget *parent)
    : QWidget(parent)
    , m_view(view)
    , m_latest(std::make_shared<std::atomic<quint64>>(0))
    , m_series(new CompareSeriesModel(this))
    , m_events(new CompareEventModel(this))
    , m_shapes(new ShapeDelegate(this))
    , m_range(new QLabel(this))
    , m_baseline(new QComboBox(this))
    , m_visible(new QPushButton(tr("Compare Visible Range"), this))
    , m_clear(new QPushButton(tr("Clear"), this))
    , m_status(new QLabel(this))
    , m_seriesView(new QTreeView(this))
    , m_eventView(new QTableView(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *controls = new QHBoxLayout;
    m_range->setObjectName(QStringLiteral("CompareRange"));
    m_range->setTextInteractionFlags(Qt::TextSelectableByMouse);
    for (const auto kind : {analysis::BaselineKind::JustBefore, analysis::BaselineKind::DayEarlier,
                            analysis::BaselineKind::WeekEarlier})
        m_baseline->addItem(tr("against %1").arg(QString::fromUtf8(analysis::baselineName(kind))),
                            static_cast<int>(kind));
    m_visible->setToolTip(tr("Compare the visible range (or Shift+drag across a chart)"));
    controls->addWidget(m_range, 1);
    controls->addWidget(m_baseline);
    controls->addWidget(m_visible);
    controls->addWidget(m_clear);
    layout->addLayout(controls);
    m_status->setObjectName(QStringLiteral("CompareStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    m_seriesView->setObjectName(QStringLiteral("CompareSeries"));
    m_seriesView->setModel(m_series);
    m_seriesView->setItemDelegateForColumn(CompareSeriesModel::ShapeColumn, m_shapes);
    m_seriesView->setUniformRowHeights(true);
    m_seriesView->setAlternatingRowColors(true);
    m_seriesView->header()->setStretchLastSection(false);
    m_seriesView->header()->setSectionResizeMode(CompareSeriesModel::SeriesColumn,
                                                 QHeaderView::Stretch);
    m_seriesView->setColumnWidth(CompareSeriesModel::ShapeColumn, 180);
    for (int column = CompareSeriesModel::BeforeColumn; column < CompareSeriesModel::ColumnCount;
         ++column)
        m_seriesView->setColumnWidth(column, 110);
    m_eventView->setObjectName(QStringLiteral("CompareEvents"));
    m_eventView->setModel(m_events);
    m_eventView->verticalHeader()->hide();
    m_eventView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_eventView->horizontalHeader()->setStretchLastSection(true);
    m_eventView->setColumnWidth(CompareEventModel::TypeColumn, 260);
    m_eventView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_seriesView);
    splitter->addWidget(m_eventView);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    connect(&m_view, &ViewState::compareRangeChanged, this, &ComparePanel::start);
    connect(m_baseline, &QComboBox::currentIndexChanged, this, &ComparePanel::start);
    connect(m_visible, &QPushButton::clicked, this, &ComparePanel::compareVisibleRange);
    connect(m_clear, &QPushButton::clicked, this, [this] { m_view.setCompareRange(std::nullopt); });
    connect(m_seriesView, &QTreeView::doubleClicked, this, [this](const QModelIndex &index) {
        if (m_series->changeAt(index))
            Q_EMIT seriesActivated(index.data(CompareSeriesModel::CanonicalKeyRole).toString());
    });
    connect(m_eventView, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        if (index.isValid())
            Q_EMIT eventTypeActivated(QString::fromStdString(m_events->changeAt(index.row()).type));
    });
    start();
}

ComparePanel::~ComparePanel()
{
    m_latest->store(~quint64(0));
    m_worker.reset();
}

Status ComparePanel::setCapture(const std::string &path)
{
    m_latest->store(++m_generation);
    m_worker.reset();
    m_comparison.reset();
    m_series->setComparison(nullptr);
    m_events->setComparison(nullptr);
    m_view.setCompareRange(std::nullopt);
    if (!path.empty()) {
        auto worker = CaptureWorker::open(path, QStringLiteral("compare"));
        if (!worker)
            return Status::failure(worker.error());
        m_worker = std::move(*worker);
    }
    start();
    return {};
}

void ComparePanel::setTheme(const Theme &theme)
{
    m_theme = theme;
    m_shapes->theme = theme;
    m_series->setTheme(theme);
    m_events->setTheme(theme);
    m_seriesView->viewport()->update();
}

void ComparePanel::setBaseline(analysis::BaselineKind kind)
{
    m_baseline->setCurrentIndex(std::max(0, m_baseline->findData(static_cast<int>(kind))));
}

void ComparePanel::compareVisibleRange()
{
    m_view.setCompareRange(m_view.visibleRange());
}

void ComparePanel::start()
{
    const auto &selection = m_view.compareRange();
    const auto kind = static_cast<analysis::BaselineKind>(m_baseline->currentData().toInt());
    m_clear->setEnabled(selection.has_value());
    const quint64 generation = ++m_generation;
    m_latest->store(generation);
    m_error.clear();
    if (!selection || !m_worker) {
        m_running = false;
        m_comparison.reset();
        m_series->setComparison(nullptr);
        m_events->setComparison(nullptr);
        m_range->setText(tr("No range chosen"));
        m_status->setText(m_worker ? tr("Shift+drag across a chart to choose a range, or compare "
                                        "the visible range")
                                   : tr("No capture open"));
        Q_EMIT settled();
        return;
    }
    const TimeRange baseline = analysis::baselineFor(*selection, kind);
    const TimeZoneMode zone = m_view.timeZone();
    m_range->setText(
        tr("<b>Selection</b> %1 – %2 (%3) · <b>baseline</b> %4 – %5")
            .arg(formatTime(selection->begin, zone), formatTime(selection->end, zone),
                 formatDuration(static_cast<double>(selection->duration()) / kMicrosPerSecond),
                 formatTime(baseline.begin, zone), formatTime(baseline.end, zone)));
    m_running = true;
    m_status->setText(tr("Comparing…"));
    m_worker->post([this, latest = m_latest, generation, selection = *selection,
                    baseline](CaptureReader &reader) {
        QElapsedTimer timer;
        timer.start();
        std::shared_ptr<const analysis::RangeComparison> comparison;
        QString error;
        if (latest->load() == generation) {
            auto result = analysis::compareRanges(reader, selection, baseline, {},
                                                  [&] { return latest->load() != generation; });
            if (result)
                comparison = std::make_shared<const analysis::RangeComparison>(std::move(*result));
            else
                error = QString::fromStdString(result.error());
        }
        const double milliseconds = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        QMetaObject::invokeMethod(
            this,
            [this, generation, comparison, error, milliseconds] {
                onDone(generation, comparison, error, milliseconds);
            },
            Qt::QueuedConnection);
    });
}

void ComparePanel::onDone(quint64 generation,
                          std::shared_ptr<const analysis::RangeComparison> result,
                          const QString &error, double milliseconds)
{
    if (generation != m_latest->load())
        return;
    m_running = false;
    m_milliseconds = milliseconds;
    m_error = error;
    m_comparison = std::move(result);
    m_series->setComparison(m_comparison);
    m_events->setComparison(m_comparison);
    if (!error.isEmpty()) {
        m_status->setText(tr("Cannot compare: %1").arg(error));
    } else if (m_comparison) {
        const QLocale locale;
        const auto significant = std::count_if(
            m_comparison->events.begin(), m_comparison->events.end(),
            [](const analysis::EventTypeChange &change) { return change.pValue < 0.01; });
        QString text
            = tr("%1 series compared in %2 ms, ranked by robust effect size (σ: "
                 "the median's move in robust spreads)")
                  .arg(locale.toString(static_cast<qulonglong>(m_comparison->seriesCompared)))
                  .arg(milliseconds, 0, 'f', 0);
        if (m_comparison->seriesTooSparse > 0)
            text += tr("; %n with too few samples on a side", nullptr,
                       static_cast<int>(m_comparison->seriesTooSparse));
        text += tr(". %n event type(s) over- or under-represented (p < 0.01).", nullptr,
                   static_cast<int>(significant));
        if (m_comparison->seriesCompared == 0)
            text = tr("No series has samples in both the selection and its baseline: choose "
                      "another baseline or a range with data before it.");
        m_status->setText(text);
        if (m_series->serviceCount() > 0)
            m_seriesView->expand(m_series->index(0, 0));
    }
    Q_EMIT settled();
}

QString ComparePanel::statusText() const
{
    return m_status->text();
}

} // namespace eventscope::ui
