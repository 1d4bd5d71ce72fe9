// Drill-down on a simulated capture with its ground truth, offscreen: selecting a failure shows
// its analysis in the Root Cause panel (the true cause first where the analysis ranks it so,
// "no change event explains this" where no event caused it), and the panel's links select the
// cause and chart what moved, filter by the suspect, chart a series. Screenshots in both themes.
#include "consoletestdata.h"
#include "drilldown/incidentlist.h"
#include "drilldown/rootcausepanel.h"
#include "mainwindow.h"
#include "models/eventfilter.h"
#include "models/eventtablemodel.h"
#include "timeline/timelineview.h"
#include "timeline/viewstate.h"

#include "../analysis/simulatedcapture.h"

#include "analysis/incidentanalyzer.h"
#include "store/capturereader.h"
#include "util/timeformat.h"

#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <QUrl>
#include <map>

using namespace eventscope;
using namespace eventscope::ui;
using namespace eventscope::testing;

class TestDrillDown : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_capture;
    sim::TruthIncident m_caused; // its true cause is what the analysis ranks first
    sim::TruthIncident m_uncaused; // no event caused it
    std::vector<std::string> m_cascade; // failures of one cause (a node lost with its pods)

    // `failure` by value: an id taken from the incident list outlives the list's next refresh.
    bool waitAnalysed(MainWindow &window, std::string failure)
    {
        return QTest::qWaitFor(
            [&] {
                const auto &result = window.rootCausePanel().result();
                return result && result->failureId == failure && window.isSettled();
            },
            30'000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        m_capture = m_dir.filePath(QStringLiteral("drilldown.capture")).toStdString();
        sim::SimulatorOptions options;
        options.seed = 11;
        options.start = *parseTimestamp("2026-11-24T06:00:00Z");
        options.duration = 240 * 60 * kMicrosPerSecond;
        options.tracesPerSecond = 0.5;
        const sim::GroundTruth truth = testing::simulateIntoCapture(options, m_capture);
        auto reader = CaptureReader::open(m_capture);
        QVERIFY(reader);
        analysis::IncidentAnalyzer analyzer(**reader);
        for (const sim::TruthIncident &incident : truth.incidents) {
            auto analysis = analyzer.analyze(incident.id);
            QVERIFY2(analysis, analysis ? "" : analysis.error().c_str());
            if (m_caused.id.empty() && !incident.cause.empty() && !analysis->causes.empty()
                && analysis->causes.front().event.sourceId == incident.cause)
                m_caused = incident;
            if (m_uncaused.id.empty() && incident.cause.empty())
                m_uncaused = incident;
        }
        QVERIFY2(!m_caused.id.empty(), "no simulated incident with its true cause ranked first");
        QVERIFY2(!m_uncaused.id.empty(), "no simulated failure without a cause event");
        std::map<std::string, std::vector<std::string>> byCause;
        for (const sim::TruthIncident &incident : truth.incidents) {
            if (!incident.cause.empty())
                byCause[incident.cause].push_back(incident.id);
        }
        for (const auto &[cause, failures] : byCause) {
            if (failures.size() > m_cascade.size())
                m_cascade = failures;
        }
    }

    void selectingAFailureShowsItsCausesAndTheLinksAct()
    {
        MainWindow window;
        window.resize(1600, 1000);
        QVERIFY(window.openCapture(m_capture).ok());
        window.show();
        QVERIFY(waitSettled(window));
        const Status shown = window.showIncident(m_caused.id);
        QVERIFY2(shown.ok(), shown.ok() ? "" : shown.error().c_str());
        QVERIFY(waitAnalysed(window, m_caused.id));

        // The window is on the incident: the failure selected and in view.
        QCOMPARE(window.viewState().selectedEvent()->sourceId, m_caused.id);
        QVERIFY(window.viewState().visibleRange().contains(m_caused.time));
        RootCausePanel &panel = window.rootCausePanel();
        const auto &analysis = panel.result()->analysis;
        QVERIFY(analysis);
        QCOMPARE(analysis->causes.front().event.sourceId, m_caused.cause);
        // The true cause is the first link in the panel, with its evidence.
        const QString html = panel.browser().toHtml();
        const qsizetype firstCause = html.indexOf(QStringLiteral("href=\"cause:"));
        QVERIFY(firstCause > 0);
        QVERIFY2(html.mid(firstCause, 200).contains(QString::fromStdString(m_caused.cause)),
                 qPrintable(html.mid(firstCause, 200)));
        QVERIFY(panel.text().contains(QStringLiteral("Likely causes")));
        QVERIFY(panel.text().contains(QStringLiteral("Time to recover"))
                || m_caused.recovery.empty());

        for (const Theme::Kind kind : {Theme::Kind::Dark, Theme::Kind::Light}) {
            window.setTheme(kind);
            QCoreApplication::processEvents(); // the palette change reaches every widget
            QVERIFY(waitSettled(window));
            const QImage shot = window.grab().toImage();
            QVERIFY(hasContent(shot));
            QVERIFY(shot.save(screenshotFolder()
                              + QStringLiteral("/root-cause-%1.png").arg(Theme::kindName(kind))));
        }

        // Clicking the cause selects it on the timeline and charts the metrics it moved.
        const int charts = window.timeline().chartCount();
        panel.follow(QStringLiteral("cause:") + QString::fromStdString(m_caused.cause));
        QCOMPARE(window.viewState().selectedEvent()->sourceId, m_caused.cause);
        QVERIFY(window.timeline().chartCount() >= charts);
        // The panel still shows the incident (a cause is not a failure).
        QCOMPARE(panel.result()->failureId, m_caused.id);

        // A suspect filters the events to its service.
        QVERIFY(!analysis->suspects.empty());
        const QString service = QString::fromStdString(analysis->suspects.front().service);
        panel.follow(QStringLiteral("suspect:") + service);
        QCOMPARE(window.eventFilterModel().filter().service, service);

        // A moved series opens as a chart.
        const auto stored = std::find_if(analysis->anomalies.begin(), analysis->anomalies.end(),
                                         [](const auto &a) { return a.seriesId != 0; });
        if (stored != analysis->anomalies.end()) {
            const int before = window.timeline().chartCount();
            panel.follow(QStringLiteral("series:")
                         + QString::fromLatin1(
                             QUrl::toPercentEncoding(QString::fromStdString(stored->series))));
            QCOMPARE(window.timeline().chartCount(), before + 1);
        }
    }

    void aFailureNoEventCausedSaysSo()
    {
        MainWindow window;
        QVERIFY(window.openCapture(m_capture).ok());
        QVERIFY(waitSettled(window));
        QVERIFY(window.showIncident(m_uncaused.id).ok());
        QVERIFY(waitAnalysed(window, m_uncaused.id));
        const auto &analysis = window.rootCausePanel().result()->analysis;
        QVERIFY(analysis);
        const QString text = window.rootCausePanel().text();
        // The panel says it exactly when the analysis has no confident cause.
        const bool noConfidentCause
            = analysis->causes.empty() || !analysis::isConfidentCause(analysis->causes.front());
        QCOMPARE(text.contains(QStringLiteral("No change event explains this failure")),
                 noConfidentCause);
    }

    // The Incidents dock groups the failures; a node lost with its pods is one incident, and
    // Alt+Down / Alt+Up step through them.
    void incidentsAreListedAndSteppedThrough()
    {
        MainWindow window;
        window.resize(1600, 1000);
        QVERIFY(window.openCapture(m_capture).ok());
        window.show();
        QVERIFY(waitSettled(window));
        IncidentListModel &incidents = window.incidentModel();
        QVERIFY(QTest::qWaitFor([&] { return incidents.rowCount() > 0; }, 60'000));
        const IncidentList &list = incidents.list();
        QVERIFY(list.error.isEmpty());
        QVERIFY(list.complete);
        QCOMPARE(list.analyses.size(),
                 std::size_t(std::count_if(
                     window.timeline().events()->begin(), window.timeline().events()->end(),
                     [](const Event &e) { return e.category == EventCategory::Failure; })));
        if (m_cascade.size() >= 2) {
            const int row = incidents.rowOfFailure(m_cascade.front());
            QVERIFY(row >= 0);
            for (const std::string &failure : m_cascade)
                QCOMPARE(incidents.rowOfFailure(failure), row);
            QCOMPARE(
                incidents
                    .data(incidents.index(row, IncidentListModel::FailuresColumn), Qt::DisplayRole)
                    .toInt(),
                int(m_cascade.size()));
        }

        window.viewState().clearSelection();
        window.viewState().setVisibleRange({0, 1}); // before everything
        window.stepIncident(1);
        QCOMPARE(window.viewState().selectedEvent()->sourceId, incidents.firstFailure(0).sourceId);
        QTest::keyClick(&window, Qt::Key_Down, Qt::AltModifier);
        QCOMPARE(window.viewState().selectedEvent()->sourceId, incidents.firstFailure(1).sourceId);
        QTest::keyClick(&window, Qt::Key_Up, Qt::AltModifier);
        QCOMPARE(window.viewState().selectedEvent()->sourceId, incidents.firstFailure(0).sourceId);
        QVERIFY(waitAnalysed(window, incidents.firstFailure(0).sourceId));

        window.findChild<QDockWidget *>(QStringLiteral("IncidentsDock"))->raise();
        for (const Theme::Kind kind : {Theme::Kind::Dark, Theme::Kind::Light}) {
            window.setTheme(kind);
            QCoreApplication::processEvents();
            QVERIFY(waitSettled(window));
            const QImage shot = window.grab().toImage();
            QVERIFY(hasContent(shot));
            QVERIFY(shot.save(screenshotFolder()
                              + QStringLiteral("/incidents-%1.png").arg(Theme::kindName(kind))));
        }
    }

    void unknownIncidentsAreRefusedWithTheReason()
    {
        MainWindow window;
        QVERIFY(window.openCapture(m_capture).ok());
        QVERIFY(waitSettled(window));
        const Status missing = window.showIncident("evt-no-such");
        QVERIFY(!missing.ok());
        QVERIFY2(QString::fromStdString(missing.error())
                     .startsWith(QStringLiteral("no event with id 'evt-no-such' in ")),
                 missing.error().c_str());
        const auto events = window.timeline().events();
        const auto notFailure = std::find_if(events->begin(), events->end(), [](const Event &e) {
            return e.category != EventCategory::Failure;
        });
        QVERIFY(notFailure != events->end());
        const Status wrongKind = window.showIncident(notFailure->sourceId);
        QVERIFY(!wrongKind.ok());
        QVERIFY2(
            QString::fromStdString(wrongKind.error()).endsWith(QStringLiteral("not a failure")),
            wrongKind.error().c_str());
    }
};

QTEST_MAIN(TestDrillDown)
#include "tst_drilldown.moc"
