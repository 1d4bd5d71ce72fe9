#include "reportjob.h"

#include "store/capturereader.h"

namespace eventscope::ui {

ReportJob::ReportJob(std::string capturePath, std::string failureId, ReportOutput output,
                     report::ReportOptions options, std::string generator, QObject *parent)
    : QObject(parent)
    , m_capturePath(std::move(capturePath))
    , m_failureId(std::move(failureId))
    , m_output(std::move(output))
    , m_options(std::move(options))
    , m_generator(std::move(generator))
{ }

ReportJob::~ReportJob()
{
    if (m_thread)
        m_thread->wait();
}

void ReportJob::start()
{
    m_thread.reset(QThread::create([this] {
        auto reader = CaptureReader::open(m_capturePath);
        if (!reader) {
            m_error = reader.error();
            return;
        }
        auto built = report::buildIncidentReport(**reader, m_failureId, m_options, m_generator);
        if (!built) {
            m_error = built.error();
            return;
        }
        m_report = std::move(*built);
        if (m_notes)
            m_report->notes = *m_notes;
    }));
    connect(m_thread.get(), &QThread::finished, this, &ReportJob::write, Qt::QueuedConnection);
    m_thread->start();
}

void ReportJob::write()
{
    if (!m_report) {
        Q_EMIT finished(QString::fromStdString(m_error));
        return;
    }
    auto reader = CaptureReader::open(m_capturePath);
    if (!reader) {
        Q_EMIT finished(QString::fromStdString(reader.error()));
        return;
    }
    const Status written = writeIncidentReport(**reader, *m_report, m_output);
    Q_EMIT finished(written ? QString() : QString::fromStdString(written.error()));
}

} // namespace eventscope::ui
