#include "importer.h"

#include "core/io/bytesource.h"
#include "core/io/importpipeline.h"
#include "core/io/rowparser.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <map>

namespace swb {

using detail::OpenedFile;
using detail::ParseContext;
using detail::ParsedBlock;
using detail::Pipeline;

namespace {

// Translation context of this file's messages (lupdate reads the macro).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::Importer)
};

constexpr std::size_t kHeadBytes = 64 * 1024;

bool looksBinary(std::string_view head, QString& what)
{
    static const std::pair<std::string_view, const char*> kMagic[] = {
        {"\x89PNG", QT_TRANSLATE_NOOP("swb::Importer", "a PNG image")},
        {"%PDF", QT_TRANSLATE_NOOP("swb::Importer", "a PDF document")},
        {"PK\x03\x04", QT_TRANSLATE_NOOP("swb::Importer", "a ZIP archive")},
        {"\xff\xd8\xff", QT_TRANSLATE_NOOP("swb::Importer", "a JPEG image")},
        {"GIF8", QT_TRANSLATE_NOOP("swb::Importer", "a GIF image")},
        {"SQLite format 3", QT_TRANSLATE_NOOP("swb::Importer", "an SQLite database")},
        {"\x7f"
         "ELF",
         QT_TRANSLATE_NOOP("swb::Importer", "a program")},
        {"BZh", QT_TRANSLATE_NOOP("swb::Importer", "a bzip2 archive")},
        {"\xfd"
         "7zXZ",
         QT_TRANSLATE_NOOP("swb::Importer", "an xz archive")}};
    for (const auto& [magic, name] : kMagic) {
        if (head.substr(0, magic.size()) == magic) {
            what = QCoreApplication::translate("swb::Importer", name);
            return true;
        }
    }
    // Text logs hold almost no control bytes; a few stray NULs are rejected row by row instead.
    const std::size_t n = std::min<std::size_t>(head.size(), 4096);
    std::size_t control = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned char c = static_cast<unsigned char>(head[i]);
        control += (c < 0x20 && c != '\n' && c != '\r' && c != '\t') ? 1 : 0;
    }
    if (n > 0 && control * 10 > n) {
        what = QCoreApplication::translate("swb::Importer", "binary data");
        return true;
    }
    return false;
}

Result<FormatSpec> chooseSpec(const ImportOptions& options, const std::vector<std::string>& lines,
                              const QString& path)
{
    if (options.spec)
        return *options.spec;
    const QString name = options.format.trimmed().toLower();
    if (name == QLatin1String("generic"))
        return Error{ErrorCode::InvalidArgument,
                     Tr::tr("the generic format needs a column mapping (--mapping MAP.json)"),
                     path,
                     0,
                     0,
                     {}};
    if (!name.isEmpty() && name != QLatin1String("yoochoose")) {
        if (auto spec = builtinFormat(name))
            return *spec;
        return Error{
            ErrorCode::InvalidArgument,
            Tr::tr("unknown format \"%1\" (known: %2)").arg(name, formatNames().join(QStringLiteral(", "))),
            path,
            0,
            0,
            {}};
    }
    auto detected = detectFormat(lines, path);
    if (!detected)
        return detected.error();
    if (name == QLatin1String("yoochoose") && !detected->spec.name.startsWith(QLatin1String("yoochoose")))
        return Error{
            ErrorCode::FormatUnknown,
            Tr::tr("this is not a YOOCHOOSE clicks or buys file (it looks like %1)").arg(detected->spec.name),
            path,
            1,
            0,
            {}};
    return detected->spec;
}

Result<OpenedFile> openFile(const QString& path, const ImportOptions& options)
{
    auto source = ByteSource::open(path);
    if (!source)
        return source.error();
    OpenedFile file;
    file.path = path;
    file.source = std::move(source.value());
    if (Status s = file.source->readHead(file.pending, kHeadBytes); !s)
        return s.error();
    if (file.pending.empty())
        return Error{ErrorCode::InputRejected,
                     Tr::tr("the file is empty: there is nothing to import"),
                     path,
                     0,
                     0,
                     {}};
    QString what;
    if (looksBinary(file.pending, what))
        return Error{ErrorCode::FormatUnknown,
                     Tr::tr("this is not a text log: it looks like %1").arg(what),
                     path,
                     0,
                     0,
                     {}};

    const std::vector<std::string> lines = detail::splitLines(file.pending, 50);
    auto spec = chooseSpec(options, lines, path);
    if (!spec)
        return spec.error();

    std::vector<std::string> headerFields;
    std::string headerLine;
    if (spec->hasHeader) {
        headerLine = lines.front();
        std::deque<std::string> owned;
        std::vector<std::string_view> views;
        detail::splitFields(headerLine, spec->delimiter, views, owned);
        for (std::string_view v : views)
            headerFields.emplace_back(v);
        const std::size_t end = file.pending.find('\n');
        file.pending.erase(0, end == std::string::npos ? file.pending.size() : end + 1);
        file.headerLines = 1;
    }
    auto context = detail::makeContext(*spec, headerFields, headerLine, path);
    if (!context)
        return context.error();
    file.context = std::move(context.value());
    file.context.maxErrorTexts = static_cast<std::size_t>(std::max(options.maxErrors, 0));
    return file;
}

