#pragma once

#include "incidentanalysisfetcher.h"
#include "theme.h"
#include "timedisplay.h"

#include <QWidget>

class QLabel;
class QTextBrowser;

namespace eventscope::ui {

// What an operator reads first about a failure: its ranked causes with score bars and the
// evidence for each (weak ones marked weak, and "no change event explains this" said when that
// is the answer), where it started (suspects), the metrics that moved (a sparkline each, with
// the baseline band and the onset), and the recovery. Causes, suspects and series are links:
// the window selects the cause, filters by the suspect's service, charts the series.
class RootCausePanel : public QWidget
{
    Q_OBJECT

public:
    explicit RootCausePanel(QWidget *parent = nullptr);

    void setTheme(const Theme &theme);
    void setTimeZone(TimeZoneMode zone);
    // Nothing to show: no failure selected yet.
    void clear();
    void showAnalysing(const Event &failure);
    void showResult(const IncidentAnalysisResult &result);
    const std::optional<IncidentAnalysisResult> &result() const { return m_result; }
    // The panel's text (what a screen reader and the tests read).
    QString text() const;
    QTextBrowser &browser() const;
    // Follows a link as a click on it would ("cause:ID", "suspect:SERVICE", "series:KEY").
    void follow(const QString &link);

Q_SIGNALS:
    void causeActivated(const QString &eventId);
    // Another event named in the panel (the recovery).
    void eventActivated(const QString &eventId);
    void suspectActivated(const QString &service, const QString &entity);
    void seriesActivated(const QString &canonicalKey);

private:
    class Browser;
    void render();
    QImage sparkline(std::size_t index) const;
    QImage scoreBar(double score, bool weak) const;

    Theme m_theme;
    TimeZoneMode m_zone = TimeZoneMode::Utc;
    QLabel *m_header;
    Browser *m_browser;
    std::optional<IncidentAnalysisResult> m_result;
};

} // namespace eventscope::ui
