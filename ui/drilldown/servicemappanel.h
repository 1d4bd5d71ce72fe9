#pragma once

#include "captureworker.h"
#include "theme.h"

#include "analysis/servicemap.h"

#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>

class QLabel;
class QTimer;

namespace eventscope::ui {

class ServiceMapView;
class ViewState;

// The service map at the moment the operator looks at: the crosshair, else the selected
// event, else the end of the visible range. Built on its own worker (the latest moment wins,
// a superseded build is cancelled) and only while the panel is shown. Clicking a service
// asks to filter the console to it, as a suspect link does.
class ServiceMapPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ServiceMapPanel(ViewState &view, QWidget *parent = nullptr);
    ~ServiceMapPanel() override;

    Status setCapture(const std::string &path);
    void setTheme(const Theme &theme);
    // Builds only while active (its dock tab shown); becoming active builds for now.
    void setActive(bool active);
    void captureGrew();
    void setHighlighted(const QString &service);

    const std::optional<analysis::ServiceMap> &map() const { return m_map; }
    ServiceMapView &view() const { return *m_mapView; }
    QString statusText() const;
    bool isSettled() const { return !m_running && !m_pending; }
    // The moment the map is (to be) drawn for.
    std::optional<TimeUs> moment() const;

Q_SIGNALS:
    void settled();
    void serviceActivated(const QString &service);

private:
    void schedule();
    void build();
    void show(quint64 generation, std::optional<analysis::ServiceMap> map, const QString &error);

    ViewState &m_view;
    std::unique_ptr<CaptureWorker> m_worker;
    std::shared_ptr<std::atomic<quint64>> m_latest;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    quint64 m_generation = 0;
    bool m_active = true;
    bool m_running = false;
    bool m_pending = false;
    std::optional<TimeUs> m_builtFor;
    QTimer *m_debounce;
    QLabel *m_status;
    ServiceMapView *m_mapView;
    std::optional<analysis::ServiceMap> m_map;
    QString m_error;
};

} // namespace eventscope::ui
