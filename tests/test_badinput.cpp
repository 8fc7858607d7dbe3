// Bad and odd input for importLog: every file in tests/data/bad (see make_corpus.py there for how
// each was written, byte for byte) plus three large files generated at run time. Each row of the
// table states the exact outcome a user should see: imported/rejected counts, the rejection reasons
// with their counts, where the first rejected row is, and every imported row written out.
//
// Line numbers are 1-based physical lines of the (decompressed) file, the header being line 1.
// Columns are 1-based field numbers; -1 in the table means "not checked" (the reason applies to
// the row as a whole and an importer may reasonably report 0 or the field).

#include "core/data/behaviour.h"
#include "core/data/eventtable.h"
#include "core/io/formatspec.h"
#include "core/io/importer.h"
#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <future>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using swb::Behaviour;

namespace {

// One imported row as the user should see it: original ids (Dictionary::text), behaviour, time.
struct ExpectedRow
{
    std::string user;
    std::string item;
    std::string category; // "" means Dictionary::kNone (the format has no category, or it was empty)
    Behaviour behaviour = Behaviour::View;
    std::int64_t ts = 0;                // Unix seconds UTC
    std::optional<std::string> brand;   // checked when set; "" means kNone
    std::optional<double> price;        // checked when set; NaN means absent
    std::optional<std::string> session; // checked when set
};
using ExpectedRows = std::vector<ExpectedRow>;

ExpectedRow row(const char* user, const char* item, const char* category, Behaviour b, std::int64_t ts)
{
    ExpectedRow r;
    r.user = user;
    r.item = item;
    r.category = category;
    r.behaviour = b;
    r.ts = ts;
    return r;
}

ExpectedRow sessionRow(const char* user, const char* item, const char* category, Behaviour b, std::int64_t ts,
                       const char* session)
{
    ExpectedRow r = row(user, item, category, b, ts);
    r.session = std::string(session);
    return r;
}

ExpectedRow reesRow(const char* user, const char* item, const char* category, Behaviour b, std::int64_t ts,
                    const char* brand, double price, const char* session)
{
    ExpectedRow r = sessionRow(user, item, category, b, ts, session);
    r.brand = std::string(brand);
    r.price = price;
    return r;
}

constexpr double kNoPrice = std::numeric_limits<double>::quiet_NaN();

// REES46 rows of make_corpus.py (R1..R4); 2019-10-01 00:00:00 UTC is 1569888000.
ExpectedRow rees1()
{
    return reesRow("541312140", "44600062", "2103807459595387724", Behaviour::View, 1569888000, "shiseido",
                   35.79, "72d76fde-8bb3-4e00-8c23-a032dfed738c");
}
ExpectedRow rees2()
{
    return reesRow("554748717", "3900821", "2053013552326770905", Behaviour::View, 1569888000, "aqua", 33.20,
                   "9333dfbd-b87a-4708-9857-6336556b0fcc");
}
ExpectedRow rees3()
{
    return reesRow("519107250", "17200506", "2053013559792632471", Behaviour::Cart, 1569888001, "", 543.10,
                   "566511c2-e2e3-422b-b695-cf8e6e792ca8");
}
ExpectedRow rees4()
{
    return reesRow("535871217", "1004237", "2053013555631882655", Behaviour::Buy, 1569888004, "apple",
                   1081.98, "c6bd7419-2748-4c56-95b4-8cec9ff8b80d");
}

const QByteArray kReesHeader = QByteArrayLiteral(
    "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n");
const QByteArray kReesLine1 =
    QByteArrayLiteral("2019-10-01 00:00:00 UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,"
                      "72d76fde-8bb3-4e00-8c23-a032dfed738c\n");
const QByteArray kReesLine2 = QByteArrayLiteral(
    "2019-10-01 00:00:00 UTC,view,3900821,2053013552326770905,appliances.environment.water_heater,aqua,33.20,"
    "554748717,9333dfbd-b87a-4708-9857-6336556b0fcc\n");
const QByteArray kReesLine3 = QByteArrayLiteral(
    "2019-10-01 00:00:01 UTC,cart,17200506,2053013559792632471,furniture.living_room.sofa,,543.10,519107250,"
    "566511c2-e2e3-422b-b695-cf8e6e792ca8\n");

// Frame of the generated long REES46 rows: user 3, item 1, category 2, session 4, price 1.00.
const QByteArray kLongRowPrefix = QByteArrayLiteral("2019-10-01 00:00:00 UTC,view,1,2,,");
const QByteArray kLongRowSuffix = QByteArrayLiteral(",1.00,3,4");

constexpr qint64 kHugeLineBytes = 100LL * 1024 * 1024; // the 100 MB line, never committed
constexpr qint64 kLongFieldBytes = 2LL * 1024 * 1024;  // the 2 MB field, above kMaxLineBytes (1 MiB)

// Writes prefix, then `repeat` copies of `fill`, then suffix, in 1 MiB chunks so the test itself
// never holds a large file in memory.
bool writeGenerated(const QString& path, const QByteArray& prefix, char fill, qint64 repeat,
                    const QByteArray& suffix)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    if (f.write(prefix) != prefix.size())
        return false;
    const QByteArray chunk(1024 * 1024, fill);
    for (qint64 left = repeat; left > 0; left -= chunk.size()) {
        const qint64 n = std::min<qint64>(left, chunk.size());
        if (f.write(chunk.constData(), n) != n)
            return false;
    }
    return f.write(suffix) == suffix.size() && f.flush();
}

QString codeName(swb::ErrorCode code)
{
    switch (code) {
    case swb::ErrorCode::Cancelled:
        return QStringLiteral("Cancelled");
    case swb::ErrorCode::InvalidArgument:
        return QStringLiteral("InvalidArgument");
    case swb::ErrorCode::FileUnreadable:
        return QStringLiteral("FileUnreadable");
    case swb::ErrorCode::FormatUnknown:
        return QStringLiteral("FormatUnknown");
    case swb::ErrorCode::InputRejected:
        return QStringLiteral("InputRejected");
    case swb::ErrorCode::Corrupt:
        return QStringLiteral("Corrupt");
    case swb::ErrorCode::Storage:
        return QStringLiteral("Storage");
    case swb::ErrorCode::NotFound:
        return QStringLiteral("NotFound");
    }
    return QStringLiteral("?");
}

