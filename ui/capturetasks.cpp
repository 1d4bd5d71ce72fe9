#include "capturetasks.h"

#include "io/ndjsonexporter.h"
#include "io/ndjsonimporter.h"
#include "store/capturecopy.h"
#include "store/capturereader.h"
#include "store/storewriter.h"

#include <QFileInfo>
#include <QGuiApplication>
#include <QLocale>
#include <QProgressDialog>

namespace eventscope::ui {

namespace {

QString count(std::int64_t n)
{
    return QLocale().toString(static_cast<qlonglong>(n));
}

} // namespace

CaptureTasks::CaptureTasks(QWidget *window)
    : QObject(window)
    , m_window(window)
{ }

CaptureTasks::~CaptureTasks()
{
    delete m_dialog;
}

Status CaptureTasks::run(const QString &title, BackgroundTask::Work work)
{
    if (m_task)
        return Status::failure("wait for \"" + m_task->title().toStdString()
                               + "\" to finish, or cancel it");
    m_summary.clear();
    m_task = std::make_unique<BackgroundTask>(title, std::move(work));
    m_task->setObjectName(QStringLiteral("captureTask"));
    // A window-modal dialog: the console stays visible and readable behind it. Offscreen (tests,
    // screenshots) there is no one to show it to.
    if (QGuiApplication::platformName() != QLatin1String("offscreen")) {
        m_dialog
            = new QProgressDialog(title + QStringLiteral("…"), tr("Cancel"), 0, 1000, m_window);
        m_dialog->setWindowTitle(title);
        m_dialog->setWindowModality(Qt::WindowModal);
        m_dialog->setMinimumDuration(300);
        m_dialog->setAutoReset(false);
        m_dialog->setAutoClose(false);
        m_dialog->setValue(0);
        connect(m_dialog, &QProgressDialog::canceled, m_task.get(), &BackgroundTask::cancel);
    }
    connect(m_task.get(), &BackgroundTask::progressed, this,
            [this](double fraction, const QString &text) {
                if (!m_dialog)
                    return;
                if (fraction < 0) {
                    m_dialog->setMaximum(0); // busy
                } else {
                    m_dialog->setMaximum(1000);
                    m_dialog->setValue(static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 999));
                }
                m_dialog->setLabelText(text);
            });
    connect(m_task.get(), &BackgroundTask::finished, this, [this](const QString &error) {
        const QString taskTitle = m_task->title();
        if (m_dialog)
            m_dialog->deleteLater();
        // The task is on the stack of this signal: deleted after it, or with this object.
        m_spent = std::move(m_task);
        QMetaObject::invokeMethod(
            this, [this] { m_spent.reset(); }, Qt::QueuedConnection);
        Q_EMIT finished(taskTitle, m_summary, error);
    });
    m_task->start();
    return {};
}

Status CaptureTasks::copyCapture(const std::string &source, const QString &destination,
                                 std::optional<SavedView> view)
{
    const QString name = QFileInfo(destination).fileName();
    return run(tr("Saving a copy of the capture"), [=, this](BackgroundTask::Progress &progress) {
        CopyOptions options;
        options.view = view;
        auto copied = eventscope::copyCapture(
            source, destination.toStdString(), options, [&](const CopyProgress &step) {
                const double fraction
                    = step.pageCount > 0 ? double(step.pagesCopied) / double(step.pageCount) : 0;
                return progress.report(fraction,
                                       tr("Copying to %1: %2 of %3 MB")
                                           .arg(name)
                                           .arg(step.pagesCopied * 8 / 1024)
                                           .arg(step.pageCount * 8 / 1024));
            });
        if (!copied)
            return Status::failure(copied.error());
        m_summary = tr("Saved a copy to %1: %2 events, %3 samples, %4 logs, %5 spans, as they "
                       "were at the copy's start")
                        .arg(destination, count(copied->events), count(copied->samples),
                             count(copied->logs), count(copied->spans));
        return Status();
    });
}

Status CaptureTasks::importFiles(const QStringList &files, const std::string &capture)
{
    return run(tr("Importing NDJSON"), [=, this](BackgroundTask::Progress &progress) {
        StoreWriterOptions options;
        options.sourceDescription = "import of " + files.join(QStringLiteral(", ")).toStdString();
        auto writer = StoreWriter::open(capture, options);
        if (!writer)
            return Status::failure(writer.error());
        int fileIndex = 0;
        NdjsonImporter importer(**writer, [&](const ImportProgress &step) {
            const double within
                = step.totalBytes > 0 ? double(step.bytesRead) / double(step.totalBytes) : 0.0;
            progress.report((fileIndex + within) / double(files.size()),
                            tr("%1: %2 lines")
                                .arg(QFileInfo(QString::fromStdString(step.path)).fileName(),
                                     count(step.lines)));
        });
        // The importer stops at its next block, also between its progress reports.
        Status status;
        {
            const auto hook = progress.onCancel([&importer] { importer.cancel(); });
            for (; fileIndex < files.size() && status; ++fileIndex) {
                if (progress.cancelled())
                    status = Status::failure("import cancelled before "
                                             + files[fileIndex].toStdString()
                                             + "; the files before it are in the capture");
                else
                    status = importer.importFile(files[fileIndex].toStdString());
            }
        }
        // Whatever was read is committed, also after a failure or a cancel.
        const Status finished = importer.finish();
        (*writer)->close();
        const ImportSummary &s = importer.summary();
        m_summary = tr("Imported %1 lines: %2 events, %3 samples, %4 logs, %5 spans, %6 not "
                       "decoded (dead letters)")
                        .arg(count(s.lines), count(s.events), count(s.samples), count(s.logs),
                             count(s.spans), count(s.deadLetters));
        if (!status)
            return status;
        return finished;
    });
}

Status CaptureTasks::exportRange(const std::string &capture, const QString &path, TimeRange range)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("ndjson") && suffix != QLatin1String("csv")
        && suffix != QLatin1String("jsonl"))
        return Status::failure(path.toStdString() + ": the name must end in .ndjson or .csv");
    const QString name = QFileInfo(path).fileName();
    return run(tr("Exporting"), [=, this](BackgroundTask::Progress &progress) {
        auto reader = CaptureReader::open(capture);
        if (!reader)
            return Status::failure(reader.error());
        ExportOptions options;
        options.format = suffix == QLatin1String("csv") ? ExportFormat::Csv : ExportFormat::Ndjson;
        options.range = range;
        options.progress = [&](const ExportProgress &step) {
            return progress.report(
                step.fraction,
                tr("%1: %2 records written (%3)")
                    .arg(name, count(step.records), QString::fromLatin1(step.kind)));
        };
        auto summary = exportNdjson(**reader, path.toStdString(), options);
        if (!summary)
            return Status::failure(summary.error());
        m_summary = tr("Exported %1 events, %2 samples, %3 logs, %4 spans to %5")
                        .arg(count(summary->events), count(summary->samples), count(summary->logs),
                             count(summary->spans), path);
        return Status();
    });
}

} // namespace eventscope::ui
