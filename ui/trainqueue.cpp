#include "trainqueue.h"

#include "jobrunner.h"

#include <QColor>
#include <QElapsedTimer>
#include <QLocale>

#include <algorithm>
#include <memory>

namespace swb {

// TrainJobsModel ---------------------------------------------------------------------------------

int TrainJobsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int TrainJobsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString TrainJobsModel::statusText(const TrainJobEntry& e)
{
    switch (e.state) {
    case TrainJobEntry::State::Queued:
        return tr("Queued");
    case TrainJobEntry::State::Running:
        if (e.job.epochs > 0)
            return tr("Running: epoch %1 of %2")
                .arg(std::min(int(e.history.size()) + 1, e.job.epochs))
                .arg(e.job.epochs);
        return tr("Running");
    case TrainJobEntry::State::Cancelling:
        return tr("Cancelling…");
    case TrainJobEntry::State::Done:
        return tr("Done: %1").arg(e.message);
    case TrainJobEntry::State::Failed:
        return tr("Failed: %1").arg(e.message);
    case TrainJobEntry::State::Cancelled:
        return tr("Cancelled");
    }
    return {};
}

QVariant TrainJobsModel::data(const QModelIndex& index, int role) const
{
    const TrainJobEntry* e = entry(index.row());
    if (!e || index.column() >= ColumnCount)
        return {};
    if (role == Qt::ToolTipRole && index.column() == StatusColumn)
        return statusText(*e);
    if (role == Qt::ForegroundRole && index.column() == StatusColumn &&
        e->state == TrainJobEntry::State::Failed)
        return QColor(0xb3, 0x26, 0x1e);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case NameColumn:
        return e->job.name;
    case RunColumn:
        return e->job.run;
    case TaskColumn:
        return taskKey(e->job.request.task);
    case ModelColumn:
        return e->job.request.kind;
    case StatusColumn:
        return statusText(*e);
    case TimeColumn:
        if (!e->started.isValid())
            return QString();
        if (e->milliseconds >= 0)
            return tr("%1 (%2 s)")
                .arg(QLocale().toString(e->started.time(), QStringLiteral("HH:mm:ss")))
                .arg(double(e->milliseconds) / 1000.0, 0, 'f', 1);
        return QLocale().toString(e->started.time(), QStringLiteral("HH:mm:ss"));
    }
    return {};
}

QVariant TrainJobsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Model");
    case RunColumn:
        return tr("Run");
    case TaskColumn:
        return tr("Task");
    case ModelColumn:
        return tr("Type");
    case StatusColumn:
        return tr("Status");
    case TimeColumn:
        return tr("Started");
    }
    return {};
}

const TrainJobEntry* TrainJobsModel::entry(int row) const
{
    return row >= 0 && row < int(m_entries.size()) ? &m_entries[std::size_t(row)] : nullptr;
}

const TrainJobEntry* TrainJobsModel::entryById(int id) const
{
    return entry(rowOf(id));
}

int TrainJobsModel::rowOf(int id) const
{
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].id == id)
            return int(i);
    }
    return -1;
}

TrainJobEntry* TrainJobsModel::find(int id)
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_entries[std::size_t(row)];
}

void TrainJobsModel::append(TrainJobEntry e)
{
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    m_entries.push_back(std::move(e));
    endInsertRows();
}

void TrainJobsModel::changed(int id)
{
    const int row = rowOf(id);
    if (row >= 0)
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

// TrainQueue -------------------------------------------------------------------------------------

TrainQueue::TrainQueue(QObject* parent)
    : QObject(parent), m_model(new TrainJobsModel(this)), m_runner(new JobRunner(this))
{
    connect(m_runner, &JobRunner::progress, this, &TrainQueue::progress);
}

TrainQueue::~TrainQueue()
{
    // The worker posts its epochs to this object: cancel it and wait for it first.
    delete m_runner;
    m_runner = nullptr;
}

bool TrainQueue::isBusy() const
{
    return m_runner->isRunning();
}

int TrainQueue::enqueue(const TrainJob& job)
{
    TrainJobEntry e;
    e.id = m_nextId++;
    e.job = job;
    m_model->append(std::move(e));
    const int id = m_nextId - 1;
    startNext();
    return id;
}

QStringList TrainQueue::pendingNames() const
{
    QStringList names;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const TrainJobEntry* e = m_model->entry(row);
        if (!e->isFinished())
            names << e->job.name;
    }
    return names;
}

void TrainQueue::startNext()
{
    if (m_runner->isRunning())
        return;
    TrainJobEntry* next = nullptr;
    for (TrainJobEntry& e : m_model->m_entries) {
        if (e.state == TrainJobEntry::State::Queued) {
            next = &e;
            break;
        }
    }
    if (!next) {
        emit busyChanged(false);
        return;
    }
    next->state = TrainJobEntry::State::Running;
    next->started = QDateTime::currentDateTime();
    const int id = next->id;
    const TrainJob job = next->job;
    m_runningId = id;
    m_model->changed(id);
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    m_runner->start<ModelInfo>(
        [this, job, id](ProgressSink& progress, const CancelToken& cancel) {
            return runTrainJob(job, progress, cancel, [this, id](const nn::EpochStats& stats) {
                // On the worker thread: hand the row over to the GUI thread.
                QMetaObject::invokeMethod(
                    this, [this, id, stats]() { onEpoch(id, stats); }, Qt::QueuedConnection);
            });
        },
        [this, id, timer](Result<ModelInfo> result) {
            if (TrainJobEntry* e = m_model->find(id))
                e->milliseconds = timer->elapsed();
            onDone(id, std::move(result));
        });
    emit busyChanged(true);
    emit jobStarted(id);
}

void TrainQueue::onEpoch(int id, const nn::EpochStats& stats)
{
    TrainJobEntry* e = m_model->find(id);
    if (!e || e->isFinished())
        return;
    e->history.push_back(stats);
    m_model->changed(id);
    emit epochFinished(id, stats);
}

void TrainQueue::onDone(int id, Result<ModelInfo> result)
{
    m_runningId = 0;
    if (TrainJobEntry* e = m_model->find(id)) {
        if (result) {
            e->state = TrainJobEntry::State::Done;
            e->report = result->report;
            e->message = headlineMetric(e->report);
        } else if (result.error().isCancelled()) {
            e->state = TrainJobEntry::State::Cancelled;
        } else {
            e->state = TrainJobEntry::State::Failed;
            e->message = result.error().message;
        }
        m_model->changed(id);
    }
    emit jobFinished(id);
    startNext();
}

void TrainQueue::cancel(int id)
{
    TrainJobEntry* e = m_model->find(id);
    if (!e)
        return;
    if (e->state == TrainJobEntry::State::Queued) {
        e->state = TrainJobEntry::State::Cancelled;
        m_model->changed(id);
        emit jobFinished(id);
    } else if (e->state == TrainJobEntry::State::Running && id == m_runningId) {
        e->state = TrainJobEntry::State::Cancelling;
        m_model->changed(id);
        m_runner->cancel();
    }
}

void TrainQueue::cancelAll()
{
    // Queued ones first, so the running one's end does not start the next.
    for (const TrainJobEntry& e : m_model->m_entries) {
        if (e.state == TrainJobEntry::State::Queued)
            cancel(e.id);
    }
    if (m_runningId)
        cancel(m_runningId);
}

} // namespace swb
