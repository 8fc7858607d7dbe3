#pragma once

#include "core/io/bytesource.h"
#include "core/io/rowparser.h"
#include "core/jobs/cancel.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

// Internals of the importer: the threads that read and parse blocks of lines.
namespace swb::detail {

inline constexpr std::size_t kBlockBytes = 2 * 1024 * 1024;
inline constexpr std::uint64_t kMaxBlocksInFlight = 5;

// A file opened and understood: its format, header and the bytes already read for detection.
struct OpenedFile
{
    QString path;
    std::unique_ptr<ByteSource> source;
    std::string pending; // bytes read but not yet handed to the parser (after the header)
    ParseContext context;
    std::int64_t headerLines = 0;
};

// Reader → parsers → encoder. The reader cuts each file into blocks of whole lines; parser
// threads turn blocks into typed rows; the calling thread takes blocks back in file order and
// dictionary-encodes them. At most kMaxBlocksInFlight blocks exist at once, bounding memory.
class Pipeline
{
public:
    Pipeline(std::vector<OpenedFile>& files, const CancelToken& cancel) : m_files(files), m_cancel(cancel) {}
    ~Pipeline() { stop(); }

    void start();

    // The next block in order; nullptr at the end or after an error (see error()).
    std::unique_ptr<ParsedBlock> next();

    // Returns a consumed block for reuse; its vectors keep their capacity.
    void recycle(std::unique_ptr<ParsedBlock> block);

    std::optional<Error> error() const;
    std::int64_t bytesRead() const { return m_bytesRead.load(); }

    void stop();

private:
    void fail(Error e);

    // Hands a block to the parsers, waiting while too many are in flight.
    bool issue(std::unique_ptr<ParsedBlock> block);

    void readAll();

    bool readFile(int index, std::int64_t bytesBefore);

    // Moves `data` into a block (a recycled one when there is one) and leaves the block's old,
    // emptied buffer in `data`, so steady-state reading allocates nothing.
    bool handOver(int fileIndex, ByteBuffer& data, bool overlong);

    void parseLoop();

    std::vector<OpenedFile>& m_files;
    CancelToken m_cancel;
    std::vector<std::thread> m_threads;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::unique_ptr<ParsedBlock>> m_todo;
    std::map<std::uint64_t, std::unique_ptr<ParsedBlock>> m_done;
    std::vector<std::unique_ptr<ParsedBlock>> m_free;
    std::uint64_t m_issued = 0;
    std::uint64_t m_nextOut = 0;
    bool m_readerFinished = false;
    bool m_stopping = false;
    bool m_failed = false;
    std::optional<Error> m_error;
    std::atomic<std::int64_t> m_bytesRead{0};
};

} // namespace swb::detail
