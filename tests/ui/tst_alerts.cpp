// The Alerts dock and the alert rule editor, offscreen. A capture whose checkout p99 latency
// crosses 300 ms for 99 s every 15 minutes (22 times): a rule written in the editor is checked
// as it is typed (what is missing or wrong is said, and it cannot be saved), shows that it
// would have fired 22 times (the same alerts `evaluateAlerts` gives), writes the JSON that
// `eventscope alerts --rules` reads (the command run on the exported file finds the same
// alerts), and saves into the operator's settings. Stored alerts list active first, a
// double-click selects the firing on the timeline. Screenshots in both themes.
#include "alerts/alertruleeditor.h"
#include "alerts/alertspanel.h"
#include "consoletestdata.h"
#include "mainwindow.h"
#include "timeline/viewstate.h"

#include "analysis/alertepisodes.h"
#include "analysis/alertrules.h"
#include "settings/operatorsettings.h"
#include "store/batchcommitter.h"
#include "store/capturereader.h"

#include <QComboBox>
#include <QDockWidget>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace eventscope;
using namespace eventscope::ui;
using namespace eventscope::testing;

namespace {

constexpr int kSpikes = 22; // seconds 801..899 of every 900, over 20,000 s

std::vector<Event> evaluate(const std::string &path, const analysis::AlertRule &rule)
{
    auto reader = CaptureReader::open(path);
    if (!reader)
        qFatal("%s", reader.error().c_str());
    auto info = (*reader)->info();
    auto alerts = analysis::evaluateAlerts(**reader, {rule}, info->span);
    if (!alerts)
        qFatal("%s", alerts.error().c_str());
    return *alerts;
}

} // namespace

