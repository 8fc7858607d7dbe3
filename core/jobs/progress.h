#pragma once

#include <QString>

#include <algorithm>
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

// Maps one phase of a job onto its share [from, to] of one bar of kPhaseScale steps, so loading,
// preparing, training and storing fill a single bar. An empty stage keeps the phase's own stages.
inline constexpr std::int64_t kPhaseScale = 1000;
class PhaseProgress final : public ProgressSink
{
public:
    PhaseProgress(ProgressSink& inner, std::int64_t from, std::int64_t to, QString stage = {})
        : m_inner(inner), m_from(from), m_to(to), m_stage(std::move(stage))
    {}
    void report(std::int64_t done, std::int64_t total, const QString& stage) override
    {
        const double share = total > 0 ? std::clamp(double(done) / double(total), 0.0, 1.0) : 0.0;
        m_inner.report(m_from + std::int64_t(share * double(m_to - m_from)), kPhaseScale,
                       m_stage.isEmpty() ? stage : m_stage);
    }

private:
    ProgressSink& m_inner;
    std::int64_t m_from;
    std::int64_t m_to;
    QString m_stage;
};

} // namespace swb
