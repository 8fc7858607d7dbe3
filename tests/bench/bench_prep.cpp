// bench_prep: times our preparation (clean, de-duplicate, sessions, filter, split, features) on one
// imported file and prints one JSON line. run_prep_bench.sh runs it beside the same steps written
// with pandas (pandas_prep.py), checks that both give the same counts and reports the ratios; see
// README.md in this folder.
//
//   bench_prep --file F [--format NAME] [--config PREP.json]
//
// The file is imported with swb::importLog first (timed as import_seconds, for information only);
// then swb::prepare runs with the default PrepConfig, or the one in PREP.json, and is timed alone
// (prep_seconds: wall-clock seconds, steady clock, around the call).
//
// Memory, in MiB (2^20 bytes), from /proc/self/status and getrusage:
//   rss_before_prep_mb      resident set just before prepare: the loaded table plus what the
//                           allocator kept from the import
//   peak_rss_import_mb      process peak (VmHWM) before prepare: the import's peak
//   peak_rss_prep_mb        peak resident set while prepare ran, loaded table included; VmHWM is
//                           reset just before prepare (writing 5 to /proc/self/clear_refs), so
//                           this is not the import's peak. When the reset is refused
//                           (hwm_reset false) it is the process peak so far.
//   prep_increase_mb        peak_rss_prep_mb - rss_before_prep_mb: what preparing added
//   peak_rss_mb             the whole process's peak, import included: the largest of the VmHWM
//                           readings and getrusage's ru_maxrss (the reset lowers the latter, and
//                           so what /usr/bin/time reports for this process)
// step_seconds splits prep_seconds by step, from prepare's progress reports (features includes
// counting the distinct ids). The "steps" array is the preparation's own report (rows in and out
// of each step, removed rows by reason), so the counts can be compared with another
// implementation of the same steps.

#include "core/io/importer.h"
#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"
#include "core/prep/preparation.h"
#include "core/prep/prepconfig.h"

#include <QByteArray>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0; // ru_maxrss is KiB on Linux
}

// A "VmXXX:  1234 kB" line of /proc/self/status in MiB; -1 when unavailable.
double procStatusMb(const char* key)
{
    std::FILE* f = std::fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    const std::size_t keyLength = std::strlen(key);
    double mb = -1;
    char line[256];
    while (std::fgets(line, sizeof line, f)) {
        if (std::strncmp(line, key, keyLength) == 0 && line[keyLength] == ':') {
            long long kib = 0;
            if (std::sscanf(line + keyLength + 1, "%lld", &kib) == 1)
                mb = static_cast<double>(kib) / 1024.0;
            break;
        }
    }
    std::fclose(f);
    return mb;
}

// Resets VmHWM to the current resident set (Linux 4.0+), so a later VmHWM is the peak since now.
bool resetPeakRss()
{
    std::FILE* f = std::fopen("/proc/self/clear_refs", "w");
    if (!f)
        return false;
    const bool written = std::fputs("5", f) >= 0;
    return std::fclose(f) == 0 && written;
}

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Records when each step of prepare starts: prepare reports progress (i, 6) as step i begins and
// (6, 6) when it is done, on the calling thread, so the gaps are the steps' wall-clock seconds.
class StepClock final : public swb::ProgressSink
{
public:
    void report(std::int64_t done, std::int64_t total, const QString&) override
    {
        if (total == kSteps && done >= 0 && done <= kSteps)
            m_at[static_cast<std::size_t>(done)] = std::chrono::steady_clock::now();
    }
    // Seconds of step i (in the order clean, dedup, sessions, filter, split, features); -1 when
    // a boundary was not reported.
    double seconds(int i) const
    {
        const auto& begin = m_at[static_cast<std::size_t>(i)];
        const auto& end = m_at[static_cast<std::size_t>(i + 1)];
        if (!begin || !end)
            return -1;
        return std::chrono::duration<double>(*end - *begin).count();
    }
    static constexpr int kSteps = 6;

private:
    std::array<std::optional<std::chrono::steady_clock::time_point>, kSteps + 1> m_at{};
};

int usage(const char* message)
{
    if (message)
        std::fprintf(stderr, "bench_prep: %s\n", message);
    std::fprintf(stderr, "usage: bench_prep --file F [--format NAME] [--config PREP.json]\n");
    return 2;
}

int fail(const char* stage, const swb::Error& error)
{
    std::fprintf(stderr, "bench_prep: %s failed: %s\n", stage, error.toString().toLocal8Bit().constData());
    return 1;
}

struct Arguments
{
    QString file;
    QString format = QStringLiteral("taobao");
    QString config;
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
        else if (key == "--config")
            args.config = value;
        else
            return std::nullopt;
    }
    if (args.file.isEmpty())
        return std::nullopt;
    return args;
}

QJsonObject splitJson(const swb::PreparedData& data)
{
    QJsonObject split;
    for (int p = 0; p < swb::kSplitPartCount; ++p) {
        const swb::SplitSize& size = data.split[static_cast<std::size_t>(p)];
        split.insert(swb::splitPartKey(static_cast<swb::SplitPart>(p)),
                     QJsonObject{{QStringLiteral("events"), static_cast<qint64>(size.events)},
                                 {QStringLiteral("sessions"), static_cast<qint64>(size.sessions)}});
    }
    return split;
}

