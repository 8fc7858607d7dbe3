#include "commands.h"
#include "cliutil.h"

#include "core/data/workspace.h"
#include "core/io/importer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

namespace swb::cli {

namespace {

QJsonObject countsJson(const QString& dataset, const QJsonObject& report, const QJsonObject& summary)
{
    QJsonObject o;
    o.insert(QStringLiteral("dataset"), dataset);
    for (const QString& key : {QStringLiteral("format"), QStringLiteral("files"), QStringLiteral("rows_read"),
                               QStringLiteral("rows_imported"), QStringLiteral("rows_rejected"),
                               QStringLiteral("blank_lines"), QStringLiteral("rejected_by_reason")})
        o.insert(key, report.value(key));
    for (const QString& key : {QStringLiteral("behaviours"), QStringLiteral("users"), QStringLiteral("items"),
                               QStringLiteral("categories"), QStringLiteral("sessions"),
                               QStringLiteral("first_ts"), QStringLiteral("last_ts")})
        o.insert(key, summary.value(key));
    o.insert(QStringLiteral("errors"), report.value(QStringLiteral("errors")).toArray());
    o.insert(QStringLiteral("seconds"), report.value(QStringLiteral("seconds")));
    return o;
}

void printCounts(const QJsonObject& o)
{
    printLine(stdout, Tr::tr("dataset      %1 (%2)")
                          .arg(o.value(QStringLiteral("dataset")).toString(),
                               o.value(QStringLiteral("format")).toString()));
    printLine(stdout, Tr::tr("rows         %1 read, %2 imported, %3 rejected")
                          .arg(o.value(QStringLiteral("rows_read")).toInteger())
                          .arg(o.value(QStringLiteral("rows_imported")).toInteger())
                          .arg(o.value(QStringLiteral("rows_rejected")).toInteger()));
    const QJsonObject reasons = o.value(QStringLiteral("rejected_by_reason")).toObject();
    for (auto it = reasons.begin(); it != reasons.end(); ++it)
        printLine(stdout, Tr::tr("  rejected   %1 %2").arg(it.value().toInteger()).arg(it.key()));
    const QJsonObject b = o.value(QStringLiteral("behaviours")).toObject();
    QStringList parts;
    for (auto it = b.begin(); it != b.end(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.key()).arg(it.value().toInteger());
    printLine(stdout, Tr::tr("behaviours   %1").arg(parts.join(QStringLiteral(", "))));
    printLine(stdout, Tr::tr("users        %1, items %2, categories %3, sessions %4")
                          .arg(o.value(QStringLiteral("users")).toInteger())
                          .arg(o.value(QStringLiteral("items")).toInteger())
                          .arg(o.value(QStringLiteral("categories")).toInteger())
                          .arg(o.value(QStringLiteral("sessions")).toInteger()));
    printLine(stdout, Tr::tr("time         %1 .. %2")
                          .arg(o.value(QStringLiteral("first_ts")).toString(),
                               o.value(QStringLiteral("last_ts")).toString()));
    const QJsonArray errors = o.value(QStringLiteral("errors")).toArray();
    for (qsizetype i = 0; i < std::min<qsizetype>(errors.size(), 10); ++i) {
        const QJsonObject e = errors.at(i).toObject();
        printLine(stdout, Tr::tr("  line %1, column %2: %3: %4")
                              .arg(e.value(QStringLiteral("line")).toInteger())
                              .arg(e.value(QStringLiteral("column")).toInt())
                              .arg(e.value(QStringLiteral("reason")).toString(),
                                   e.value(QStringLiteral("text")).toString()));
    }
}

} // namespace

int importCommand(const QStringList& args)
{
    // Ctrl+C (or SIGTERM) from here on cancels the import cleanly instead of killing the process.
    const CancelToken& cancel = cancelOnInterrupt();
    QCommandLineParser parser;
    parser.addOption(
        {QStringLiteral("format"),
         Tr::tr("Log format: %1 (default: detected).").arg(formatNames().join(QStringLiteral(", "))),
         Tr::tr("NAME")});
    parser.addOption({QStringLiteral("mapping"), Tr::tr("JSON column mapping for the generic format."),
                      Tr::tr("MAP.json")});
    parser.addOption(
        {QStringLiteral("name"), Tr::tr("Dataset name (default: the file's name)."), Tr::tr("DATASET")});
    parser.addOption({QStringLiteral("strict"), Tr::tr("Import nothing if any row is rejected.")});
    if (!parse(parser, args, QStringLiteral("import"), QStringLiteral("FILE...")))
        return Usage;
    if (parser.positionalArguments().isEmpty()) {
        printLine(stderr, Tr::tr("scenewb import: name the log file to import"));
        return Usage;
    }

    ImportOptions options;
    options.files = parser.positionalArguments();
    options.format = parser.value(QStringLiteral("format"));
    options.strict = parser.isSet(QStringLiteral("strict"));
    if (parser.isSet(QStringLiteral("mapping"))) {
        auto spec = formatFromMappingFile(parser.value(QStringLiteral("mapping")));
        if (!spec)
            return fail(spec.error());
        options.spec = spec.value();
    }
    if (!options.format.isEmpty() && !options.spec && !formatNames().contains(options.format.toLower())) {
        printLine(stderr, Tr::tr("scenewb import: unknown format \"%1\" (known: %2)")
                              .arg(options.format, formatNames().join(QStringLiteral(", "))));
        return Usage;
    }

    auto workspace = openWorkspace(parser);
    if (!workspace)
        return fail(workspace.error());
    QString name = parser.value(QStringLiteral("name"));
    if (name.isEmpty()) {
        QString base = QFileInfo(options.files.front()).fileName();
        for (const QString& suffix : {QStringLiteral(".gz"), QStringLiteral(".csv"), QStringLiteral(".tsv"),
                                      QStringLiteral(".txt"), QStringLiteral(".dat")}) {
            if (base.endsWith(suffix, Qt::CaseInsensitive))
                base.chop(suffix.size());
        }
        name = workspace.value()->uniqueDatasetName(base);
    } else if (workspace.value()->dataset(name)) {
        printLine(stderr, Tr::tr("scenewb import: the workspace %1 already has a dataset named \"%2\"")
                              .arg(workspace.value()->path(), name));
        return Rejected;
    }

    TerminalProgress progress;
    auto imported = importLog(options, progress, cancel);
    progress.clear();
    if (!imported)
        return fail(imported.error());
    auto stored = workspace.value()->storeDataset(name, *imported->table, imported->report, progress, cancel);
    progress.clear();
    if (!stored)
        return fail(stored.error());

    const QJsonObject counts =
        countsJson(name, toJson(imported->report), toJson(summarize(*imported->table)));
    if (parser.isSet(QStringLiteral("json")))
        printJson(counts);
    else
        printCounts(counts);
    return Ok;
}

int datasetsCommand(const QStringList& args)
{
    QCommandLineParser parser;
    if (!parse(parser, args, QStringLiteral("datasets"), {}))
        return Usage;
    auto workspace = openWorkspace(parser);
    if (!workspace)
        return fail(workspace.error());
    auto list = workspace.value()->datasets();
    if (!list)
        return fail(list.error());
    QJsonArray rows;
    for (const DatasetInfo& d : list.value()) {
        QJsonObject o;
        o.insert(QStringLiteral("dataset"), d.name);
        o.insert(QStringLiteral("format"), d.format);
        o.insert(QStringLiteral("source"), d.source);
        o.insert(QStringLiteral("created"), d.createdAt);
        o.insert(QStringLiteral("events"), static_cast<qint64>(d.summary.events));
        o.insert(QStringLiteral("users"), static_cast<qint64>(d.summary.users));
        o.insert(QStringLiteral("items"), static_cast<qint64>(d.summary.items));
        rows.append(o);
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject o;
        o.insert(QStringLiteral("workspace"), workspace.value()->path());
        o.insert(QStringLiteral("datasets"), rows);
        printJson(o);
        return Ok;
    }
    printLine(stdout, Tr::tr("workspace %1").arg(workspace.value()->path()));
    for (const QJsonValue& v : rows) {
        const QJsonObject o = v.toObject();
        printLine(stdout, QStringLiteral("%1\t%2\t%3 events\t%4 users\t%5 items\t%6")
                              .arg(o.value(QStringLiteral("dataset")).toString(),
                                   o.value(QStringLiteral("format")).toString())
                              .arg(o.value(QStringLiteral("events")).toInteger())
                              .arg(o.value(QStringLiteral("users")).toInteger())
                              .arg(o.value(QStringLiteral("items")).toInteger())
                              .arg(o.value(QStringLiteral("created")).toString()));
    }
    return Ok;
}

int inspectCommand(const QStringList& args)
{
    QCommandLineParser parser;
    if (!parse(parser, args, QStringLiteral("inspect"), QStringLiteral("DATASET")))
        return Usage;
    if (parser.positionalArguments().size() != 1) {
        printLine(stderr, Tr::tr("scenewb inspect: name one dataset"));
        return Usage;
    }
    auto workspace = openWorkspace(parser);
    if (!workspace)
        return fail(workspace.error());
    auto info = workspace.value()->dataset(parser.positionalArguments().front());
    if (!info)
        return fail(info.error());
    const QJsonObject counts = countsJson(info->name, info->report, toJson(info->summary));
    if (parser.isSet(QStringLiteral("json")))
        printJson(counts);
    else
        printCounts(counts);
    return Ok;
}

} // namespace swb::cli
