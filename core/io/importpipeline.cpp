#include "importpipeline.h"

#include "core/io/importer.h"

#include <algorithm>

namespace swb::detail {

void Pipeline::start()
{
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const unsigned parsers = std::clamp(cores, 1u, 4u);
    m_threads.emplace_back([this] { readAll(); });
    for (unsigned i = 0; i < parsers; ++i)
        m_threads.emplace_back([this] { parseLoop(); });
}

std::unique_ptr<ParsedBlock> Pipeline::next()
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] {
        return m_done.count(m_nextOut) || m_failed || m_stopping ||
               (m_readerFinished && m_nextOut == m_issued);
    });
    if (m_failed || m_stopping || !m_done.count(m_nextOut))
        return nullptr;
    auto block = std::move(m_done[m_nextOut]);
    m_done.erase(m_nextOut++);
    m_changed.notify_all();
    return block;
}

void Pipeline::recycle(std::unique_ptr<ParsedBlock> block)
{
    block->owned.clear();
    block->lines = block->blankLines = block->rows = 0;
    block->acceptedRows = 0; // the columns keep their size for the next block
    block->problems.clear();
    block->rejected.clear();
    std::lock_guard lock(m_mutex);
    m_free.push_back(std::move(block));
}

std::optional<Error> Pipeline::error() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

void Pipeline::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    for (std::thread& t : m_threads) {
        if (t.joinable())
            t.join();
    }
    m_threads.clear();
}

void Pipeline::fail(Error e)
{
    std::lock_guard lock(m_mutex);
    if (!m_failed)
        m_error = std::move(e);
    m_failed = true;
    m_changed.notify_all();
}

bool Pipeline::issue(std::unique_ptr<ParsedBlock> block)
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_issued - m_nextOut < kMaxBlocksInFlight || m_stopping || m_failed; });
    if (m_stopping || m_failed)
        return false;
    block->sequence = m_issued++;
    m_todo.push_back(std::move(block));
    m_changed.notify_all();
    return true;
}

void Pipeline::readAll()
{
    std::int64_t before = 0;
    for (std::size_t f = 0; f < m_files.size(); ++f) {
        if (!readFile(static_cast<int>(f), before))
            return;
        before += m_files[f].source->size();
    }
    std::lock_guard lock(m_mutex);
    m_readerFinished = true;
    m_changed.notify_all();
}

bool Pipeline::readFile(int index, std::int64_t bytesBefore)
{
    OpenedFile& file = m_files[static_cast<std::size_t>(index)];
    ByteBuffer buffer;
    buffer.append(file.pending);
    file.pending.clear();
    ByteBuffer rest;
    bool skipping = false; // inside a line longer than kMaxLineBytes
    bool ended = false;
    while (!ended) {
        if (m_cancel.isCancelled()) {
            fail(cancelledError());
            return false;
        }
        auto got = file.source->read(buffer.spare(kBlockBytes), kBlockBytes);
        if (!got) {
            fail(got.error());
            return false;
        }
        buffer.commit(got.value());
        m_bytesRead.store(bytesBefore + file.source->position());
        ended = got.value() == 0;
        if (skipping) {
            const std::size_t nl = buffer.view().find('\n');
            if (nl == std::string_view::npos) {
                buffer.clear();
                continue;
            }
            buffer.dropFront(nl + 1);
            skipping = false;
        }
        if (ended && !buffer.empty() && buffer.view().back() != '\n')
            buffer.append("\n"); // the last line may lack its line end
        const std::size_t last = buffer.view().rfind('\n');
        if (last != std::string_view::npos) {
            rest.clear();
            rest.append(buffer.view().substr(last + 1));
            buffer.truncate(last + 1);
            if (!handOver(index, buffer, false))
                return false;
            buffer.append(rest.view()); // buffer is now a recycled block's empty one
        }
        if (buffer.size() > kMaxLineBytes) {
            // Keep only an excerpt of an overlong line and drop the rest up to its line end.
            buffer.truncate(200);
            if (!handOver(index, buffer, true))
                return false;
            buffer.clear();
            skipping = true;
        }
    }
    return true;
}

bool Pipeline::handOver(int fileIndex, ByteBuffer& data, bool overlong)
{
    std::unique_ptr<ParsedBlock> block;
    {
        std::lock_guard lock(m_mutex);
        if (!m_free.empty()) {
            block = std::move(m_free.back());
            m_free.pop_back();
        }
    }
    if (!block)
        block = std::make_unique<ParsedBlock>();
    block->fileIndex = fileIndex;
    block->overlong = overlong;
    block->data.swap(data);
    data.clear();
    return issue(std::move(block));
}

void Pipeline::parseLoop()
{
    while (true) {
        std::unique_ptr<ParsedBlock> block;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock,
                           [&] { return !m_todo.empty() || m_stopping || m_failed || m_readerFinished; });
            if (m_stopping || m_failed || m_todo.empty())
                return;
            block = std::move(m_todo.front());
            m_todo.pop_front();
        }
        const ParseContext& context = m_files[static_cast<std::size_t>(block->fileIndex)].context;
        if (block->overlong) {
            block->lines = 1;
            block->rows = 1;
            ++block->rejected[reject::LineTooLong];
            block->problems.push_back({1, 0, reject::LineTooLong, detail::excerpt(block->data.view())});
            block->data.clear();
        } else {
            detail::parseBlock(context, *block);
        }
        std::lock_guard lock(m_mutex);
        m_done[block->sequence] = std::move(block);
        m_changed.notify_all();
    }
}

} // namespace swb::detail