// "a=1,b=2" -> map, the whole expected rejectedByReason.
std::map<QString, std::int64_t> parseReasons(const QString& text)
{
    std::map<QString, std::int64_t> out;
    const QStringList parts = text.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString& part : parts) {
        const QStringList kv = part.split(QLatin1Char('='));
        out[kv.value(0)] = kv.value(1).toLongLong();
    }
    return out;
}

QString reasonsText(const std::map<QString, std::int64_t>& reasons)
{
    QStringList parts;
    for (const auto& [k, v] : reasons)
        parts << k + QLatin1Char('=') + QString::number(v);
    return parts.join(QLatin1Char(','));
}

QString str(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

QString codeText(const swb::Dictionary& dict, std::uint32_t code)
{
    return code == swb::Dictionary::kNone ? QString() : str(dict.text(code));
}

// Runs importLog on another thread so a hang fails the test (and cancels the import) instead of
// blocking it until the CTest timeout. The limit is a hang guard, not a speed assertion.
std::optional<swb::Result<swb::ImportResult>> importGuarded(const swb::ImportOptions& options,
                                                            std::chrono::seconds limit)
{
    swb::CancelToken cancel;
    auto promise = std::make_shared<std::promise<swb::Result<swb::ImportResult>>>();
    auto future = promise->get_future();
    std::thread worker([options, cancel, promise] {
        swb::NullProgress progress;
        promise->set_value(swb::importLog(options, progress, cancel));
    });
    if (future.wait_for(limit) != std::future_status::ready) {
        cancel.cancel();
        if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
            worker.detach(); // hung even after cancel: leave it, the test fails
            return std::nullopt;
        }
        worker.join();
        return std::nullopt;
    }
    worker.join();
    return future.get();
}

// What a result says, for failure messages (QVERIFY2 evaluates its message even when it passes).
QString describe(const swb::Result<swb::ImportResult>& r)
{
    if (!r.ok())
        return QStringLiteral("error %1").arg(r.error().toString());
    return QStringLiteral("imported %1 rows (%2 rejected)")
        .arg(r.value().report.rowsImported)
        .arg(r.value().report.rowsRejected);
}

long maxRssKiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss; // KiB on Linux
}

} // namespace

Q_DECLARE_METATYPE(ExpectedRows)

class TestBadInput : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString pathOf(const QString& file) const
    {
        if (file.startsWith(QLatin1String("gen:")))
            return m_dir.filePath(file.mid(4));
        return swb::test::testDataFile(QStringLiteral("bad/") + file);
    }

    // Runs one import as the table row describes (format "" = detect, "generic:<mapping.json>").
    std::optional<swb::Result<swb::ImportResult>> run(const QString& file, const QString& format, bool strict,
                                                      std::optional<swb::Error>* mappingError)
    {
        swb::ImportOptions options;
        options.files = QStringList{pathOf(file)};
        options.strict = strict;
        if (format.startsWith(QLatin1String("generic:"))) {
            auto spec = swb::formatFromMappingFile(pathOf(format.mid(8)));
            if (!spec.ok()) {
                *mappingError = spec.error();
                return std::nullopt;
            }
            options.spec = spec.value();
            options.format = QStringLiteral("generic");
        } else {
            options.format = format;
        }
        return importGuarded(options, std::chrono::seconds(180));
    }

private slots:
    void initTestCase();
    void hugeLineIsSkippedWithoutHoldingIt();
    void importBadInput_data();
    void importBadInput();
};

