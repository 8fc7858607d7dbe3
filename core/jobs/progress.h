#pragma once

#include <QString>

#include <chrono>
#include <cstdint>
#include <functional>

namespace swb {

// Receives progress from a job running on a worker thread. Implementations must be thread-safe
// with respect to the job's thread only (a job reports from one thread at a time).
class ProgressSink
{
public:
    virtual ~ProgressSink() = default;
    // done and total are in the job's unit (bytes for imports); total may be 0 when unknown.
    virtual void report(std::int64_t done, std::int64_t total, const QString& stage) = 0;
};

// Discards everything; for callers that do not show progress.
class NullProgress final : public ProgressSink
{
public:
    void report(std::int64_t, std::int64_t, const QString&) override {}
};

// Forwards at most one report per interval (default 100 ms, about 10 per second) to a callback,
// plus the final one where done == total, so front ends are not flooded.
class ThrottledProgress final : public ProgressSink
{
public:
    using Callback = std::function<void(std::int64_t done, std::int64_t total, const QString& stage)>;
    explicit ThrottledProgress(Callback callback,
                               std::chrono::milliseconds interval = std::chrono::milliseconds(100));
    void report(std::int64_t done, std::int64_t total, const QString& stage) override;

private:
    Callback m_callback;
    std::chrono::milliseconds m_interval;
    std::chrono::steady_clock::time_point m_last{};
    QString m_lastStage;
};

} // namespace swb