// Which optional columns the table has: those of any of the files, so all rows have them.
struct OptionalColumns
{
    bool session = false;
    bool price = false;
    bool brand = false;
};

// Appends an id column's codes for a block's first n rows, interning ids in order of first
// appearance. Column by column, so each loop keeps one dictionary in cache.
void encodeIds(const detail::IdColumn& column, std::size_t n, Dictionary& dict,
               std::vector<std::uint32_t>& out)
{
    using detail::IdColumn;
    constexpr std::size_t kAhead = 16; // ids jump around the catalogue: fetch table slots ahead
    std::size_t text = 0;
    // Written through a pointer: push_back would store the vector's end on every row.
    const std::size_t first = out.size();
    out.resize(first + n);
    std::uint32_t* codes = out.data() + first;
    // Logs are often grouped by user or session: the previous row's id is often this row's.
    std::uint64_t lastKey = IdColumn::kNoId;
    std::uint32_t lastCode = Dictionary::kNone;
    for (std::size_t i = 0; i < n; ++i) {
        if (i + kAhead < n && column.keys[i + kAhead] < IdColumn::kTextId)
            dict.prefetchNumber(column.keys[i + kAhead]);
        const std::uint64_t key = column.keys[i];
        if (key < IdColumn::kTextId) {
            if (key != lastKey) {
                lastKey = key;
                lastCode = dict.internNumber(key);
            }
            codes[i] = lastCode;
        } else if (key == IdColumn::kNoId) {
            codes[i] = Dictionary::kNone;
        } else {
            const detail::FieldRef& f = column.texts[text++];
            codes[i] = dict.intern(f.view(), f.hash);
        }
    }
}

// Appends a parsed block's rows to the table.
void appendBlock(const ParsedBlock& block, const ParseContext& context, OptionalColumns columns,
                 EventTable& table)
{
    const std::size_t n = block.accepted();
    const auto rows = static_cast<std::ptrdiff_t>(n);
    encodeIds(block.user, n, table.users, table.user);
    encodeIds(block.item, n, table.items, table.item);
    if (context.category >= 0)
        encodeIds(block.category, n, table.categories, table.category);
    else
        table.category.insert(table.category.end(), n, Dictionary::kNone);
    table.behaviour.insert(table.behaviour.end(), block.behaviour.begin(), block.behaviour.begin() + rows);
    table.ts.insert(table.ts.end(), block.ts.begin(), block.ts.begin() + rows);
    if (columns.session) {
        if (context.session >= 0)
            encodeIds(block.session, n, table.sessions, table.session);
        else
            table.session.insert(table.session.end(), n, Dictionary::kNone);
    }
    if (columns.brand) {
        if (context.brand >= 0)
            encodeIds(block.brand, n, table.brands, table.brand);
        else
            table.brand.insert(table.brand.end(), n, Dictionary::kNone);
    }
    if (columns.price) {
        if (context.price >= 0)
            table.price.insert(table.price.end(), block.price.begin(), block.price.begin() + rows);
        else
            table.price.insert(table.price.end(), n, std::nanf(""));
    }
}

QString reasonsText(const ImportReport& report)
{
    QStringList parts;
    for (const auto& [reason, count] : report.rejectedByReason)
        parts << QStringLiteral("%1 %2").arg(count).arg(reason);
    return parts.join(QStringLiteral(", "));
}

} // namespace

QString RowError::message() const
{
    QString where = file + QLatin1Char(':') + QString::number(line);
    if (column > 0)
        where += QLatin1Char(':') + QString::number(column);
    QString what = reason;
    if (!field.isEmpty())
        what += QStringLiteral(" (%1)").arg(field);
    return QStringLiteral("%1: %2: \"%3\"").arg(where, what, text);
}

