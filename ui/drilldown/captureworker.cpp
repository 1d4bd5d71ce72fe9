#include "captureworker.h"

#include "store/capturereader.h"

namespace eventscope::ui {

namespace {
class ReaderHolder : public QObject
{
public:
    explicit ReaderHolder(std::unique_ptr<CaptureReader> owned)
        : reader(std::move(owned))
    { }
    std::unique_ptr<CaptureReader> reader;
};
} // namespace

Result<std::unique_ptr<CaptureWorker>> CaptureWorker::open(const std::string &path,
                                                           const QString &name)
{
    auto reader = CaptureReader::open(path);
    if (!reader)
        return Result<std::unique_ptr<CaptureWorker>>::failure(reader.error());
    return std::unique_ptr<CaptureWorker>(new CaptureWorker(std::move(*reader), name));
}

CaptureWorker::CaptureWorker(std::unique_ptr<CaptureReader> reader, const QString &name)
    : m_reader(reader.get())
{
    m_context = new ReaderHolder(std::move(reader));
    m_thread.setObjectName(name);
    m_context->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread.start();
}

CaptureWorker::~CaptureWorker()
{
    m_thread.quit();
    m_thread.wait();
}

void CaptureWorker::post(std::function<void(CaptureReader &)> job)
{
    QMetaObject::invokeMethod(
        m_context, [reader = m_reader, job = std::move(job)] { job(*reader); },
        Qt::QueuedConnection);
}

} // namespace eventscope::ui
