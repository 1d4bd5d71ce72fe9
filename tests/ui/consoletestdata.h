#pragma once

// Test data and waits shared by the console's GUI tests: a capture of two checkout series (one
// sample a second) and events every 500 s, cycling failure, recovery and scale-outs.
#include "mainwindow.h"

#include "model/recordbatch.h"

#include <QDir>
#include <QImage>
#include <QSet>
#include <QTest>

#include <functional>
#include <string>

namespace eventscope::testing {

constexpr TimeUs kBase = 1'764'000'000LL * kMicrosPerSecond; // 2025-11-24T16:00:00Z
constexpr int kSamples = 20'000; // one a second

inline RecordBatch makeBatch(int firstSecond, int seconds, int firstEvent, int events)
{
    RecordBatch batch;
    const auto cpu
        = batch.internSeries(SeriesKey("cpu_utilization", {{"service", "checkout"}}), "ratio");
    const auto latency
        = batch.internSeries(SeriesKey("latency_p99_ms", {{"service", "checkout"}}), "ms");
    for (int i = firstSecond; i < firstSecond + seconds; ++i) {
        batch.addSample(cpu, kBase + i * kMicrosPerSecond,
                        0.4 + 0.3 * ((i / 500) % 2) + 0.001 * (i % 17));
        batch.addSample(latency, kBase + i * kMicrosPerSecond,
                        120 + (i % 900 > 800 ? 300 : 0) + i % 13);
    }
    for (int i = firstEvent; i < firstEvent + events; ++i) {
        Event e;
        e.sourceId = "evt-" + std::to_string(i);
        e.time = kBase + static_cast<TimeUs>(i) * 500 * kMicrosPerSecond;
        e.type = i % 4 == 0 ? "failure.crash"
                            : (i % 4 == 1 ? "recovery.healthy" : "scaling.scale_out");
        e.category = inferEventCategory(e.type);
        e.severity = i % 4 == 0 ? Severity::Error : Severity::Info;
        e.service = i % 8 < 4 ? "checkout" : "search";
        e.message = "event " + std::to_string(i);
        batch.events.push_back(e);
    }
    return batch;
}

inline bool waitSettled(ui::MainWindow &window)
{
    bool settled = false;
    window.whenSettled([&settled] { settled = true; });
    return QTest::qWaitFor([&settled] { return settled; }, 10'000);
}

// True when the image has more than a few colours: a real picture, not a blank frame.
inline bool hasContent(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    }
    return colours.size() > 20;
}

// Where the GUI tests write their screenshots (screenshots/ in the test's working folder).
inline QString screenshotFolder()
{
    const QString folder = QDir::currentPath() + QStringLiteral("/screenshots");
    QDir().mkpath(folder);
    return folder;
}

// The window in both themes, once settled, as screenshots/NAME-dark.png and NAME-light.png;
// `beforeGrab` runs after each theme change (to raise a dock the layout hid). False when the
// window did not settle, a picture is blank, or a file cannot be written.
inline bool saveThemeScreenshots(ui::MainWindow &window, const QString &name,
                                 const std::function<void()> &beforeGrab = {})
{
    for (const ui::Theme::Kind kind : {ui::Theme::Kind::Dark, ui::Theme::Kind::Light}) {
        window.setTheme(kind);
        QCoreApplication::processEvents(); // the palette change reaches every widget
        if (!waitSettled(window))
            return false;
        if (beforeGrab) {
            beforeGrab();
            QCoreApplication::processEvents();
        }
        const QImage shot = window.grab().toImage();
        if (!hasContent(shot)
            || !shot.save(screenshotFolder()
                          + QStringLiteral("/%1-%2.png").arg(name, ui::Theme::kindName(kind))))
            return false;
    }
    return true;
}

} // namespace eventscope::testing
