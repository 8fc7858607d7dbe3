#pragma once

#include "core/io/bytebuffer.h"
#include "core/io/formatspec.h"

#include <QDateTime>

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

// Internals of the importer: turning a block of complete lines into typed, not yet encoded rows.
namespace swb::detail {

// An id's text and, computed on a parsing thread, its Dictionary::hash or, for a canonical
// decimal id (numeric == true), its value.
struct FieldRef
{
    const char* data = nullptr;
    std::uint32_t size = 0;
    bool numeric = false;
    std::uint64_t hash = 0; // the value when numeric
    std::string_view view() const { return {data, size}; }
    bool empty() const { return size == 0; }
};

// What a file's columns mean, in file order, with the role positions looked up once.
struct ParseContext
{
    FormatSpec spec;
    std::string header; // the header line as written (empty for headerless formats)
    int user = -1, item = -1, category = -1, behaviour = -1, timestamp = -1, session = -1, price = -1,
        brand = -1, timeOffset = -1;
    std::size_t maxErrorTexts = 100; // rejected rows per block whose text is kept
};

// Builds the context: resolves a generic mapping's column names against the header fields (or
// "#i" indices), and checks that the header line is the format's. Errors name the mapping key.
Result<ParseContext> makeContext(const FormatSpec& spec, const std::vector<std::string>& headerFields,
                                 const std::string& headerLine, const QString& fileName);

struct RowProblem
{
    std::int64_t line = 0; // 1-based within the block
    int column = 0;
    const char* reason = nullptr;
    std::string text;
};

// One id column of a parsed block. Per accepted row a key: the value of a canonical decimal id
// (most ids in big logs), kNoId for an empty field, or kTextId for an id written as text, whose
// reference is the next one in `texts`. Eight bytes a row instead of a reference keeps the blocks
// in flight small, which is what keeps the encoder's dictionaries in cache.
struct IdColumn
{
    // Canonical numbers are below 10^19, so these two keys never collide with one.
    static constexpr std::uint64_t kNoId = ~std::uint64_t(0);
    static constexpr std::uint64_t kTextId = ~std::uint64_t(0) - 1;

    std::vector<std::uint64_t> keys;
    std::vector<FieldRef> texts;

    void set(std::size_t row, const FieldRef& ref)
    {
        if (ref.numeric) {
            keys[row] = ref.hash;
        } else if (ref.empty()) {
            keys[row] = kNoId;
        } else {
            keys[row] = kTextId;
            texts.push_back(ref);
        }
    }
};

// A parsed block: accepted rows by column, and every rejected row's problem.
struct ParsedBlock
{
    std::uint64_t sequence = 0;
    int fileIndex = 0;
    ByteBuffer data;               // the block's bytes; FieldRefs point into it or into `owned`
    std::deque<std::string> owned; // texts made while parsing (unescaped quotes, composed ids)
    std::int64_t lines = 0;
    std::int64_t blankLines = 0;
    std::int64_t rows = 0; // data rows seen, accepted or not
    bool overlong = false; // data is an excerpt of one line longer than kMaxLineBytes
    // Accepted rows by column: the first acceptedRows entries (the columns keep their size when
    // a block is reused, so parsing writes by index); a column the format lacks holds empty values.
    std::size_t acceptedRows = 0;
    IdColumn user, item, category, session, brand;
    std::vector<std::uint8_t> behaviour;
    std::vector<std::int64_t> ts;
    std::vector<float> price;
    std::vector<RowProblem> problems; // only the first maxErrorTexts carry text
    std::map<const char*, std::int64_t> rejected;
    std::size_t accepted() const { return acceptedRows; }
};

// Parses every line of block.data (complete lines, each ending in '\n'). O(bytes).
void parseBlock(const ParseContext& context, ParsedBlock& block);

// Splits one line (without its line end) into fields, honouring RFC 4180 quotes within the line.
// Unescaped copies go to `owned`. Returns false for an unterminated quote.
bool splitFields(std::string_view line, char delimiter, std::vector<std::string_view>& fields,
                 std::deque<std::string>& owned);

// The first maxLines lines of text, without their line ends (the last may be incomplete).
std::vector<std::string> splitLines(std::string_view text, std::size_t maxLines);

// A short, printable excerpt of offending text for messages (control bytes shown as \xNN).
std::string excerpt(std::string_view text, std::size_t maxChars = 120);

} // namespace swb::detail
