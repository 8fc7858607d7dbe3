#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace swb::nn {

// A fixed team of threads that runs the parts of one operation (a matrix product, a softmax over a
// batch, an Adam update) in parallel: the calling thread plus size() - 1 persistent helpers, so a
// mini-batch costs a few wake-ups and no thread creation. A team serves one caller at a time.
//
// Which thread runs which part is not fixed; the numerical code stays deterministic because it
// splits work into parts that depend only on the shape of the data (never on size()), and each part
// writes its own output. See product.h.
class ThreadTeam
{
public:
    // threads >= 1; 1 runs everything on the calling thread.
    explicit ThreadTeam(int threads);
    ~ThreadTeam();
    ThreadTeam(const ThreadTeam&) = delete;
    ThreadTeam& operator=(const ThreadTeam&) = delete;

    int size() const { return static_cast<int>(m_helpers.size()) + 1; }

    // Calls task(part) once for every part in [0, parts) and returns when all have finished.
    template <typename Task> void run(int parts, Task&& task)
    {
        if (parts <= 1 || m_helpers.empty()) {
            for (int part = 0; part < parts; ++part)
                task(part);
            return;
        }
        using Stored = std::remove_reference_t<Task>;
        dispatch(
            parts, [](void* context, int part) { (*static_cast<Stored*>(context))(part); },
            const_cast<void*>(static_cast<const void*>(&task)));
    }

private:
    using Function = void (*)(void*, int);
    void dispatch(int parts, Function function, void* context);
    void helperLoop();
    void work();

    std::vector<std::thread> m_helpers;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_finished;
    std::uint64_t m_generation = 0; // bumped once per run(); helpers wait for a change
    int m_busyHelpers = 0;
    bool m_stopping = false;
    Function m_function = nullptr;
    void* m_context = nullptr;
    int m_parts = 0;
    std::atomic<int> m_nextPart{0};
};

// Runs task(part) for parts in [0, parts) on team, or inline when team is null.
template <typename Task> void runParts(ThreadTeam* team, int parts, Task&& task)
{
    if (team) {
        team->run(parts, std::forward<Task>(task));
    } else {
        for (int part = 0; part < parts; ++part)
            task(part);
    }
}

} // namespace swb::nn
