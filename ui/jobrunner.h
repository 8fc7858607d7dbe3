#pragma once

#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"
#include "core/util/result.h"

#include <QFuture>
#include <QList>
#include <QObject>
#include <QString>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <functional>
#include <memory>

namespace swb {

// Runs one core job at a time on the thread pool, the way every page needs it:
//  - the job has the core shape `Result<T> (ProgressSink&, const CancelToken&)` and gets its inputs
//    by value (snapshots), never references into GUI state;
//  - progress arrives as queued signals on the GUI thread, throttled to about 10 per second;
//  - the result is handed to a callback on the GUI thread;
//  - starting a new job cancels the previous one and a generation counter drops its late result,
//    so an answer is never shown under newer settings;
//  - cancel() asks the running job to stop; its (cancelled) outcome is still delivered, so the UI
//    goes back to idle only once the worker has really stopped (and rolled back what it wrote).
// The destructor cancels and waits for every worker it started.
class JobRunner : public QObject
{
    Q_OBJECT
public:
    explicit JobRunner(QObject* parent = nullptr);
    ~JobRunner() override;

    bool isRunning() const { return m_running; }
    bool isCancelling() const { return m_running && m_cancel.isCancelled(); }
    quint64 generation() const { return m_generation; }

    // Cancels the running job (if any); its outcome arrives later as a Cancelled error.
    void cancel();
    // Drops the running job: it is cancelled and whatever it returns is never delivered.
    void abandon();

    template <typename T> using Work = std::function<Result<T>(ProgressSink&, const CancelToken&)>;
    template <typename T> using Done = std::function<void(Result<T>)>;

    template <typename T> void start(Work<T> work, Done<T> done)
    {
        const quint64 generation = beginJob();
        const CancelToken cancel = m_cancel;
        QFuture<void> future = QtConcurrent::run(
            [this, generation, cancel, work = std::move(work), done = std::move(done)]() mutable {
                ThrottledProgress progress(
                    [this, generation](std::int64_t d, std::int64_t t, const QString& stage) {
                        postProgress(generation, d, t, stage);
                    });
                std::shared_ptr<Result<T>> result;
                try {
                    result = std::make_shared<Result<T>>(work(progress, cancel));
                } catch (const std::exception& e) {
                    // e.g. std::bad_alloc on a table too big for this machine: an outcome, not a crash.
                    result = std::make_shared<Result<T>>(failure(e));
                }
                QMetaObject::invokeMethod(
                    this,
                    [this, generation, result, done = std::move(done)]() {
                        if (generation != m_generation)
                            return;
                        m_running = false;
                        done(std::move(*result));
                        // done() may have started the next job already.
                        if (!m_running)
                            emit runningChanged(false);
                    },
                    Qt::QueuedConnection);
            });
        m_futures.append(future);
    }

signals:
    void runningChanged(bool running);
    void progress(qint64 done, qint64 total, const QString& stage);

private:
    quint64 beginJob();
    static Error failure(const std::exception& e);
    void postProgress(quint64 generation, std::int64_t done, std::int64_t total, const QString& stage);

    quint64 m_generation = 0;
    bool m_running = false;
    CancelToken m_cancel;
    QList<QFuture<void>> m_futures;
};

// Reports a job's progress under another stage name (e.g. a translated one) or offset into a
// larger whole, so a job made of several core calls shows one coherent bar.
class StageProgress final : public ProgressSink
{
public:
    StageProgress(ProgressSink& inner, QString stage) : m_inner(inner), m_stage(std::move(stage)) {}
    void report(std::int64_t done, std::int64_t total, const QString&) override
    {
        m_inner.report(done, total, m_stage);
    }

private:
    ProgressSink& m_inner;
    QString m_stage;
};

} // namespace swb
