#include "threadteam.h"

#include <Eigen/Core>

#include <stdexcept>

namespace swb::nn {

ThreadTeam::ThreadTeam(int threads)
{
    if (threads < 1)
        throw std::invalid_argument("ThreadTeam needs at least one thread");
    // Lets Eigen set up its static cache-size tables before several threads use them.
    Eigen::initParallel();
    m_helpers.reserve(static_cast<std::size_t>(threads - 1));
    for (int i = 1; i < threads; ++i)
        m_helpers.emplace_back([this] { helperLoop(); });
}

ThreadTeam::~ThreadTeam()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    for (std::thread& helper : m_helpers)
        helper.join();
}

void ThreadTeam::work()
{
    for (int part = m_nextPart.fetch_add(1); part < m_parts; part = m_nextPart.fetch_add(1))
        m_function(m_context, part);
}

void ThreadTeam::dispatch(int parts, Function function, void* context)
{
    {
        std::lock_guard lock(m_mutex);
        m_function = function;
        m_context = context;
        m_parts = parts;
        m_nextPart.store(0);
        m_busyHelpers = static_cast<int>(m_helpers.size());
        ++m_generation;
    }
    m_wake.notify_all();
    work();
    std::unique_lock lock(m_mutex);
    m_finished.wait(lock, [this] { return m_busyHelpers == 0; });
}

void ThreadTeam::helperLoop()
{
    std::uint64_t seen = 0;
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stopping || m_generation != seen; });
            if (m_stopping)
                return;
            seen = m_generation;
        }
        work();
        bool last = false;
        {
            std::lock_guard lock(m_mutex);
            last = --m_busyHelpers == 0;
        }
        if (last)
            m_finished.notify_one();
    }
}

} // namespace swb::nn
