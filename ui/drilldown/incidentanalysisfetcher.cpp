#include "incidentanalysisfetcher.h"

#include "store/capturereader.h"

#include <QElapsedTimer>

namespace eventscope::ui {

namespace {
constexpr std::size_t kSparklinePoints = 120;
constexpr TimeUs kSparklineBefore = 30 * 60 * kMicrosPerSecond;
constexpr TimeUs kSparklineAfterAtLeast = 15 * 60 * kMicrosPerSecond;
} // namespace

class IncidentAnalysisFetcher::Worker : public QObject
{
public:
    explicit Worker(std::unique_ptr<CaptureReader> reader)
        : m_reader(std::move(reader))
        , m_analyzer(*m_reader)
    { }

    IncidentAnalysisResult analyse(quint64 generation, const std::string &failureId,
                                   bool captureGrew,
                                   std::optional<analysis::IncidentAnalysis> known)
    {
        IncidentAnalysisResult result;
        result.generation = generation;
        result.failureId = failureId;
        QElapsedTimer timer;
        timer.start();
        if (captureGrew)
            m_analyzer.forgetCaches();
        result.reused = known.has_value();
        auto analysis = known ? Result<analysis::IncidentAnalysis>(std::move(*known))
                              : m_analyzer.analyze(failureId);
        if (!analysis) {
            result.error = QString::fromStdString(analysis.error());
            return result;
        }
        const TimeUs failure = analysis->failure.time;
        const TimeUs end = std::max(failure + kSparklineAfterAtLeast,
                                    analysis->recoveryTime > 0
                                        ? analysis->recoveryTime + 5 * 60 * kMicrosPerSecond
                                        : TimeUs(0));
        result.sparklineRange = {failure - kSparklineBefore, end};
        for (const analysis::MetricAnomaly &anomaly : analysis->anomalies) {
            Sparkline line;
            if (anomaly.seriesId != 0) {
                auto samples = m_reader->samples(anomaly.seriesId, result.sparklineRange);
                if (samples && !samples->empty()) {
                    // One point per bucket (its mean): enough for a sparkline, whatever the rate.
                    const double width
                        = double(result.sparklineRange.end - result.sparklineRange.begin)
                        / double(kSparklinePoints);
                    std::size_t i = 0;
                    while (i < samples->size()) {
                        const auto bucket = static_cast<std::size_t>(
                            double((*samples)[i].time - result.sparklineRange.begin) / width);
                        double sum = 0;
                        int count = 0;
                        TimeUs time = (*samples)[i].time;
                        for (; i < samples->size()
                             && static_cast<std::size_t>(
                                    double((*samples)[i].time - result.sparklineRange.begin)
                                    / width)
                                 == bucket;
                             ++i) {
                            if (std::isfinite((*samples)[i].value)) {
                                sum += (*samples)[i].value;
                                ++count;
                            }
                        }
                        if (count > 0) {
                            line.times.push_back(time);
                            line.values.push_back(sum / count);
                        }
                    }
                }
            }
            result.sparklines.push_back(std::move(line));
        }
        result.analysis = std::move(*analysis);
        result.milliseconds = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        return result;
    }

    void prepare()
    {
        // A failure here shows again, with its message, when a failure is analysed.
        static_cast<void>(m_analyzer.prepare());
    }

private:
    std::unique_ptr<CaptureReader> m_reader;
    analysis::IncidentAnalyzer m_analyzer;
};

Result<std::unique_ptr<IncidentAnalysisFetcher>>
IncidentAnalysisFetcher::open(const std::string &path, std::shared_ptr<AnalysisPriority> priority)
{
    auto reader = CaptureReader::open(path);
    if (!reader)
        return Result<std::unique_ptr<IncidentAnalysisFetcher>>::failure(reader.error());
    return std::unique_ptr<IncidentAnalysisFetcher>(
        new IncidentAnalysisFetcher(std::move(*reader), std::move(priority)));
}

IncidentAnalysisFetcher::IncidentAnalysisFetcher(std::unique_ptr<CaptureReader> reader,
                                                 std::shared_ptr<AnalysisPriority> priority)
    : m_worker(new Worker(std::move(reader)))
    , m_latest(std::make_shared<std::atomic<quint64>>(0))
    , m_grew(std::make_shared<std::atomic<bool>>(false))
    , m_priority(std::move(priority))
{
    static const bool registered = [] {
        qRegisterMetaType<IncidentAnalysisResult>();
        return true;
    }();
    Q_UNUSED(registered);
    m_thread.setObjectName(QStringLiteral("incident analysis"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
    // Before the first selection: the series list and topology every analysis starts from.
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker] { worker->prepare(); }, Qt::QueuedConnection);
}

IncidentAnalysisFetcher::~IncidentAnalysisFetcher()
{
    m_latest->store(~quint64(0)); // queued requests are dropped
    m_thread.quit();
    m_thread.wait();
}

quint64 IncidentAnalysisFetcher::request(const std::string &failureId,
                                         std::optional<analysis::IncidentAnalysis> known)
{
    const quint64 generation = ++m_generation;
    m_latest->store(generation);
    ++m_pending;
    QMetaObject::invokeMethod(
        m_worker,
        [this, worker = m_worker, latest = m_latest, grew = m_grew, priority = m_priority,
         generation, failureId, known = std::move(known)]() mutable {
            IncidentAnalysisResult result;
            result.generation = generation;
            result.failureId = failureId;
            // Superseded before it started: answered as such, so the window stops waiting.
            if (latest->load() == generation) {
                std::optional<AnalysisPriority::Foreground> foreground;
                if (priority)
                    foreground.emplace(*priority);
                result = worker->analyse(generation, failureId, grew->exchange(false),
                                         std::move(known));
            }
            QMetaObject::invokeMethod(
                this,
                [this, latest, result = std::move(result)] {
                    --m_pending;
                    if (latest->load() == result.generation)
                        Q_EMIT analysed(result);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    return generation;
}

} // namespace eventscope::ui
