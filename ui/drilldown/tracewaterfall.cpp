#include "tracewaterfall.h"

#include "timedisplay.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>

#include <functional>

namespace eventscope::ui {

namespace {
constexpr int kIndent = 12;
constexpr int kMaxIndentDepth = 24; // deeper spans are drawn at this indent
constexpr int kHeaderRows = 1;

QString fromStd(const std::string &text)
{
    return QString::fromStdString(text);
}

QString spanDuration(const Span &span)
{
    return formatDuration(static_cast<double>(span.duration()) / kMicrosPerSecond);
}
} // namespace

TraceWaterfall::TraceWaterfall(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    viewport()->setMouseTracking(true);
}

void TraceWaterfall::setTrace(std::shared_ptr<const TraceTree> tree)
{
    m_tree = std::move(tree);
    m_selected = -1;
    verticalScrollBar()->setValue(0);
    updateScrollBars();
    viewport()->update();
}

void TraceWaterfall::setTheme(const Theme &theme)
{
    m_theme = theme;
    viewport()->update();
}

int TraceWaterfall::rowHeight() const
{
    return fontMetrics().height() + 6;
}

int TraceWaterfall::labelWidth() const
{
    return std::clamp(viewport()->width() * 2 / 5, 160, 420);
}

void TraceWaterfall::updateScrollBars()
{
    const int rows = m_tree ? static_cast<int>(m_tree->rows.size()) : 0;
    const int visible = std::max(1, viewport()->height() / rowHeight() - kHeaderRows);
    verticalScrollBar()->setRange(0, std::max(0, rows - visible));
    verticalScrollBar()->setPageStep(visible);
    verticalScrollBar()->setSingleStep(1);
}

void TraceWaterfall::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

int TraceWaterfall::rowAt(QPoint point) const
{
    if (!m_tree)
        return -1;
    const int line = point.y() / rowHeight() - kHeaderRows;
    if (line < 0)
        return -1;
    const int row = verticalScrollBar()->value() + line;
    return row < static_cast<int>(m_tree->rows.size()) ? row : -1;
}

void TraceWaterfall::selectRow(int row)
{
    if (!m_tree || row >= static_cast<int>(m_tree->rows.size()))
        row = -1;
    if (row == m_selected)
        return;
    m_selected = row;
    if (row >= 0) {
        const int first = verticalScrollBar()->value();
        const int page = verticalScrollBar()->pageStep();
        if (row < first)
            verticalScrollBar()->setValue(row);
        else if (row >= first + page)
            verticalScrollBar()->setValue(row - page / 2);
    }
    viewport()->update();
    Q_EMIT rowSelected(row);
}

void TraceWaterfall::mousePressEvent(QMouseEvent *event)
{
    const int row = rowAt(event->position().toPoint());
    if (row >= 0)
        selectRow(row);
    QAbstractScrollArea::mousePressEvent(event);
}

void TraceWaterfall::keyPressEvent(QKeyEvent *event)
{
    if (!m_tree || m_tree->rows.empty())
        return QAbstractScrollArea::keyPressEvent(event);
    const int last = static_cast<int>(m_tree->rows.size()) - 1;
    const int page = verticalScrollBar()->pageStep();
    switch (event->key()) {
    case Qt::Key_Down: selectRow(std::min(last, m_selected + 1)); break;
    case Qt::Key_Up: selectRow(std::max(0, m_selected - 1)); break;
    case Qt::Key_PageDown: selectRow(std::min(last, std::max(0, m_selected) + page)); break;
    case Qt::Key_PageUp: selectRow(std::max(0, m_selected - page)); break;
    case Qt::Key_Home: selectRow(0); break;
    case Qt::Key_End: selectRow(last); break;
    default: QAbstractScrollArea::keyPressEvent(event); return;
    }
}

bool TraceWaterfall::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip && m_tree) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int row = rowAt(help->pos());
        if (row < 0) {
            QToolTip::hideText();
            return true;
        }
        const Span &span = m_tree->spanAt(row);
        QToolTip::showText(
            help->globalPos(),
            tr("<b>%1</b> %2<br>%3 · %4 after the trace began%5")
                .arg(fromStd(span.service).toHtmlEscaped(), fromStd(span.name).toHtmlEscaped(),
                     spanDuration(span),
                     formatDuration(static_cast<double>(span.start - m_tree->start)
                                    / kMicrosPerSecond),
                     span.status == SpanStatus::Error ? tr("<br><b>failed</b>") : QString()),
            viewport());
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