Result<ImportResult> importLog(const ImportOptions& options, ProgressSink& progress,
                               const CancelToken& cancel)
{
    QElapsedTimer timer;
    timer.start();
    if (options.files.isEmpty())
        return Error{ErrorCode::InvalidArgument, Tr::tr("no file to import"), {}, 0, 0, {}};

    std::vector<OpenedFile> files;
    std::int64_t totalBytes = 0;
    for (const QString& path : options.files) {
        auto file = openFile(path, options);
        if (!file)
            return file.error();
        totalBytes += file->source->size();
        files.push_back(std::move(file.value()));
    }

    ImportResult result;
    result.table = std::make_shared<EventTable>();
    EventTable& table = *result.table;
    ImportReport& report = result.report;
    report.files = options.files;
    QStringList formats;
    OptionalColumns columns;
    for (const OpenedFile& f : files) {
        if (!formats.contains(f.context.spec.name))
            formats << f.context.spec.name;
        columns.session |= f.context.session >= 0;
        columns.price |= f.context.price >= 0;
        columns.brand |= f.context.brand >= 0;
    }
    const bool yoochoose = std::all_of(formats.begin(), formats.end(), [](const QString& n) {
        return n.startsWith(QLatin1String("yoochoose"));
    });
    report.format =
        yoochoose && formats.size() > 1 ? QStringLiteral("yoochoose") : formats.join(QLatin1Char('+'));

    // Reserve from the first file's line length: untouched capacity costs address space, not memory.
    if (!files.front().source->isGzip()) {
        const std::string_view head = files.front().pending;
        const std::size_t lines = std::max<std::size_t>(1, std::count(head.begin(), head.end(), '\n'));
        const std::size_t estimate =
            static_cast<std::size_t>(static_cast<double>(totalBytes) /
                                     (static_cast<double>(head.size()) / static_cast<double>(lines)) * 1.1) +
            16;
        table.user.reserve(estimate);
        table.item.reserve(estimate);
        table.category.reserve(estimate);
        table.behaviour.reserve(estimate);
        table.ts.reserve(estimate);
        if (columns.session)
            table.session.reserve(estimate);
        if (columns.price)
            table.price.reserve(estimate);
        if (columns.brand)
            table.brand.reserve(estimate);
    }
    std::vector<std::int64_t> lineBase(files.size());
    for (std::size_t i = 0; i < files.size(); ++i)
        lineBase[i] = files[i].headerLines;

    Pipeline pipeline(files, cancel);
    pipeline.start();
    progress.report(0, totalBytes, Tr::tr("Reading"));
    while (auto block = pipeline.next()) {
        const ParseContext& context = files[static_cast<std::size_t>(block->fileIndex)].context;
        const QString& path = files[static_cast<std::size_t>(block->fileIndex)].path;
        std::int64_t& base = lineBase[static_cast<std::size_t>(block->fileIndex)];
        for (const detail::RowProblem& p : block->problems) {
            if (options.strict) {
                const QString field = p.column > 0
                                          ? context.spec.columns[static_cast<std::size_t>(p.column - 1)].name
                                          : QString();
                pipeline.stop();
                return Error{ErrorCode::InputRejected,
                             Tr::tr("row rejected (%1%2): \"%3\"; --strict imports nothing")
                                 .arg(QString::fromLatin1(p.reason),
                                      field.isEmpty() ? QString() : QStringLiteral(", ") + field,
                                      QString::fromStdString(p.text)),
                             path,
                             base + p.line,
                             p.column,
                             field};
            }
            if (report.errors.size() < static_cast<std::size_t>(std::max(options.maxErrors, 0))) {
                RowError e;
                e.file = path;
                e.line = base + p.line;
                e.column = p.column;
                e.field = p.column > 0 ? context.spec.columns[static_cast<std::size_t>(p.column - 1)].name
                                       : QString();
                e.reason = QString::fromLatin1(p.reason);
                e.text = QString::fromStdString(p.text);
                report.errors.push_back(std::move(e));
            }
        }
        for (const auto& [reason, count] : block->rejected)
            report.rejectedByReason[QString::fromLatin1(reason)] += count;
        report.rowsRead += block->rows;
        report.rowsRejected += block->rows - static_cast<std::int64_t>(block->accepted());
        report.blankLines += block->blankLines;
        base += block->lines;
        appendBlock(*block, context, columns, table);
        pipeline.recycle(std::move(block));
        progress.report(pipeline.bytesRead(), totalBytes, Tr::tr("Reading"));
        if (cancel.isCancelled()) {
            pipeline.stop();
            return cancelledError();
        }
    }
    pipeline.stop();
    if (const auto error = pipeline.error())
        return *error;
    if (cancel.isCancelled())
        return cancelledError();

    report.rowsImported = static_cast<std::int64_t>(table.size());
    report.bytes = totalBytes;
    report.seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    if (report.rowsImported == 0) {
        const QString what = report.rowsRead == 0
                                 ? Tr::tr("no data rows: the file holds only a header or blank lines")
                                 : Tr::tr("none of the %1 rows could be imported (%2)")
                                       .arg(report.rowsRead)
                                       .arg(reasonsText(report));
        Error e{ErrorCode::InputRejected, what, options.files.front(), 0, 0, {}};
        if (!report.errors.empty()) {
            e.file = report.errors.front().file;
            e.line = report.errors.front().line;
            e.column = report.errors.front().column;
            e.field = report.errors.front().field;
        }
        return e;
    }
    progress.report(totalBytes, totalBytes, Tr::tr("Reading"));
    return result;
}

} // namespace swb
