// bench_import: times our importer (parse + dictionary-encode) and the workspace store on one file,
// and prints one JSON line. run_import_bench.sh runs it beside its peers (pandas, sqlite3 .import)
// and reports the ratios; see README.md in this folder.
//
//   bench_import --file F [--format NAME] [--workspace WS] [--phase parse|store|both]
//
// --phase parse   import only: parse_seconds and the peak RSS of parsing (peak_rss_mb).
// --phase store   import, then store; storing needs the table, so both are timed.
// --phase both    the same as store (the default).
// --workspace WS  store into WS under a new dataset name; by default a new workspace in a temporary
//                 folder that is removed afterwards.
//
// Times are wall-clock seconds (steady clock) around the calls only: importLog for parsing,
// Workspace::open + storeDataset for storing. Memory is getrusage(RUSAGE_SELF).ru_maxrss in MiB;
// peak_rss_after_parse_mb is read before the store starts, so it is the parse peak in every phase.

#include "core/data/workspace.h"
#include "core/io/importer.h"
#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"

#include <QByteArray>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QTemporaryDir>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

namespace {

double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0; // ru_maxrss is KiB on Linux
}

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

qint64 fileSizeOrZero(const QString& path)
{
    const QFileInfo info(path);
    return info.exists() ? info.size() : 0;
}

int usage(const char* message)
{
    if (message)
        std::fprintf(stderr, "bench_import: %s\n", message);
    std::fprintf(stderr, "usage: bench_import --file F [--format NAME] [--workspace WS] "
                         "[--phase parse|store|both]\n");
    return 2;
}

int fail(const char* stage, const swb::Error& error)
{
    std::fprintf(stderr, "bench_import: %s failed: %s\n", stage, error.toString().toLocal8Bit().constData());
    return 1;
}

struct Arguments
{
    QString file;
    QString format = QStringLiteral("taobao");
    QString workspace;
    QString phase = QStringLiteral("both");
};

std::optional<Arguments> parseArguments(int argc, char** argv)
{
    Arguments args;
    for (int i = 1; i < argc; ++i) {
        const std::string key = argv[i];
        if (key == "-h" || key == "--help")
            return std::nullopt;
        if (i + 1 >= argc)
            return std::nullopt;
        const QString value = QString::fromLocal8Bit(argv[++i]);
        if (key == "--file")
            args.file = value;
        else if (key == "--format")
            args.format = value;
        else if (key == "--workspace")
            args.workspace = value;
        else if (key == "--phase")
            args.phase = value;
        else
            return std::nullopt;
    }
    const bool phaseOk = args.phase == QLatin1String("parse") || args.phase == QLatin1String("store") ||
                         args.phase == QLatin1String("both");
    if (args.file.isEmpty() || !phaseOk)
        return std::nullopt;
    return args;
}

} // namespace

int main(int argc, char** argv)
{
    const std::optional<Arguments> args = parseArguments(argc, argv);
    if (!args)
        return usage(nullptr);
    if (!QFileInfo(args->file).isFile())
        return usage("--file is not a readable file");

    swb::NullProgress progress;
    const swb::CancelToken cancel;

    QJsonObject out;
    out.insert(QStringLiteral("tool"), QStringLiteral("swb"));
    out.insert(QStringLiteral("phase"), args->phase);
    out.insert(QStringLiteral("file"), args->file);
    out.insert(QStringLiteral("bytes"), fileSizeOrZero(args->file));
    out.insert(QStringLiteral("peak_rss_start_mb"), peakRssMb());

    // Parse + encode.
    swb::ImportOptions options;
    options.files = QStringList{args->file};
    options.format = args->format;
    const auto parseStart = std::chrono::steady_clock::now();
    swb::Result<swb::ImportResult> imported = swb::importLog(options, progress, cancel);
    const double parseSeconds = secondsSince(parseStart);
    if (!imported)
        return fail("import", imported.error());
    const double peakAfterParse = peakRssMb();

    const swb::ImportResult& result = imported.value();
    const swb::EventTable& table = *result.table;
    const swb::ImportReport& report = result.report;
    out.insert(QStringLiteral("format"), report.format);
    out.insert(QStringLiteral("rows"), static_cast<qint64>(table.size()));
    out.insert(QStringLiteral("rows_read"), static_cast<qint64>(report.rowsRead));
    out.insert(QStringLiteral("rows_rejected"), static_cast<qint64>(report.rowsRejected));
    out.insert(QStringLiteral("bytes_read"), static_cast<qint64>(report.bytes));
    out.insert(QStringLiteral("users"), static_cast<qint64>(table.users.size()));
    out.insert(QStringLiteral("items"), static_cast<qint64>(table.items.size()));
    out.insert(QStringLiteral("categories"), static_cast<qint64>(table.categories.size()));
    out.insert(QStringLiteral("table_mb"), static_cast<double>(table.memoryBytes()) / (1024.0 * 1024.0));
    out.insert(QStringLiteral("parse_seconds"), parseSeconds);
    out.insert(QStringLiteral("peak_rss_after_parse_mb"), peakAfterParse);

    if (args->phase != QLatin1String("parse")) {
        std::unique_ptr<QTemporaryDir> tempDir;
        QString path = args->workspace;
        if (path.isEmpty()) {
            tempDir = std::make_unique<QTemporaryDir>();
            if (!tempDir->isValid()) {
                std::fprintf(stderr, "bench_import: cannot create a temporary folder\n");
                return 1;
            }
            path = tempDir->filePath(QStringLiteral("bench.swb"));
        }

        const auto storeStart = std::chrono::steady_clock::now();
        swb::Result<std::unique_ptr<swb::Workspace>> workspace = swb::Workspace::open(path);
        if (!workspace)
            return fail("opening the workspace", workspace.error());
        const QString name = workspace.value()->uniqueDatasetName(QStringLiteral("bench"));
        swb::Result<swb::DatasetInfo> stored =
            workspace.value()->storeDataset(name, table, report, progress, cancel);
        const double storeSeconds = secondsSince(storeStart);
        if (!stored)
            return fail("store", stored.error());

        out.insert(QStringLiteral("store_seconds"), storeSeconds);
        out.insert(QStringLiteral("stored_events"), static_cast<qint64>(stored.value().summary.events));
        out.insert(QStringLiteral("workspace"), path);
        workspace.value().reset(); // close (checkpoint) before measuring the file
        out.insert(QStringLiteral("workspace_bytes"),
                   fileSizeOrZero(path) + fileSizeOrZero(path + QStringLiteral("-wal")));
    }

    out.insert(QStringLiteral("peak_rss_mb"), peakRssMb());
    const QByteArray json = QJsonDocument(out).toJson(QJsonDocument::Compact);
    std::fwrite(json.constData(), 1, static_cast<std::size_t>(json.size()), stdout);
    std::fputc('\n', stdout);
    return 0;
}