QColor TraceWaterfall::serviceColor(const std::string &service) const
{
    return m_theme.seriesColor(static_cast<int>(std::hash<std::string>{}(service) % 8));
}

void TraceWaterfall::paintEvent(QPaintEvent *)
{
    QPainter painter(viewport());
    const QRect area = viewport()->rect();
    painter.fillRect(area, m_theme.base);
    const int height = rowHeight();
    const int labels = labelWidth();
    const int barsLeft = labels + 8;
    const int barsWidth = std::max(40, area.width() - barsLeft - 70);
    const QFontMetrics metrics = fontMetrics();
    painter.setPen(m_theme.mutedText);
    if (!m_tree || m_tree->rows.empty()) {
        painter.drawText(area, Qt::AlignCenter,
                         m_tree ? tr("The trace has no spans in the capture")
                                : tr("Choose a trace to see its spans"));
        return;
    }
    const TraceTree &tree = *m_tree;
    const double total = static_cast<double>(std::max<TimeUs>(1, tree.end - tree.start));
    const auto xOf = [&](TimeUs time) {
        return barsLeft
            + static_cast<int>(static_cast<double>(time - tree.start) / total * barsWidth);
    };

    // Header: the time axis in quarters of the trace.
    painter.fillRect(QRect(0, 0, area.width(), height), m_theme.alternateBase);
    painter.drawText(QRect(6, 0, labels - 6, height), Qt::AlignVCenter | Qt::AlignLeft,
                     tr("%n span(s), %1", nullptr, static_cast<int>(tree.rows.size()))
                         .arg(formatDuration(total / kMicrosPerSecond)));
    for (int quarter = 0; quarter <= 4; ++quarter) {
        const int x = barsLeft + barsWidth * quarter / 4;
        painter.setPen(m_theme.grid);
        painter.drawLine(x, height, x, area.bottom());
        painter.setPen(m_theme.mutedText);
        const QString label = formatDuration(total * quarter / 4 / kMicrosPerSecond);
        const int width = metrics.horizontalAdvance(label);
        painter.drawText(
            QRect(std::min(x - width / 2, area.width() - width - 2), 0, width + 2, height),
            Qt::AlignCenter, label);
    }

    const int first = verticalScrollBar()->value();
    const int rowsInView = area.height() / height + 1;
    const QColor error = m_theme.severityColor(Severity::Error);
    for (int line = 0; line < rowsInView; ++line) {
        const int row = first + line;
        if (row >= static_cast<int>(tree.rows.size()))
            break;
        const TraceTree::Row &r = tree.rows[static_cast<std::size_t>(row)];
        const Span &span = tree.spans[r.span];
        const int y = (line + kHeaderRows) * height;
        if (row == m_selected)
            painter.fillRect(QRect(0, y, area.width(), height), m_theme.highlight);
        else if (row % 2 == 1)
            painter.fillRect(QRect(0, y, area.width(), height),
                             mixed(m_theme.base, m_theme.alternateBase, 0.5));
        const QColor text = row == m_selected ? m_theme.highlightedText : m_theme.text;

        // Label: indented service and operation; a failing span in the error colour.
        const int indent = 6 + std::min(r.depth, kMaxIndentDepth) * kIndent;
        const QString service = fromStd(span.service);
        const QString label = service + QStringLiteral("  ") + fromStd(span.name);
        painter.setPen(r.error && row != m_selected ? error : text);
        painter.drawText(QRect(indent, y, labels - indent, height),
                         Qt::AlignVCenter | Qt::AlignLeft,
                         metrics.elidedText(label, Qt::ElideRight, labels - indent));

        // Bar: its place on the trace's time axis; the critical path solid, the rest muted.
        const int x0 = xOf(span.start);
        const int x1 = std::max(x0 + 2, xOf(span.end));
        const QColor colour = r.error ? error : serviceColor(span.service);
        const QColor fill = r.critical ? colour : mixed(m_theme.base, colour, 0.45);
        const QRect bar(x0, y + 3, x1 - x0, height - 6);
        painter.fillRect(bar, fill);
        if (r.critical) {
            painter.setPen(QPen(m_theme.text, 1));
            painter.drawRect(bar.adjusted(0, 0, -1, -1));
        }
        painter.setPen(row == m_selected ? m_theme.highlightedText : m_theme.mutedText);
        painter.drawText(QRect(x1 + 4, y, area.width() - x1 - 4, height),
                         Qt::AlignVCenter | Qt::AlignLeft, spanDuration(span));
    }
}

} // namespace eventscope::ui
