#include "jobrunner.h"

#include <new>

namespace swb {

JobRunner::JobRunner(QObject* parent) : QObject(parent) {}

JobRunner::~JobRunner()
{
    m_cancel.cancel();
    ++m_generation;
    // Workers post to this object; they must be gone before it is.
    for (QFuture<void>& future : m_futures)
        future.waitForFinished();
}

void JobRunner::cancel()
{
    if (m_running)
        m_cancel.cancel();
}

void JobRunner::abandon()
{
    m_cancel.cancel();
    ++m_generation;
    if (m_running) {
        m_running = false;
        emit runningChanged(false);
    }
}

quint64 JobRunner::beginJob()
{
    m_cancel.cancel(); // the superseded job, if any
    m_cancel = CancelToken();
    ++m_generation;
    m_futures.removeIf([](const QFuture<void>& f) { return f.isFinished(); });
    if (!m_running) {
        m_running = true;
        emit runningChanged(true);
    }
    return m_generation;
}

Error JobRunner::failure(const std::exception& e)
{
    Error error;
    error.code = ErrorCode::InvalidArgument;
    if (dynamic_cast<const std::bad_alloc*>(&e))
        error.message = tr("Not enough memory for this job.");
    else
        error.message = tr("The job failed: %1").arg(QString::fromLocal8Bit(e.what()));
    return error;
}

void JobRunner::postProgress(quint64 generation, std::int64_t done, std::int64_t total, const QString& stage)
{
    // Called on the worker thread: hop to the GUI thread, where the generation is checked.
    QMetaObject::invokeMethod(
        this,
        [this, generation, done, total, stage]() {
            if (generation == m_generation && m_running)
                emit progress(done, total, stage);
        },
        Qt::QueuedConnection);
}

} // namespace swb
