#include "incidentlist.h"

#include "analysis/liveanalysis.h"
#include "store/capturereader.h"

#include <QLocale>

#include <map>

namespace eventscope::ui {

class IncidentListFetcher::Worker : public QObject
{
public:
    Worker(std::unique_ptr<CaptureReader> reader, std::shared_ptr<AnalysisPriority> priority)
        : m_reader(std::move(reader))
        , m_analyzer(*m_reader)
        , m_priority(std::move(priority))
    { }

    // Analyses the failures not analysed yet (in a live capture, those with enough data after
    // them) and groups all of them.
    IncidentList run(bool live, const std::atomic<bool> &stopping,
                     const std::function<void(int, int)> &progress)
    {
        IncidentList list;
        auto info = m_reader->info();
        if (!info) {
            list.error = QString::fromStdString(info.error());
            return list;
        }
        EventQuery query;
        query.categories = EventQuery::categoryBit(EventCategory::Failure);
        auto failures = m_reader->events(query);
        if (!failures) {
            list.error = QString::fromStdString(failures.error());
            return list;
        }
        m_analyzer.forgetCaches(); // the capture may have grown since the last run
        const TimeUs settledUntil
            = live ? info->span.end - analysis::LiveAnalysis::kSettle : info->span.end;
        const int total = static_cast<int>(failures->size());
        int analysed = 0;
        for (const Event &failure : *failures) {
            if (stopping.load())
                return list;
            ++analysed;
            if (m_analyses.count(failure.sourceId))
                continue;
            if (failure.time > settledUntil) {
                list.complete = false;
                continue;
            }
            if (m_priority)
                m_priority->waitForForeground(stopping); // the panel's question goes first
            if (stopping.load())
                return list;
            auto result = m_analyzer.analyze(failure);
            if (!result) {
                list.error = QString::fromStdString(result.error());
                return list;
            }
            m_analyses.emplace(failure.sourceId, std::move(*result));
            if (analysed % 10 == 0)
                progress(analysed, total);
        }
        for (const Event &failure : *failures) {
            const auto found = m_analyses.find(failure.sourceId);
            if (found != m_analyses.end())
                list.analyses.push_back(found->second);
        }
        list.groups = analysis::groupIncidents(list.analyses);
        progress(total, total);
        return list;
    }

private:
    std::unique_ptr<CaptureReader> m_reader;
    analysis::IncidentAnalyzer m_analyzer;
    std::map<std::string, analysis::IncidentAnalysis> m_analyses; // by failure id
    std::shared_ptr<AnalysisPriority> m_priority;
};

Result<std::unique_ptr<IncidentListFetcher>>
IncidentListFetcher::open(const std::string &path, std::shared_ptr<AnalysisPriority> priority)
{
    auto reader = CaptureReader::open(path);
    if (!reader)
        return Result<std::unique_ptr<IncidentListFetcher>>::failure(reader.error());
    return std::unique_ptr<IncidentListFetcher>(
        new IncidentListFetcher(std::move(*reader), std::move(priority)));
}

IncidentListFetcher::IncidentListFetcher(std::unique_ptr<CaptureReader> reader,
                                         std::shared_ptr<AnalysisPriority> priority)
    : m_worker(new Worker(std::move(reader), std::move(priority)))
    , m_stopping(std::make_shared<std::atomic<bool>>(false))
{
    static const bool registered = [] {
        qRegisterMetaType<IncidentList>();
        return true;
    }();
    Q_UNUSED(registered);
    m_thread.setObjectName(QStringLiteral("incident list"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

IncidentListFetcher::~IncidentListFetcher()
{
    m_stopping->store(true); // a run in progress stops at its next failure
    m_thread.quit();
    m_thread.wait();
}

void IncidentListFetcher::refresh(bool live)
{
    if (m_running) {
        m_queued = true;
        m_queuedLive = live;
        return;
    }
    start(live);
}

void IncidentListFetcher::start(bool live)
{
    m_running = true;
    QMetaObject::invokeMethod(
        m_worker,
        [this, worker = m_worker, stopping = m_stopping, live] {
            const auto progress = [this](int analysed, int total) {
                QMetaObject::invokeMethod(
                    this, [this, analysed, total] { Q_EMIT progressed(analysed, total); },
                    Qt::QueuedConnection);
            };
            IncidentList list = worker->run(live, *stopping, progress);
            if (stopping->load())
                return;
            QMetaObject::invokeMethod(
                this,
                [this, list = std::move(list)] {
                    m_running = false;
                    Q_EMIT ready(list);
                    if (std::exchange(m_queued, false))
                        start(m_queuedLive);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

IncidentListModel::IncidentListModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void IncidentListModel::setList(IncidentList list)
{
    beginResetModel();
    m_list = std::move(list);
    endResetModel();
}

void IncidentListModel::setTimeZone(TimeZoneMode zone)
{
    m_zone = zone;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, StartColumn), index(rowCount() - 1, StartColumn));
}

const Event &IncidentListModel::firstFailure(int row) const
{
    const auto &group = m_list.groups[static_cast<std::size_t>(row)];
    return m_list.analyses[group.members.front()].failure;
}

int IncidentListModel::rowOfFailure(const std::string &failureId) const
{
    for (std::size_t g = 0; g < m_list.groups.size(); ++g) {
        for (const std::size_t i : m_list.groups[g].members) {
            if (m_list.analyses[i].failure.sourceId == failureId)
                return static_cast<int>(g);
        }
    }
    return -1;
}

int IncidentListModel::rowAfter(TimeUs time, int direction) const
{
    const int count = rowCount();
    if (direction > 0) {
        for (int row = 0; row < count; ++row) {
            if (m_list.groups[static_cast<std::size_t>(row)].start > time)
                return row;
        }
    } else {
        for (int row = count - 1; row >= 0; --row) {
            if (m_list.groups[static_cast<std::size_t>(row)].start < time)
                return row;
        }
    }
    return -1;
}

int IncidentListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_list.groups.size());
}

int IncidentListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IncidentListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    const analysis::IncidentGroup &group = m_list.groups[static_cast<std::size_t>(index.row())];
    switch (index.column()) {
    case StartColumn: return formatTime(group.start, m_zone);
    case ServicesColumn: {
        QStringList services;
        for (const std::string &service : group.services)
            services << QString::fromStdString(service);
        return services.join(QStringLiteral(", "));
    }
    case FailuresColumn: return static_cast<int>(group.members.size());
    case CauseColumn:
        return group.cause ? QStringLiteral("%1 on %2 (%3%)")
                                 .arg(QString::fromStdString(group.cause->event.type),
                                      QString::fromStdString(group.cause->event.service.empty()
                                                                 ? group.cause->event.entity
                                                                 : group.cause->event.service))
                                 .arg(std::lround(group.cause->score * 100))
                           : tr("no change event");
    case SuspectColumn:
        if (!group.suspect)
            return QString();
        if (group.suspect->service.empty() || group.suspect->entity.empty())
            return QString::fromStdString(group.suspect->service + group.suspect->entity);
        return QString::fromStdString(group.suspect->service + " / " + group.suspect->entity);
    case StateColumn: return group.recovered ? tr("recovered") : tr("open");
    case RecoverColumn: return group.ttrSeconds >= 0 ? formatDuration(group.ttrSeconds) : QString();
    default: return {};
    }
}

QVariant IncidentListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StartColumn: return tr("Start");
    case ServicesColumn: return tr("Services");
    case FailuresColumn: return tr("Failures");
    case CauseColumn: return tr("Top cause");
    case SuspectColumn: return tr("Top suspect");
    case StateColumn: return tr("State");
    case RecoverColumn: return tr("Time to recover");
    default: return {};
    }
}

} // namespace eventscope::ui