class TestAlerts : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_capture;

    analysis::AlertRule p99Rule() const
    {
        analysis::AlertRule rule;
        rule.name = "p99-high";
        rule.metric = "latency_p99_ms";
        rule.labels = {{"service", "checkout"}};
        rule.value = 300;
        rule.holdFor = 30 * kMicrosPerSecond;
        rule.severity = Severity::Error;
        return rule;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true); // settings go to a test location
        QSettings().clear();
        QVERIFY(settings::setAlertRulesJson("").ok());
        m_capture = m_dir.filePath(QStringLiteral("alerts.capture")).toStdString();
        auto committer = BatchCommitter::open(m_capture, "alerts test");
        QVERIFY(committer);
        std::vector<RecordBatch> batches;
        batches.push_back(makeBatch(0, kSamples, 0, 40));
        (*committer)->commit(batches);
    }

    void cleanup() { QVERIFY(settings::setAlertRulesJson("").ok()); }

    void editorChecksTheRuleAndShowsWhenItWouldHaveFired()
    {
        AlertsPanel panel;
        QVERIFY(panel.setCapture(m_capture).ok());
        panel.setChoices({QStringLiteral("failure.crash"), QStringLiteral("scaling.scale_out")},
                         {QStringLiteral("cpu_utilization"), QStringLiteral("latency_p99_ms")});
        QVERIFY(QTest::qWaitFor([&] { return panel.isSettled(); }, 10'000));
        QVERIFY(panel.rules().empty());
        auto editor = panel.makeEditor(-1);

        // Nothing written yet: a name is asked for, and nothing can be saved.
        QVERIFY(!editor->rule());
        QVERIFY2(editor->problem().contains(QStringLiteral("name")), qPrintable(editor->problem()));
        editor->nameEdit().setText(QStringLiteral("p99-high"));
        editor->metricBox().setCurrentText(QStringLiteral("latency_p99_ms"));
        editor->labelsEdit().setText(QStringLiteral("service"));
        QVERIFY2(editor->problem().contains(QStringLiteral("name=value")),
                 qPrintable(editor->problem()));
        editor->labelsEdit().setText(QStringLiteral("service=checkout"));
        QVERIFY2(editor->problem().contains(QStringLiteral("value")),
                 qPrintable(editor->problem()));
        editor->valueEdit().setText(QStringLiteral("3OO"));
        QVERIFY2(editor->problem().contains(QStringLiteral("not a number")),
                 qPrintable(editor->problem()));
        QVERIFY(!editor->rule());

        // Valid: 22 firings on this capture, as evaluateAlerts finds them.
        QSignalSpy settledSpy(editor.get(), &AlertRuleEditor::previewSettled);
        editor->valueEdit().setText(QStringLiteral("300"));
        editor->holdSpin().setValue(30);
        QVERIFY2(editor->rule(), qPrintable(editor->problem()));
        QVERIFY(editor->problem().isEmpty());
        QVERIFY(QTest::qWaitFor([&] { return editor->isPreviewSettled(); }, 10'000));
        QCOMPARE(static_cast<int>(editor->previewEpisodes().size()), kSpikes);
        const auto expected = analysis::alertEpisodes(evaluate(m_capture, p99Rule()));
        QCOMPARE(expected.size(), editor->previewEpisodes().size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(editor->previewEpisodes()[i].fired, expected[i].fired);
            QCOMPARE(editor->previewEpisodes()[i].resolved, expected[i].resolved);
        }
        // Each fired once the spike had held 30 s, and resolved.
        QCOMPARE(expected.front().fired, kBase + (801 + 30) * kMicrosPerSecond);
        QVERIFY(expected.front().resolved);
        QVERIFY2(editor->previewText().contains(QStringLiteral("22 times")),
                 qPrintable(editor->previewText()));

        // The JSON shown is the rules file `alerts --rules` reads, and reads back the same.
        QCOMPARE(editor->json().toStdString(), analysis::alertRulesToJson({*editor->rule()}));
        auto parsed = analysis::parseAlertRules(editor->json().toStdString());
        QVERIFY(parsed && parsed->size() == 1);
        QCOMPARE(analysis::alertRulesToJson(*parsed), editor->json().toStdString());
        QCOMPARE(parsed->front().value, 300.0);
        QCOMPARE(parsed->front().holdFor, 30 * kMicrosPerSecond);

        // A threshold never crossed: valid, and it says it would not have fired.
        editor->valueEdit().setText(QStringLiteral("5000"));
        QVERIFY(QTest::qWaitFor([&] { return editor->isPreviewSettled(); }, 10'000));
        QVERIFY(editor->previewEpisodes().empty());
        QVERIFY2(editor->previewText().contains(QStringLiteral("not have fired")),
                 qPrintable(editor->previewText()));
        // A metric this capture does not have: a warning, not a refusal.
        editor->metricBox().setCurrentText(QStringLiteral("latency_p95_ms"));
        QVERIFY(editor->rule());
        QVERIFY2(editor->warning().contains(QStringLiteral("no metric named")),
                 qPrintable(editor->warning()));
        QVERIFY(QTest::qWaitFor([&] { return editor->isPreviewSettled(); }, 10'000));
        QVERIFY2(editor->previewText().contains(QStringLiteral("no series")),
                 qPrintable(editor->previewText()));
        editor->metricBox().setCurrentText(QStringLiteral("latency_p99_ms"));
        editor->valueEdit().setText(QStringLiteral("300"));
        QVERIFY(QTest::qWaitFor([&] { return editor->isPreviewSettled(); }, 10'000));
        QVERIFY(settledSpy.count() > 0);

        // Saved: into the operator's settings, announced.
        QSignalSpy saved(&panel, &AlertsPanel::rulesSaved);
        QVERIFY(panel.acceptEditor(*editor, -1).ok());
        QCOMPARE(saved.count(), 1);
        QCOMPARE(panel.rules().size(), std::size_t(1));
        QCOMPARE(*settings::alertRulesJson(), analysis::alertRulesToJson(panel.rules()));
        QCOMPARE(panel.ruleTable().rowCount(), 1);
        QVERIFY(panel.ruleTable().item(0, 2)->text().contains(QStringLiteral("> 300 for 30 s")));

        // A second rule may not take the same name.
        auto second = panel.makeEditor(-1);
        second->nameEdit().setText(QStringLiteral("p99-high"));
        QVERIFY2(second->problem().contains(QStringLiteral("Another rule")),
                 qPrintable(second->problem()));
        // Editing the rule itself keeps its name.
        auto same = panel.makeEditor(0);
        QVERIFY2(same->rule(), qPrintable(same->problem()));
        QCOMPARE(same->json(), editor->json());

        // An event-rate rule needs what to count.
        second->nameEdit().setText(QStringLiteral("crashes"));
        second->kindBox().setCurrentIndex(1);
        QVERIFY2(second->problem().contains(QStringLiteral("events to count")),
                 qPrintable(second->problem()));
        second->findChild<QComboBox *>(QStringLiteral("RuleCategory"))
            ->setCurrentIndex(static_cast<int>(EventCategory::Failure) + 1);
        QVERIFY2(second->rule(), qPrintable(second->problem()));
        QVERIFY(QTest::qWaitFor([&] { return second->isPreviewSettled(); }, 10'000));
        QCOMPARE(second->previewEpisodes().size(),
                 analysis::alertEpisodes(evaluate(m_capture, *second->rule())).size());

        // Exported, `eventscope alerts --rules` reads it and finds the same 22 alerts.
        const QString rulesFile = m_dir.filePath(QStringLiteral("rules.json"));
        QVERIFY(panel.exportRules(rulesFile).ok());
        QProcess process;
        process.start(QStringLiteral(EVENTSCOPE_BINARY),
                      {QStringLiteral("alerts"), QStringLiteral("--db"),
                       QString::fromStdString(m_capture), QStringLiteral("--rules"), rulesFile,
                       QStringLiteral("--json")});
        QVERIFY(process.waitForFinished(60'000));
        QCOMPARE(process.exitCode(), 0);
        const QJsonObject out = QJsonDocument::fromJson(process.readAllStandardOutput()).object();
        const QJsonArray alerts = out.value(QStringLiteral("alerts")).toArray();
        QCOMPARE(alerts.size(), 2 * kSpikes); // each firing and its resolution
    }

    void storedAlertsListActiveFirstAndLinkToTheTimeline()
    {
        // The rule's alerts stored in a copy of the capture, and one still firing.
        const std::string path = m_dir.filePath(QStringLiteral("stored.capture")).toStdString();
        QVERIFY(QFile::copy(QString::fromStdString(m_capture), QString::fromStdString(path)));
        std::vector<RecordBatch> batch(1);
        batch[0].events = evaluate(path, p99Rule());
        Event open;
        open.sourceId = "alert-open";
        open.time = kBase + 19'000 * kMicrosPerSecond;
        open.type = "alert.firing";
        open.category = EventCategory::Alert;
        open.severity = Severity::Critical;
        open.service = "checkout";
        open.message = "cpu-high firing: cpu_utilization{service=checkout} = 0.7 > 0.6";
        open.attributes
            = R"({"rule":"cpu-high","state":"firing","subject":"cpu_utilization{service=checkout}","value":0.7,"alert_key":"k-open"})";
        batch[0].events.push_back(open);
        {
            auto committer = BatchCommitter::open(path, "alerts test");
            QVERIFY(committer);
            (*committer)->commit(batch);
        }
        QVERIFY(settings::setAlertRulesJson(analysis::alertRulesToJson({p99Rule()})).ok());

        MainWindow window;
        window.resize(1600, 1000);
        QVERIFY(window.openCapture(path).ok());
        window.show();
        QVERIFY(waitSettled(window));
        auto *dock = window.findChild<QDockWidget *>(QStringLiteral("AlertsDock"));
        QVERIFY(dock);
        dock->show();
        dock->raise();
        AlertsPanel &panel = window.alertsPanel();
        QVERIFY(QTest::qWaitFor([&] { return panel.isSettled(); }, 10'000));
        QCOMPARE(static_cast<int>(panel.episodes().size()), kSpikes + 1);
        QCOMPARE(panel.activeCount(), 1);
        QCOMPARE(panel.episodes().front().rule, std::string("cpu-high")); // active first
        QVERIFY(panel.alertTable().item(0, 0)->text().contains(QStringLiteral("Firing")));
        QVERIFY2(panel.statusText().contains(QStringLiteral("1 firing, 23 in all")),
                 qPrintable(panel.statusText()));
        // Then the newest.
        QVERIFY(panel.episodes()[1].fired > panel.episodes()[2].fired);
        QCOMPARE(panel.rules().size(), std::size_t(1));

        // A double-click selects the firing on the timeline.
        QTableWidget &table = panel.alertTable();
        const QRect cell = table.visualItemRect(table.item(2, 1));
        QTest::mouseClick(table.viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(table.viewport(), Qt::LeftButton, {}, cell.center());
        QVERIFY(window.viewState().selectedEvent());
        QCOMPARE(window.viewState().selectedEvent()->sourceId, panel.episodes()[2].firingId);
        QVERIFY(window.viewState().visibleRange().contains(panel.episodes()[2].fired));

        // What the rules fire: the same 22, not the stored extra one.
        panel.setSource(AlertsPanel::Source::Evaluated);
        QVERIFY(QTest::qWaitFor([&] { return panel.isSettled(); }, 10'000));
        QCOMPARE(static_cast<int>(panel.episodes().size()), kSpikes);
        QVERIFY(panel.statusText().contains(QStringLiteral("not stored")));
        panel.setSource(AlertsPanel::Source::Stored);
        QVERIFY(QTest::qWaitFor([&] { return panel.isSettled(); }, 10'000));

        window.viewState().fitAll();
        QVERIFY(saveThemeScreenshots(window, QStringLiteral("alerts"), [dock] { dock->raise(); }));
        // The rule editor, in each theme, on the window's capture.
        for (const Theme::Kind kind : {Theme::Kind::Dark, Theme::Kind::Light}) {
            window.setTheme(kind);
            auto editor = panel.makeEditor(0);
            editor->resize(1100, 620);
            editor->show();
            QVERIFY(QTest::qWaitForWindowExposed(editor.get()));
            QVERIFY(QTest::qWaitFor([&] { return editor->isPreviewSettled(); }, 10'000));
            QCOMPARE(static_cast<int>(editor->previewEpisodes().size()), kSpikes);
            // The window offers the capture's metrics and event types.
            QVERIFY2(editor->warning().isEmpty(), qPrintable(editor->warning()));
            QVERIFY(editor->metricBox().findText(QStringLiteral("latency_p99_ms")) >= 0);
            QCOMPARE(editor->metricBox().findText(QStringLiteral("failure.crash")), -1);
            const QImage shot = editor->grab().toImage();
            QVERIFY(hasContent(shot));
            QVERIFY(shot.save(
                screenshotFolder()
                + QStringLiteral("/alert-rule-editor-%1.png").arg(Theme::kindName(kind))));
        }
    }
};

QTEST_MAIN(TestAlerts)
#include "tst_alerts.moc"
