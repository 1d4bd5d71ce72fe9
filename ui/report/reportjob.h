#pragma once

#include "reportwriter.h"

#include <QObject>
#include <QString>
#include <QThread>

#include <memory>
#include <string>

namespace eventscope::ui {

// Writes one incident report for the window: the analysis, logs and trace are read on a worker
// thread with its own reader of the capture, then the charts are drawn and the file written on
// the GUI thread (widgets live there; that part takes some 100-300 ms). One job at a time; the
// window keeps the job and destroying it waits for the worker. GUI thread.
class ReportJob : public QObject
{
    Q_OBJECT

public:
    ReportJob(std::string capturePath, std::string failureId, ReportOutput output,
              report::ReportOptions options, std::string generator, QObject *parent = nullptr);
    ~ReportJob() override;

    // Replaces the notes saved in the capture (the console's notes as they are on screen).
    void setNotes(std::string notes) { m_notes = std::move(notes); }
    void start();
    const ReportOutput &output() const { return m_output; }
    const std::string &failureId() const { return m_failureId; }

Q_SIGNALS:
    // `error` is empty when the report was written to output().path.
    void finished(const QString &error);

private:
    void write();

    std::string m_capturePath;
    std::string m_failureId;
    ReportOutput m_output;
    report::ReportOptions m_options;
    std::string m_generator;
    std::optional<std::string> m_notes;
    std::unique_ptr<QThread> m_thread;
    // Set by the worker before it finishes, read on the GUI thread after.
    std::optional<report::IncidentReport> m_report;
    std::string m_error;
};

} // namespace eventscope::ui
