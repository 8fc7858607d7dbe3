#include "progress.h"

namespace swb {

ThrottledProgress::ThrottledProgress(Callback callback, std::chrono::milliseconds interval)
    : m_callback(std::move(callback)), m_interval(interval)
{}

void ThrottledProgress::report(std::int64_t done, std::int64_t total, const QString& stage)
{
    const auto now = std::chrono::steady_clock::now();
    const bool final = total > 0 && done >= total;
    if (!final && stage == m_lastStage && now - m_last < m_interval)
        return;
    m_last = now;
    m_lastStage = stage;
    m_callback(done, total, stage);
}

} // namespace swb
