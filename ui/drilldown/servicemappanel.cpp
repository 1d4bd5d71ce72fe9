#include "servicemappanel.h"

#include "numbertext.h"

#include "servicemapview.h"
#include "timedisplay.h"
#include "timeline/viewstate.h"

#include "store/capturereader.h"

#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>

namespace eventscope::ui {

namespace {
// Moments closer than this draw the same map: moving the crosshair a little builds nothing.
constexpr TimeUs kSameMoment = 5 * kMicrosPerSecond;
} // namespace

ServiceMapPanel::ServiceMapPanel(ViewState &view, QWidget *parent)
    : QWidget(parent)
    , m_view(view)
    , m_latest(std::make_shared<std::atomic<quint64>>(0))
    , m_cancel(std::make_shared<std::atomic<bool>>(false))
    , m_debounce(new QTimer(this))
    , m_status(new QLabel(this))
    , m_mapView(new ServiceMapView(this))
{
    m_status->setObjectName(QStringLiteral("ServiceMapStatus"));
    m_status->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_status);
    layout->addWidget(m_mapView, 1);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);
    connect(m_debounce, &QTimer::timeout, this, &ServiceMapPanel::build);
    connect(&m_view, &ViewState::cursorTimeChanged, this, &ServiceMapPanel::schedule);
    connect(&m_view, &ViewState::selectionChanged, this, &ServiceMapPanel::schedule);
    connect(&m_view, &ViewState::visibleRangeChanged, this, &ServiceMapPanel::schedule);
    connect(&m_view, &ViewState::timeZoneChanged, this,
            [this] { m_status->setText(statusText()); });
    connect(m_mapView, &ServiceMapView::serviceActivated, this, &ServiceMapPanel::serviceActivated);
    show(0, std::nullopt, {});
}

ServiceMapPanel::~ServiceMapPanel()
{
    m_latest->store(~quint64(0));
    m_cancel->store(true);
    m_worker.reset();
}

Status ServiceMapPanel::setCapture(const std::string &path)
{
    m_latest->store(++m_generation);
    m_cancel->store(true);
    m_worker.reset();
    m_map.reset();
    m_builtFor.reset();
    m_mapView->setMap(std::nullopt);
    if (!path.empty()) {
        auto worker = CaptureWorker::open(path, QStringLiteral("service map"));
        if (!worker)
            return Status::failure(worker.error());
        m_worker = std::move(*worker);
    }
    schedule();
    return {};
}

void ServiceMapPanel::setTheme(const Theme &theme)
{
    m_mapView->setTheme(theme);
}

void ServiceMapPanel::setActive(bool active)
{
    m_active = active;
    if (active)
        schedule();
}

void ServiceMapPanel::captureGrew()
{
    m_builtFor.reset(); // the same moment may have more data now
    schedule();
}

void ServiceMapPanel::setHighlighted(const QString &service)
{
    m_mapView->setHighlighted(service);
}

std::optional<TimeUs> ServiceMapPanel::moment() const
{
    if (const auto cursor = m_view.cursorTime())
        return *cursor;
    if (const auto &selected = m_view.selectedEvent())
        return selected->time;
    const TimeRange visible = m_view.visibleRange();
    if (visible.end <= visible.begin)
        return std::nullopt;
    return visible.end - 1;
}

void ServiceMapPanel::schedule()
{
    if (!m_active || !m_worker)
        return;
    const auto at = moment();
    if (!at || (m_builtFor && std::abs(*at - *m_builtFor) < kSameMoment && !m_running))
        return;
    m_pending = true;
    m_debounce->start();
}

void ServiceMapPanel::build()
{
    m_pending = false;
    const auto at = moment();
    if (!m_worker || !at) {
        Q_EMIT settled();
        return;
    }
    m_cancel->store(true); // the build under way, if any, is for an older moment
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const quint64 generation = ++m_generation;
    m_latest->store(generation);
    m_running = true;
    m_builtFor = *at;
    m_status->setText(
        tr("Building the service map at %1…").arg(formatTime(*at, m_view.timeZone())));
    m_worker->post(
        [this, latest = m_latest, cancel = m_cancel, generation, at = *at](CaptureReader &reader) {
            std::optional<analysis::ServiceMap> map;
            QString error;
            if (latest->load() == generation) {
                auto built = analysis::buildServiceMap(reader, at, {}, cancel.get());
                if (built)
                    map = std::move(*built);
                else
                    error = QString::fromStdString(built.error());
            }
            QMetaObject::invokeMethod(
                this,
                [this, generation, map = std::move(map), error]() mutable {
                    show(generation, std::move(map), error);
                },
                Qt::QueuedConnection);
        });
}

void ServiceMapPanel::show(quint64 generation, std::optional<analysis::ServiceMap> map,
                           const QString &error)
{
    if (generation != m_latest->load())
        return;
    m_running = false;
    m_error = error;
    if (error.isEmpty())
        m_map = std::move(map);
    m_mapView->setMap(m_map);
    m_status->setText(statusText());
    Q_EMIT settled();
}

QString ServiceMapPanel::statusText() const
{
    if (!m_error.isEmpty())
        return tr("Cannot build the service map: %1").arg(m_error);
    if (!m_worker)
        return tr("No capture open.");
    if (!m_map)
        return tr("The services, the calls between them and how abnormal each looks at the "
                  "crosshair (else the selected event, else the end of the view).");
    int anomalous = 0;
    for (const analysis::ServiceMapNode &n : m_map->nodes)
        anomalous += n.anomaly.symptom >= analysis::kServiceMapAnomalous;
    QString text
        = tr("At %1: %2, %3 anomalous")
              .arg(formatTime(m_map->at, m_view.timeZone()),
                   counted(static_cast<qint64>(m_map->nodes.size()), tr("service"), tr("services")))
              .arg(anomalous);
    text += tr("; calls and errors from the %1 before (%2 spans%3); click a service to filter "
               "to it.")
                .arg(formatDuration(static_cast<double>(m_map->window.end - m_map->window.begin)
                                    / kMicrosPerSecond))
                .arg(m_map->spansRead)
                .arg(m_map->spansCapped ? tr(", the first only") : QString());
    return text;
}

} // namespace eventscope::ui