void TestBadInput::initTestCase()
{
    QVERIFY2(m_dir.isValid(), qPrintable(m_dir.errorString()));
    QVERIFY2(QFileInfo(swb::test::testDataFile(QStringLiteral("bad/empty.csv"))).isFile(),
             "tests/data/bad is missing; run tests/data/bad/make_corpus.py");

    // A single 100 MiB line with no newline: a plausible row start, then digits to the end.
    QVERIFY(writeGenerated(m_dir.filePath(QStringLiteral("huge_line_only.csv")),
                           QByteArrayLiteral("1001,2000001,300001,pv,1511544070"), '7', kHugeLineBytes, {}));
    // Two good rows, then the same 100 MiB line, no newline at the end.
    QVERIFY(writeGenerated(m_dir.filePath(QStringLiteral("huge_line_after_rows.csv")),
                           QByteArrayLiteral("1001,2000001,300001,pv,1511544070\n"
                                             "1001,2000002,300002,buy,1511561733\n"
                                             "1001,2000003,300001,pv,1511572885"),
                           '7', kHugeLineBytes, {}));
    // REES46: header, a good row, a row whose brand is 2 MiB long, two more good rows.
    QVERIFY(writeGenerated(m_dir.filePath(QStringLiteral("rees46_2mb_field.csv")),
                           kReesHeader + kReesLine1 + QByteArrayLiteral("2019-10-01 00:00:00 UTC,view,1,2,,"),
                           'b', kLongFieldBytes, QByteArrayLiteral(",1.00,3,4\n") + kReesLine2 + kReesLine3));
    // REES46 lines just under and just over kMaxLineBytes (without the newline): 1 MiB - 1 bytes
    // imports, 1 MiB + 1 bytes is line_too_long, whether or not the newline is counted.
    {
        QFile f(m_dir.filePath(QStringLiteral("rees46_line_near_limit.csv")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        const qsizetype frame = kLongRowPrefix.size() + kLongRowSuffix.size();
        f.write(kReesHeader);
        f.write(kLongRowPrefix + QByteArray(qsizetype(swb::kMaxLineBytes) - 1 - frame, 'b') + kLongRowSuffix +
                '\n');
        f.write(kLongRowPrefix + QByteArray(qsizetype(swb::kMaxLineBytes) + 1 - frame, 'b') + kLongRowSuffix +
                '\n');
        f.write(kReesLine2);
    }
    // 250 rejected rows between good ones: all counted, only ImportOptions::maxErrors (100) listed.
    {
        QByteArray bytes = QByteArrayLiteral("1001,2000001,300001,pv,1511544070\n");
        for (int i = 0; i < 250; ++i)
            bytes += QByteArrayLiteral("1001,2000002,300002,click,1511561733\n");
        bytes +=
            QByteArrayLiteral("1002,2000003,300001,buy,1511572885\n1002,2000004,300003,cart,1511593493\n");
        QFile f(m_dir.filePath(QStringLiteral("many_bad_rows.csv")));
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size());
    }
    // A directory where a file is expected (does_not_exist.csv is, as named, never created).
    QVERIFY(QDir(m_dir.path()).mkdir(QStringLiteral("a_directory.csv")));
}

// The 100 MB line must be skipped as line_too_long without being held: the import finishes (no
// hang) and the process's peak memory grows far less than the line's size.
void TestBadInput::hugeLineIsSkippedWithoutHoldingIt()
{
    swb::ImportOptions options;
    options.files = QStringList{m_dir.filePath(QStringLiteral("huge_line_after_rows.csv"))};
    options.format = QStringLiteral("taobao");
    const long before = maxRssKiB();
    auto result = importGuarded(options, std::chrono::seconds(180));
    QVERIFY2(result.has_value(), "importLog did not finish on a 100 MB line within 180 s (hang?)");
    const long grownMiB = (maxRssKiB() - before) / 1024;
    qInfo("peak memory grew by %ld MiB", grownMiB);
    QVERIFY2(result->ok(), qPrintable(describe(*result)));
    QCOMPARE(result->value().report.rowsImported, 2);
    QCOMPARE(result->value().report.rowsRejected, 1);
    QCOMPARE(result->value().report.rejectedByReason[QString::fromLatin1(swb::reject::LineTooLong)], 1);
    // 64 MiB: well below the line's 100 MiB, so the line cannot have been held whole; reading
    // buffers of a few MiB per thread fit easily.
    QVERIFY2(grownMiB < 64, qPrintable(QStringLiteral("peak memory grew by %1 MiB while importing a file "
                                                      "with a 100 MiB line")
                                           .arg(grownMiB)));
}

void TestBadInput::importBadInput_data()
{
    QTest::addColumn<QString>("file");         // in tests/data/bad, or "gen:<name>" generated above
    QTest::addColumn<QString>("format");       // "" = detect; "generic:<mapping.json>"
    QTest::addColumn<QString>("expectFormat"); // report.format expected ("" = not checked)
    QTest::addColumn<QString>("outcome");      // "ok", or the ErrorCode name(s), '|' between alternatives
    QTest::addColumn<qint64>("imported");
    QTest::addColumn<qint64>("rejected");
    QTest::addColumn<qint64>("blank");
    QTest::addColumn<QString>("reasons");  // the whole rejectedByReason, "key=count,..."
    QTest::addColumn<qint64>("firstLine"); // line of the first rejected row (0: none)
    QTest::addColumn<int>("firstColumn");  // its column (-1: not checked)
    QTest::addColumn<QString>("firstReason");
    QTest::addColumn<QString>("mustContain"); // for errors: text the message must contain
    QTest::addColumn<ExpectedRows>("rows");   // every imported row, in file order

    const auto V = Behaviour::View;
    const auto F = Behaviour::Fav;
    const auto C = Behaviour::Cart;
    const auto B = Behaviour::Buy;
    const QString ok = QStringLiteral("ok");
    const QString none;

    // ---- file-level failures: an Error naming the file, nothing imported ----
    // An empty file: nothing to detect and nothing to import. "empty" must be said.
    QTest::newRow("empty, taobao") << "empty.csv"
                                   << "taobao" << none << "InputRejected" << 0LL << 0LL << 0LL << none << 0LL
                                   << -1 << none << "empty" << ExpectedRows{};
    QTest::newRow("empty, detect") << "empty.csv"
                                   << "" << none << "InputRejected|FormatUnknown" << 0LL << 0LL << 0LL << none
                                   << 0LL << -1 << none << "empty" << ExpectedRows{};
    // Only a BOM: empty once the BOM is stripped.
    QTest::newRow("bom only") << "bom_only.csv"
                              << "taobao" << none << "InputRejected" << 0LL << 0LL << 0LL << none << 0LL << -1
                              << none << none << ExpectedRows{};
    // Four blank lines (one CRLF): no rows at all.
    QTest::newRow("only blank lines") << "only_blank_lines.csv"
                                      << "taobao" << none << "InputRejected" << 0LL << 0LL << 0LL << none
                                      << 0LL << -1 << none << none << ExpectedRows{};
    // The REES46 header is recognised, but there is no data row: "no rows imported".
    QTest::newRow("rees46 header only") << "rees46_header_only.csv"
                                        << "" << none << "InputRejected" << 0LL << 0LL << 0LL << none << 0LL
                                        << -1 << none << none << ExpectedRows{};
    // Three rows, all rejected (line 1 unknown_behaviour "click" in column 4, line 2 wrong column
    // count, line 3 invalid_id): an error, not an empty dataset. Strict stops at line 1.
    QTest::newRow("all rows rejected") << "taobao_all_rows_rejected.csv"
                                       << "taobao" << none << "InputRejected" << 0LL << 0LL << 0LL << none
                                       << 1LL << 4 << none << none << ExpectedRows{};
    // A PNG named .csv: no format fits.
    QTest::newRow("png, detect") << "really_a_png.csv"
                                 << "" << none << "FormatUnknown" << 0LL << 0LL << 0LL << none << 0LL << -1
                                 << none << none << ExpectedRows{};
    // The same PNG forced to taobao: a binary file or nothing importable; either way an error.
    QTest::newRow("png, taobao") << "really_a_png.csv"
                                 << "taobao" << none << "InputRejected|Corrupt|FormatUnknown" << 0LL << 0LL
                                 << 0LL << none << 0LL << -1 << none << none << ExpectedRows{};
    // 400 rows gzipped, cut after half the compressed bytes (about 200 rows decompress): the
    // whole import fails as Corrupt, nothing from the readable part is returned.
    QTest::newRow("truncated gz") << "taobao_truncated.csv.gz"
                                  << "" << none << "Corrupt" << 0LL << 0LL << 0LL << none << 0LL << -1 << none
                                  << none << ExpectedRows{};
    // A mapping with a misspelt key ("delimter") is refused, naming the key.
    QTest::newRow("generic, unknown mapping key")
        << "generic_unknown_key.tsv"
        << "generic:generic_unknown_key.json" << none << "InvalidArgument|FormatUnknown" << 0LL << 0LL << 0LL
        << none << 0LL << -1 << none << "delimter" << ExpectedRows{};
    // One 100 MiB line, no newline, forced to taobao: its only row is line_too_long.
    QTest::newRow("100 MB single line") << "gen:huge_line_only.csv"
                                        << "taobao" << none << "InputRejected" << 0LL << 0LL << 0LL << none
                                        << 1LL << -1 << none << none << ExpectedRows{};

    // Not there / not a file: unreadable, naming the path.
    QTest::newRow("missing file") << "gen:does_not_exist.csv"
                                  << "taobao" << none << "FileUnreadable" << 0LL << 0LL << 0LL << none << 0LL
                                  << -1 << none << none << ExpectedRows{};
    QTest::newRow("directory") << "gen:a_directory.csv"
                               << "" << none << "FileUnreadable" << 0LL << 0LL << 0LL << none << 0LL << -1
                               << none << none << ExpectedRows{};

    // ---- good files with a twist: everything imports ----
    // Two gzip members back to back (cat a.gz b.gz): both are read, four rows.
    QTest::newRow("multi-member gz") << "taobao_multimember.csv.gz"
                                     << ""
                                     << "taobao" << ok << 4LL << 0LL << 0LL << none << 0LL << -1 << none
                                     << none
                                     << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                                                     row("1001", "2000002", "300002", F, 1511561733),
                                                     row("1002", "2000001", "300001", C, 1511572885),
                                                     row("1002", "2000003", "300001", B, 1511593493)};
    // ISO-8601 offsets are honoured: Z, +02:00 and -05:00 spellings of the same second.
    QTest::newRow("yoochoose offsets")
        << "yoochoose_clicks_offsets.dat"
        << "yoochoose-clicks" << none << ok << 3LL << 0LL << 0LL << none << 0LL << -1 << none << none
        << ExpectedRows{sessionRow("1", "214536502", "0", V, 1396867869, "1"),
                        sessionRow("1", "214536500", "0", V, 1396867869, "1"),
                        sessionRow("1", "214536506", "0", V, 1396867869, "1")};
    QTest::newRow("valid gz") << "taobao_valid.csv.gz"
                              << ""
                              << "taobao" << ok << 3LL << 0LL << 0LL << none << 0LL << -1 << none << none
                              << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                                              row("1001", "2000002", "300002", F, 1511561733),
                                              row("1002", "2000001", "300001", B, 1511572885)};
    // A BOM before the first row must not end up in the first user id, nor stop detection.
    QTest::newRow("utf8 bom") << "taobao_utf8_bom.csv"
                              << ""
                              << "taobao" << ok << 3LL << 0LL << 0LL << none << 0LL << -1 << none << none
                              << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                                              row("1001", "2000002", "300002", F, 1511561733),
                                              row("1002", "2000001", "300001", B, 1511572885)};
    // CRLF: the \r must not stick to the last field (the timestamp).
    QTest::newRow("taobao crlf") << "taobao_crlf.csv"
                                 << "taobao"
                                 << "taobao" << ok << 3LL << 0LL << 0LL << none << 0LL << -1 << none << none
                                 << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                                                 row("1001", "2000002", "300002", C, 1511561733),
                                                 row("1002", "2000001", "300001", B, 1511572885)};
    // CRLF REES46, detected: the \r must not stick to the session id.
    QTest::newRow("rees46 crlf") << "rees46_crlf.csv"
                                 << ""
                                 << "rees46" << ok << 4LL << 0LL << 0LL << none << 0LL << -1 << none << none
                                 << ExpectedRows{rees1(), rees2(), rees3(), rees4()};
    // RFC-4180 quotes: brand `a,b "x"`, quoted category_code, every field quoted in row 3 with
    // brand `"quoted"` and an empty quoted category_code.
    QTest::newRow("rees46 quoted fields")
        << "rees46_quoted_fields.csv"
        << "rees46"
        << "rees46" << ok << 3LL << 0LL << 0LL << none << 0LL << -1 << none << none
        << ExpectedRows{reesRow("541312140", "44600062", "2103807459595387724", V, 1569888000, "a,b \"x\"",
                                35.79, "72d76fde-8bb3-4e00-8c23-a032dfed738c"),
                        reesRow("554748717", "3900821", "2053013552326770905", C, 1569888001, "aqua", 33.20,
                                "9333dfbd-b87a-4708-9857-6336556b0fcc"),
                        reesRow("519107250", "17200506", "2053013559792632471", B, 1569888002, "\"quoted\"",
                                543.10, "566511c2-e2e3-422b-b695-cf8e6e792ca8")};
    // The last row is complete but has no newline: it is a row like the others.
    QTest::newRow("no final newline")
        << "taobao_no_final_newline.csv"
        << "taobao" << none << ok << 3LL << 0LL << 0LL << none << 0LL << -1 << none << none
        << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                        row("1001", "2000002", "300002", V, 1511561733),
                        row("1001", "2000003", "300001", F, 1511572885)};
    // Ids beyond 2^53 and 2^64 are text: they survive digit for digit.
    QTest::newRow("ids beyond 2^64")
        << "taobao_ids_beyond_2p64.csv"
        << "taobao" << none << ok << 3LL << 0LL << 0LL << none << 0LL << -1 << none << none
        << ExpectedRows{
               row("9007199254740993", "9007199254740995", "300001", V, 1511544070),
               row("18446744073709551617", "18446744073709551616", "18446744073709551615", B, 1511561733),
               row("123456789012345678901234567890", "1", "300001", C, 1511572885)};
    // Lines 2, 4, 5 are blank: counted in blankLines, not as rows.
    QTest::newRow("blank lines") << "taobao_blank_lines.csv"
                                 << "taobao" << none << ok << 3LL << 0LL << 3LL << none << 0LL << -1 << none
                                 << none
                                 << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                                                 row("1001", "2000002", "300002", V, 1511561733),
                                                 row("1001", "2000003", "300001", F, 1511572885)};
    // Lines 2, 4, 5 hold only spaces/tabs: blank to a reader, counted as blank lines.
    QTest::newRow("whitespace-only lines")
        << "taobao_whitespace_only_lines.csv"
        << "taobao" << none << ok << 3LL << 0LL << 3LL << none << 0LL << -1 << none << none
        << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                        row("1001", "2000002", "300002", V, 1511561733),
                        row("1001", "2000003", "300001", F, 1511572885)};

    // ---- Taobao rows rejected with a reason ----
    // Line 2 has 4 fields, line 4 has 6.
    QTest::newRow("wrong column count") << "taobao_wrong_column_count.csv"
                                        << "taobao" << none << ok << 3LL << 2LL << 0LL
                                        << "wrong_column_count=2" << 2LL << 0 << "wrong_column_count" << none
                                        << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                                                        row("1001", "2000003", "300001", F, 1511572885),
                                                        row("1002", "2000001", "300001", B, 1511596146)};
    // Line 2 user "abc" (column 1), line 3 item "20x0003", line 5 item "-5".
    QTest::newRow("non-numeric id") << "taobao_non_numeric_id.csv"
                                    << "taobao" << none << ok << 2LL << 3LL << 0LL << "invalid_id=3" << 2LL
                                    << 1 << "invalid_id" << none
                                    << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                                                    row("1002", "2000004", "300003", C, 1511593493)};
    // -1511561733 (1922) and -1 (1969) are numbers but before 1990-01-01.
    QTest::newRow("negative timestamp")
        << "taobao_negative_timestamp.csv"
        << "taobao" << none << ok << 2LL << 2LL << 0LL << "timestamp_out_of_range=2" << 2LL << 5
        << "timestamp_out_of_range" << none
        << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                        row("1001", "2000003", "300001", F, 1511572885)};
    // Out of range: line 2 (year 3000), 3 (99999999999), 5 (631151999, one second before 1990);
    // imported: lines 1, 4 (exactly 1990-01-01) and 6 (2099-12-31 23:59:59); line 7 "yesterday".
    QTest::newRow("absurd timestamp")
        << "taobao_absurd_timestamp.csv"
        << "taobao" << none << ok << 3LL << 4LL << 0LL << "invalid_timestamp=1,timestamp_out_of_range=3"
        << 2LL << 5 << "timestamp_out_of_range" << none
        << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                        row("1002", "2000004", "300003", C, 631152000),
                        row("1003", "2000005", "300004", V, 4102444799)};
    // "click" (line 2) and "purchase" (line 6) are not Taobao behaviours.
    QTest::newRow("unknown behaviour") << "taobao_unknown_behaviour.csv"
                                       << "taobao" << none << ok << 4LL << 2LL << 0LL << "unknown_behaviour=2"
                                       << 2LL << 4 << "unknown_behaviour" << none
                                       << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                                                       row("1001", "2000003", "300001", B, 1511572885),
                                                       row("1002", "2000004", "300003", F, 1511593493),
                                                       row("1002", "2000001", "300001", C, 1511596146)};
    // Line 4 is cut after "3000" with no newline: 3 fields.
    QTest::newRow("truncated last line") << "taobao_truncated_last_line.csv"
                                         << "taobao" << none << ok << 3LL << 1LL << 0LL
                                         << "wrong_column_count=1" << 4LL << 0 << "wrong_column_count" << none
                                         << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                                                         row("1001", "2000002", "300002", V, 1511561733),
                                                         row("1001", "2000003", "300001", F, 1511572885)};
    // NUL inside an id (line 2), a line of only NULs (4), a trailing NUL (5).
    QTest::newRow("nul bytes") << "taobao_nul_bytes.csv"
                               << "taobao" << none << ok << 3LL << 3LL << 0LL << "nul_byte=3" << 2LL << -1
                               << "nul_byte" << none
                               << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                                               row("1001", "2000003", "300001", F, 1511572885),
                                               row("1002", "2000001", "300001", B, 1511596146)};
    // Line 2 opens a quote that never closes; quotes do not span lines, so line 3 is a row again.
    QTest::newRow("unterminated quote") << "taobao_unterminated_quote.csv"
                                        << "taobao" << none << ok << 3LL << 1LL << 0LL
                                        << "unterminated_quote=1" << 2LL << -1 << "unterminated_quote" << none
                                        << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                                                        row("1001", "2000003", "300001", F, 1511572885),
                                                        row("1002", "2000004", "300003", C, 1511593493)};
    // Line 2 ",,,," has five empty fields (first missing: user, column 1); line 4 has nine.
    QTest::newRow("only delimiters") << "taobao_only_delimiters.csv"
                                     << "taobao" << none << ok << 2LL << 2LL << 0LL
                                     << "missing_field=1,wrong_column_count=1" << 2LL << 1 << "missing_field"
                                     << none
                                     << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                                                     row("1001", "2000002", "300002", V, 1511561733)};
    // 15 lines: 1 blank (4), 14 rows; rejected 3 (no timestamp, column 5), 6 ("like"), 7 ("x1002"),
    // 8 (6 fields), 10 (milliseconds: year 49870), 12 ("15117414.71"); the 8 others import,
    // line 14 with a quoted item id.
    QTest::newRow("mixed good and bad")
        << "taobao_mixed_good_bad.csv"
        << "taobao" << none << ok << 8LL << 6LL << 1LL
        << "invalid_id=1,invalid_timestamp=1,missing_field=1,timestamp_out_of_range=1,unknown_behaviour=1,"
           "wrong_column_count=1"
        << 3LL << 5 << "missing_field" << none
        << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                        row("1001", "2000002", "300002", F, 1511561733),
                        row("1002", "2000004", "300003", B, 1511593493),
                        row("1003", "2000007", "300005", V, 1511713473),
                        row("1003", "2000009", "300005", V, 1511733732),
                        row("1004", "2000011", "300007", V, 1511750828),
                        row("1004", "2000012", "300008", B, 1511758881),
                        row("1004", "2000013", "300001", V, 1511773214)};
    // The same file, detected: bad rows among the first lines must not defeat detection.
    QTest::newRow("mixed good and bad, detect")
        << "taobao_mixed_good_bad.csv"
        << ""
        << "taobao" << ok << 8LL << 6LL << 1LL
        << "invalid_id=1,invalid_timestamp=1,missing_field=1,timestamp_out_of_range=1,unknown_behaviour=1,"
           "wrong_column_count=1"
        << 3LL << 5 << "missing_field" << none
        << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                        row("1001", "2000002", "300002", F, 1511561733),
                        row("1002", "2000004", "300003", B, 1511593493),
                        row("1003", "2000007", "300005", V, 1511713473),
                        row("1003", "2000009", "300005", V, 1511733732),
                        row("1004", "2000011", "300007", V, 1511750828),
                        row("1004", "2000012", "300008", B, 1511758881),
                        row("1004", "2000013", "300001", V, 1511773214)};
    // A valid .gz whose line 3 says "like" (column 4): lines are counted in the decompressed text.
    QTest::newRow("gz with a bad row") << "taobao_bad_rows.csv.gz"
                                       << "taobao" << none << ok << 3LL << 1LL << 0LL << "unknown_behaviour=1"
                                       << 3LL << 4 << "unknown_behaviour" << none
                                       << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                                                       row("1001", "2000002", "300002", V, 1511561733),
                                                       row("1002", "2000004", "300003", C, 1511593493)};
    // Line 1 good, lines 2..251 "click" (column 4), lines 252, 253 good.
    QTest::newRow("250 bad rows") << "gen:many_bad_rows.csv"
                                  << "taobao" << none << ok << 3LL << 250LL << 0LL << "unknown_behaviour=250"
                                  << 2LL << 4 << "unknown_behaviour" << none
                                  << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                                                  row("1002", "2000003", "300001", B, 1511572885),
                                                  row("1002", "2000004", "300003", C, 1511593493)};
    // Two good rows, then a 100 MiB line (no newline) from initTestCase, detected as taobao.
    QTest::newRow("100 MB line after rows")
        << "gen:huge_line_after_rows.csv"
        << ""
        << "taobao" << ok << 2LL << 1LL << 0LL << "line_too_long=1" << 3LL << -1 << "line_too_long" << none
        << ExpectedRows{row("1001", "2000001", "300001", V, 1511544070),
                        row("1001", "2000002", "300002", B, 1511561733)};

    // ---- REES46 rows rejected with a reason ----
    // Line 3 brand "citro\xEB" (Latin-1), line 5 a cut UTF-8 sequence; line 4 is the same brand in
    // UTF-8 and imports exactly.
    QTest::newRow("rees46 latin1 brand")
        << "rees46_latin1_brand.csv"
        << "rees46"
        << "rees46" << ok << 3LL << 2LL << 0LL << "invalid_utf8=2" << 3LL << -1 << "invalid_utf8" << none
        << ExpectedRows{rees1(),
                        reesRow("555446068", "5100817", "2053013553375346967", V, 1569888003,
                                "citro\xc3\xabn", 29.51, "4e7f0b74-5d4b-4f0c-8a3e-0b5e9a1f9c1a"),
                        rees2()};
    // The header repeated at line 4 (as when files are concatenated).
    QTest::newRow("rees46 duplicate header")
        << "rees46_duplicate_header.csv"
        << "rees46"
        << "rees46" << ok << 4LL << 1LL << 0LL << "duplicate_header=1" << 4LL << -1 << "duplicate_header"
        << none << ExpectedRows{rees1(), rees2(), rees3(), rees4()};
    // Line 3 empty user_id (column 8), line 5 empty product_id (3), line 7 empty event_type (2);
    // line 6 has empty category_code and brand, which are optional.
    QTest::newRow("rees46 missing field")
        << "rees46_missing_field.csv"
        << "rees46"
        << "rees46" << ok << 3LL << 3LL << 0LL << "missing_field=3" << 3LL << 8 << "missing_field" << none
        << ExpectedRows{rees1(), rees2(),
                        reesRow("513642368", "23100006", "2053013561638126333", V, 1569888017, "", 357.79,
                                "17566c27-0a8f-4506-9f30-c6a2ccbf583b")};
    // Prices "abc" (line 3), "inf" (5), "12.5.3" (6) are rejected; an empty price (4) is absent
    // (NaN) and 0 (7) is a price.
    QTest::newRow("rees46 invalid price")
        << "rees46_invalid_price.csv"
        << "rees46"
        << "rees46" << ok << 3LL << 3LL << 0LL << "invalid_price=3" << 3LL << 7 << "invalid_price" << none
        << ExpectedRows{rees1(),
                        reesRow("519107250", "17200506", "2053013559792632471", V, 1569888001, "", kNoPrice,
                                "566511c2-e2e3-422b-b695-cf8e6e792ca8"),
                        reesRow("512742880", "1480613", "2053013561092866779", V, 1569888005, "pulser", 0.0,
                                "0d0d91c2-c9c2-4e81-90a5-86594dec0db9")};
    // Line 3's brand is 2 MiB (the line is over kMaxLineBytes); the rows around it import.
    QTest::newRow("rees46 2 MB field")
        << "gen:rees46_2mb_field.csv"
        << "rees46"
        << "rees46" << ok << 3LL << 1LL << 0LL << "line_too_long=1" << 3LL << -1 << "line_too_long" << none
        << ExpectedRows{rees1(), rees2(), rees3()};

    // Calendar checks: 2019-02-30 (line 3, column 1), hour 25 (4), a CET zone (5) are rejected;
    // 2020-02-29 12:00 UTC (6) is a real day, 1582977600.
    QTest::newRow("rees46 invalid date")
        << "rees46_invalid_date.csv"
        << "rees46"
        << "rees46" << ok << 3LL << 3LL << 0LL << "invalid_timestamp=3" << 3LL << 1 << "invalid_timestamp"
        << none
        << ExpectedRows{rees1(),
                        reesRow("554748717", "3900821", "2053013552326770905", V, 1582977600, "aqua", 33.20,
                                "9333dfbd-b87a-4708-9857-6336556b0fcc"),
                        rees3()};
    {
        // Lines of 1 MiB - 1 (line 2, imported with its whole brand) and 1 MiB + 1 bytes (line 3).
        const auto frame = static_cast<std::size_t>(kLongRowPrefix.size() + kLongRowSuffix.size());
        QTest::newRow("rees46 lines at the 1 MiB limit")
            << "gen:rees46_line_near_limit.csv"
            << "rees46"
            << "rees46" << ok << 2LL << 1LL << 0LL << "line_too_long=1" << 3LL << -1 << "line_too_long"
            << none
            << ExpectedRows{reesRow("3", "1", "2", V, 1569888000,
                                    std::string(swb::kMaxLineBytes - 1 - frame, 'b').c_str(), 1.0, "4"),
                            rees2()};
    }

    // ---- other formats ----
    // Diginetica: "NA" users become "session:<id>"; time = eventdate (2016-05-09 = 1462752000) +
    // timeframe ms, whole seconds. Line 7's timeframe "xyz" (column 4) is rejected.
    QTest::newRow("diginetica NA user")
        << "diginetica_na_user.csv"
        << ""
        << "diginetica" << ok << 5LL << 1LL << 0LL << "invalid_timestamp=1" << 7LL << 4 << "invalid_timestamp"
        << none
        << ExpectedRows{sessionRow("session:1", "81766", "", V, 1462752526, "1"),
                        sessionRow("session:1", "31331", "", V, 1462753031, "1"),
                        sessionRow("session:2", "32118", "", V, 1462752243, "2"),
                        sessionRow("5773", "12352", "", V, 1462752058, "3"),
                        sessionRow("session:4", "35077", "", V, 1462838400, "4")};
    // RetailRocket: ms timestamps; "click" (line 4, column 3) is not an event.
    QTest::newRow("retailrocket unknown event")
        << "retailrocket_unknown_event.csv"
        << ""
        << "retailrocket" << ok << 4LL << 1LL << 0LL << "unknown_behaviour=1" << 4LL << 3
        << "unknown_behaviour" << none
        << ExpectedRows{
               row("257597", "355908", "", V, 1433221332), row("992329", "248676", "", V, 1433224214),
               row("483717", "253185", "", C, 1433221955), row("483717", "253185", "", B, 1433222000)};
    // Tianchi: behaviour 1..4 = view, fav, cart, buy; 7 (line 4) and 0 (line 8) are unknown.
    // "2014-12-08 18" is 18:00 UTC = 1418061600.
    QTest::newRow("tianchi behaviour 7")
        << "tianchi_behaviour_7.csv"
        << ""
        << "tianchi" << ok << 5LL << 2LL << 0LL << "unknown_behaviour=2" << 4LL << 3 << "unknown_behaviour"
        << none
        << ExpectedRows{row("10001082", "285259775", "4076", V, 1418061600),
                        row("10001082", "4368907", "5503", V, 1418385600),
                        row("10001082", "53616768", "9762", C, 1417532400),
                        row("100029775", "128768479", "10894", B, 1417813200),
                        row("100029775", "128768479", "10894", F, 1417813200)};
    // YOOCHOOSE clicks: each session is its own user; fractions of a second are dropped. Line 3
    // "2014-13-45T99:00:00.000Z" and line 5 "yesterday" (column 2) are rejected.
    QTest::newRow("yoochoose clicks bad timestamp")
        << "yoochoose_clicks_bad_timestamp.dat"
        << "yoochoose-clicks" << none << ok << 6LL << 2LL << 0LL << "invalid_timestamp=2" << 3LL << 2
        << "invalid_timestamp" << none << ExpectedRows{sessionRow("1", "214536502", "0", V, 1396867869, "1"),
                                                       sessionRow("1", "214536500", "0", V, 1396868049, "1"),
                                                       sessionRow("2", "214662742", "0", V, 1396878997, "2"),
                                                       sessionRow("3", "214716935", "S", V, 1396444666, "3"),
                                                       sessionRow("3", "214774687", "2", V, 1396445162, "3"),
                                                       sessionRow("4", "214821275", "0", V, 1396872550, "4")};
    // Generic TSV: "wishlist" (line 4, column 3) is not in the mapping; line 6 has no user.
    QTest::newRow("generic bad rows")
        << "generic_bad_rows.tsv"
        << "generic:generic_bad_rows.json" << none << ok << 3LL << 2LL << 0LL
        << "missing_field=1,unknown_behaviour=1" << 4LL << 3 << "unknown_behaviour" << none
        << ExpectedRows{row("c-100", "sku-1", "", V, 1700000000), row("c-100", "sku-2", "", C, 1700000060),
                        row("c-101", "sku-3", "", B, 1700000180)};
}