QJsonArray stepsJson(const swb::PreparedData& data)
{
    QJsonArray steps;
    for (const swb::StepReport& s : data.steps) {
        QJsonObject removed;
        for (const auto& [reason, count] : s.removedByReason)
            removed.insert(reason, static_cast<qint64>(count));
        steps.append(QJsonObject{{QStringLiteral("name"), s.name},
                                 {QStringLiteral("rows_in"), static_cast<qint64>(s.rowsIn)},
                                 {QStringLiteral("rows_out"), static_cast<qint64>(s.rowsOut)},
                                 {QStringLiteral("removed_by_reason"), removed}});
    }
    return steps;
}

} // namespace

int main(int argc, char** argv)
{
    const std::optional<Arguments> args = parseArguments(argc, argv);
    if (!args)
        return usage(nullptr);
    if (!QFileInfo(args->file).isFile())
        return usage("--file is not a readable file");

    swb::PrepConfig config;
    if (!args->config.isEmpty()) {
        swb::Result<swb::PrepConfig> read = swb::PrepConfig::fromJsonFile(args->config);
        if (!read)
            return fail("reading the config", read.error());
        config = read.value();
    }

    swb::NullProgress progress;
    const swb::CancelToken cancel;

    QJsonObject out;
    out.insert(QStringLiteral("tool"), QStringLiteral("swb"));
    out.insert(QStringLiteral("file"), args->file);
    out.insert(QStringLiteral("bytes"), QFileInfo(args->file).size());

    // Import: not part of the measurement, but reported so a slow run can be told apart.
    swb::ImportOptions options;
    options.files = QStringList{args->file};
    options.format = args->format;
    const auto importStart = std::chrono::steady_clock::now();
    swb::Result<swb::ImportResult> imported = swb::importLog(options, progress, cancel);
    const double importSeconds = secondsSince(importStart);
    if (!imported)
        return fail("import", imported.error());
    const swb::ImportReport& report = imported.value().report;
    std::shared_ptr<const swb::EventTable> table = imported.value().table;
    out.insert(QStringLiteral("rows"), static_cast<qint64>(table->size()));
    out.insert(QStringLiteral("rows_read"), static_cast<qint64>(report.rowsRead));
    out.insert(QStringLiteral("rows_rejected"), static_cast<qint64>(report.rowsRejected));
    out.insert(QStringLiteral("import_seconds"), importSeconds);
    out.insert(QStringLiteral("table_mb"), static_cast<double>(table->memoryBytes()) / kMiB);

    const double peakImport = procStatusMb("VmHWM");
    const double rssBefore = procStatusMb("VmRSS");
    const bool hwmReset = resetPeakRss();

    const auto prepStart = std::chrono::steady_clock::now();
    StepClock clock;
    swb::Result<swb::PreparedData> prepared = swb::prepare(table, config, clock, cancel);
    const double prepSeconds = secondsSince(prepStart);
    const double peakPrep = procStatusMb("VmHWM");
    if (!prepared)
        return fail("prepare", prepared.error());
    const swb::PreparedData& data = prepared.value();

    out.insert(QStringLiteral("prep_seconds"), prepSeconds);
    out.insert(QStringLiteral("steps"), stepsJson(data));
    QJsonObject stepSeconds;
    for (int i = 0; i < StepClock::kSteps && i < static_cast<int>(data.steps.size()); ++i)
        stepSeconds.insert(data.steps[static_cast<std::size_t>(i)].name, clock.seconds(i));
    out.insert(QStringLiteral("step_seconds"), stepSeconds);
    out.insert(QStringLiteral("events"), static_cast<qint64>(data.rows.size()));
    out.insert(QStringLiteral("sessions"), static_cast<qint64>(data.sessionCount()));
    out.insert(QStringLiteral("users"), static_cast<qint64>(data.users));
    out.insert(QStringLiteral("items"), static_cast<qint64>(data.items));
    out.insert(QStringLiteral("split"), splitJson(data));
    out.insert(QStringLiteral("unseen_in_validation"),
               QJsonObject{{QStringLiteral("items"), static_cast<qint64>(data.unseenItemsValidation)},
                           {QStringLiteral("users"), static_cast<qint64>(data.unseenUsersValidation)}});
    out.insert(QStringLiteral("unseen_in_test"),
               QJsonObject{{QStringLiteral("items"), static_cast<qint64>(data.unseenItemsTest)},
                           {QStringLiteral("users"), static_cast<qint64>(data.unseenUsersTest)}});
    out.insert(QStringLiteral("split_times"),
               QJsonObject{{QStringLiteral("validation_start"), static_cast<qint64>(data.validationStart)},
                           {QStringLiteral("test_start"), static_cast<qint64>(data.testStart)}});
    out.insert(QStringLiteral("features"), data.features.toJson());
    out.insert(QStringLiteral("config"), data.config.toJson());

    out.insert(QStringLiteral("peak_rss_import_mb"), peakImport);
    out.insert(QStringLiteral("rss_before_prep_mb"), rssBefore);
    out.insert(QStringLiteral("hwm_reset"), hwmReset);
    out.insert(QStringLiteral("peak_rss_prep_mb"), peakPrep);
    out.insert(QStringLiteral("prep_increase_mb"),
               peakPrep >= 0 && rssBefore >= 0 ? peakPrep - rssBefore : -1.0);
    // Resetting VmHWM also resets what getrusage (and /usr/bin/time) report, so the import's
    // peak read before the reset is taken into account here.
    out.insert(QStringLiteral("peak_rss_mb"), std::max({peakRssMb(), peakImport, peakPrep}));

    const QByteArray json = QJsonDocument(out).toJson(QJsonDocument::Compact);
    std::fwrite(json.constData(), 1, static_cast<std::size_t>(json.size()), stdout);
    std::fputc('\n', stdout);
    return 0;
}