void TestBadInput::importBadInput()
{
    QFETCH(QString, file);
    QFETCH(QString, format);
    QFETCH(QString, expectFormat);
    QFETCH(QString, outcome);
    QFETCH(qint64, imported);
    QFETCH(qint64, rejected);
    QFETCH(qint64, blank);
    QFETCH(QString, reasons);
    QFETCH(qint64, firstLine);
    QFETCH(int, firstColumn);
    QFETCH(QString, firstReason);
    QFETCH(QString, mustContain);
    QFETCH(ExpectedRows, rows);

    const QString fileName = QFileInfo(pathOf(file)).fileName();
    std::optional<swb::Error> mappingError;
    auto result = run(file, format, false, &mappingError);

    if (outcome != QLatin1String("ok")) {
        // ---- expected failure: the right code, a message naming the file (and what's wrong) ----
        swb::Error error;
        QString named = fileName;
        if (mappingError) {
            error = *mappingError;
            named = QFileInfo(format.mid(8)).fileName(); // the mapping file is the culprit
        } else {
            QVERIFY2(result.has_value(), "importLog did not finish within 180 s (hang?)");
            QVERIFY2(!result->ok(),
                     qPrintable(QStringLiteral("expected %1, but it %2").arg(outcome, describe(*result))));
            error = result->error();
        }
        const QString shown = error.toString();
        qInfo("%s: %s", qPrintable(codeName(error.code)), qPrintable(shown)); // what the user reads
        QStringList allowed = outcome.split(QLatin1Char('|'));
        QVERIFY2(
            allowed.contains(codeName(error.code)),
            qPrintable(QStringLiteral("expected %1, got %2: %3").arg(outcome, codeName(error.code), shown)));
        QVERIFY2(shown.contains(named),
                 qPrintable(QStringLiteral("the error does not name %1: %2").arg(named, shown)));
        if (!mustContain.isEmpty())
            QVERIFY2(shown.contains(mustContain, Qt::CaseInsensitive),
                     qPrintable(QStringLiteral("the error does not say \"%1\": %2").arg(mustContain, shown)));
        if (firstLine > 0 && !mappingError) {
            // Strict stops at the first bad row and says where it is.
            auto strictResult = run(file, format, true, &mappingError);
            QVERIFY(strictResult.has_value());
            QVERIFY(!strictResult->ok());
            const swb::Error& e = strictResult->error();
            QVERIFY2(e.code == swb::ErrorCode::InputRejected, qPrintable(e.toString()));
            QCOMPARE(e.line, firstLine);
            if (firstColumn >= 0)
                QCOMPARE(e.column, firstColumn);
            QVERIFY2(e.toString().contains(fileName), qPrintable(e.toString()));
        }
        // A second run fails the same way.
        if (!mappingError) {
            auto again = run(file, format, false, &mappingError);
            QVERIFY(again.has_value() && !again->ok());
            QCOMPARE(again->error().code, error.code);
            QCOMPARE(again->error().toString(), shown);
        }
        return;
    }

    // ---- expected success ----
    QVERIFY2(!mappingError, qPrintable(mappingError ? mappingError->toString() : QString()));
    QVERIFY2(result.has_value(), "importLog did not finish within 180 s (hang?)");
    QVERIFY2(result->ok(), qPrintable(describe(*result)));
    const swb::ImportReport& report = result->value().report;
    const swb::EventTable& table = *result->value().table;

    if (!expectFormat.isEmpty())
        QCOMPARE(report.format, expectFormat);
    QCOMPARE(reasonsText(report.rejectedByReason), reasonsText(parseReasons(reasons)));
    QCOMPARE(report.rowsImported, imported);
    QCOMPARE(report.rowsRejected, rejected);
    QCOMPARE(report.rowsRead, report.rowsImported + report.rowsRejected);
    QCOMPARE(report.blankLines, blank);

    // The first errors, in file order, each naming the file, with printable text.
    QCOMPARE(static_cast<qint64>(report.errors.size()),
             std::min<qint64>(rejected, swb::ImportOptions{}.maxErrors));
    for (std::size_t i = 0; i < report.errors.size(); ++i) {
        const swb::RowError& e = report.errors[i];
        QVERIFY2(report.rejectedByReason.count(e.reason) == 1, qPrintable(e.reason));
        QVERIFY2(e.file.contains(fileName), qPrintable(e.file));
        QVERIFY2(e.text.size() <= 120, qPrintable(QStringLiteral("text of line %1 is %2 characters: %3")
                                                      .arg(e.line)
                                                      .arg(e.text.size())
                                                      .arg(e.text)));
        for (const QChar ch : e.text)
            QVERIFY2(ch.category() != QChar::Other_Control,
                     qPrintable(QStringLiteral("unprintable U+%1 in the error text of line %2")
                                    .arg(ch.unicode(), 4, 16, QLatin1Char('0'))
                                    .arg(e.line)));
        QVERIFY(!e.message().isEmpty());
        if (i > 0)
            QVERIFY(e.line > report.errors[i - 1].line);
    }
    if (rejected > 0) {
        QCOMPARE(report.errors.front().line, firstLine);
        QCOMPARE(report.errors.front().reason, firstReason);
        if (firstColumn >= 0)
            QCOMPARE(report.errors.front().column, firstColumn);
    }

    // Every imported row, exactly.
    QCOMPARE(static_cast<qint64>(table.size()), imported);
    QCOMPARE(table.size(), rows.size());
    QCOMPARE(table.user.size(), table.size());
    QCOMPARE(table.item.size(), table.size());
    QCOMPARE(table.category.size(), table.size());
    QCOMPARE(table.behaviour.size(), table.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const ExpectedRow& want = rows[i];
        const QByteArray where = "row " + QByteArray::number(static_cast<qulonglong>(i));
        QVERIFY2(table.user[i] < table.users.size(), where.constData());
        QCOMPARE(str(table.users.text(table.user[i])), QString::fromStdString(want.user));
        QCOMPARE(str(table.items.text(table.item[i])), QString::fromStdString(want.item));
        QCOMPARE(codeText(table.categories, table.category[i]), QString::fromStdString(want.category));
        QCOMPARE(str(swb::behaviourKey(table.behaviourAt(i))), str(swb::behaviourKey(want.behaviour)));
        QCOMPARE(table.ts[i], want.ts);
        if (want.session) {
            QVERIFY2(table.hasSession(), where.constData());
            QCOMPARE(codeText(table.sessions, table.session[i]), QString::fromStdString(*want.session));
        }
        if (want.brand) {
            QVERIFY2(table.hasBrand(), where.constData());
            QCOMPARE(codeText(table.brands, table.brand[i]), QString::fromStdString(*want.brand));
        }
        if (want.price) {
            QVERIFY2(table.hasPrice(), where.constData());
            if (std::isnan(*want.price))
                QVERIFY2(std::isnan(table.price[i]), where.constData());
            else
                QVERIFY2(std::abs(table.price[i] - static_cast<float>(*want.price)) <= 1e-3f,
                         qPrintable(QStringLiteral("%1: price %2, expected %3")
                                        .arg(QString::fromLatin1(where))
                                        .arg(table.price[i])
                                        .arg(*want.price)));
        }
    }

    // Strict: the first rejected row aborts the import, saying where.
    if (rejected > 0) {
        auto strictResult = run(file, format, true, &mappingError);
        QVERIFY2(strictResult.has_value(), "strict import did not finish (hang?)");
        QVERIFY2(!strictResult->ok(), "strict import succeeded despite a rejected row");
        const swb::Error& e = strictResult->error();
        QVERIFY2(e.code == swb::ErrorCode::InputRejected,
                 qPrintable(codeName(e.code) + QLatin1String(": ") + e.toString()));
        QCOMPARE(e.line, firstLine);
        if (firstColumn >= 0)
            QCOMPARE(e.column, firstColumn);
        QVERIFY2(e.toString().contains(fileName), qPrintable(e.toString()));
    }

    // A second run gives the same report and the same table.
    auto again = run(file, format, false, &mappingError);
    QVERIFY(again.has_value());
    QVERIFY2(again->ok(), qPrintable(describe(*again)));
    const swb::ImportReport& r2 = again->value().report;
    const swb::EventTable& t2 = *again->value().table;
    QCOMPARE(r2.format, report.format);
    QCOMPARE(r2.bytes, report.bytes);
    QCOMPARE(r2.rowsRead, report.rowsRead);
    QCOMPARE(r2.rowsImported, report.rowsImported);
    QCOMPARE(r2.rowsRejected, report.rowsRejected);
    QCOMPARE(r2.blankLines, report.blankLines);
    QCOMPARE(reasonsText(r2.rejectedByReason), reasonsText(report.rejectedByReason));
    QCOMPARE(r2.errors.size(), report.errors.size());
    for (std::size_t i = 0; i < r2.errors.size(); ++i) {
        QCOMPARE(r2.errors[i].line, report.errors[i].line);
        QCOMPARE(r2.errors[i].column, report.errors[i].column);
        QCOMPARE(r2.errors[i].reason, report.errors[i].reason);
        QCOMPARE(r2.errors[i].text, report.errors[i].text);
    }
    QVERIFY(t2.user == table.user);
    QVERIFY(t2.item == table.item);
    QVERIFY(t2.category == table.category);
    QVERIFY(t2.behaviour == table.behaviour);
    QVERIFY(t2.ts == table.ts);
    QVERIFY(t2.session == table.session);
    QVERIFY(t2.brand == table.brand);
    QCOMPARE(t2.price.size(), table.price.size());
    for (std::size_t i = 0; i < t2.price.size(); ++i)
        QVERIFY(t2.price[i] == table.price[i] || (std::isnan(t2.price[i]) && std::isnan(table.price[i])));
    QCOMPARE(t2.users.size(), table.users.size());
    for (std::uint32_t c = 0; c < table.users.size(); ++c)
        QVERIFY(t2.users.text(c) == table.users.text(c));
    for (std::uint32_t c = 0; c < table.items.size(); ++c)
        QVERIFY(t2.items.text(c) == table.items.text(c));
}

QTEST_GUILESS_MAIN(TestBadInput)
#include "test_badinput.moc"
