// Model bundles: export from one workspace, import into another, and a loader that refuses every
// damaged or hostile file with a message and stores nothing.

#include "testsupport.h"

#include "core/bundle/bundleexport.h"
#include "core/models/tensorpack.h"
#include "core/models/training.h"
#include "core/prep/storedrun.h"

#include <QFile>
#include <QJsonArray>
#include <QTest>

#include <cstring>

using namespace swb;

namespace {

const QString kWs = QStringLiteral("--workspace");
const QString kPurchase = QStringLiteral("run-purchase-logreg");
const QString kPop = QStringLiteral("run-next-item-pop");

// A workspace holding the Taobao sample as dataset "tb" and the prepared run "run".
bool makeRunWorkspace(const QString& ws, const QString& dir)
{
    const QString config = dir + QStringLiteral("/prep.json");
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(R"({"filter":{"min_item_support":2}})");
    file.close();
    const QString sample = test::sharedDataFile(QStringLiteral("taobao-userbehavior-head.csv"));
    return test::runCli(
               {QStringLiteral("import"), sample, QStringLiteral("--name"), QStringLiteral("tb"), kWs, ws})
                   .exitCode == 0 &&
           test::runCli({QStringLiteral("prep"), QStringLiteral("tb"), QStringLiteral("--config"), config,
                         QStringLiteral("--name"), QStringLiteral("run"), kWs, ws})
                   .exitCode == 0;
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

int modelCount(const QString& ws)
{
    auto w = Workspace::open(ws);
    return w ? int(w.value()->models()->size()) : -1;
}

QJsonObject withoutBundle(QJsonObject report)
{
    report.remove(QStringLiteral("bundle"));
    return report;
}

template <typename T> void putAt(QByteArray& bytes, qsizetype at, T value)
{
    std::memcpy(bytes.data() + at, &value, sizeof value);
}

} // namespace

class TestBundle : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void roundTripGivesIdenticalModels();
    void importWithoutRunAndNameClash();
    void corruptBundlesAreRefused();
    void weightsThatDoNotFitAreRefused();
    void cli();

private:
    QTemporaryDir m_dir;
    QString m_ws;
    QString m_bundle;
};

void TestBundle::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_ws = m_dir.filePath(QStringLiteral("a.swb"));
    QVERIFY(makeRunWorkspace(m_ws, m_dir.path()));
    QCOMPARE(test::runCli({QStringLiteral("train"), QStringLiteral("run"), QStringLiteral("--task"),
                           QStringLiteral("purchase"), QStringLiteral("--model"), QStringLiteral("logreg"),
                           QStringLiteral("--params"), QStringLiteral(R"({"epochs":2})"), kWs, m_ws})
                 .exitCode,
             0);
    QCOMPARE(test::runCli({QStringLiteral("train"), QStringLiteral("run"), QStringLiteral("--task"),
                           QStringLiteral("next-item"), QStringLiteral("--model"), QStringLiteral("pop"), kWs,
                           m_ws})
                 .exitCode,
             0);
    m_bundle = m_dir.filePath(QStringLiteral("scene.swbundle"));
    const auto out = test::runCli({QStringLiteral("export"), kPurchase, kPop, QStringLiteral("--out"),
                                   m_bundle, QStringLiteral("--json"), kWs, m_ws});
    QCOMPARE(out.exitCode, 0);
    QCOMPARE(out.json()[QLatin1String("kind")].toString(), QStringLiteral("scene"));
    QCOMPARE(out.json()[QLatin1String("models")].toArray().size(), 2);
}

void TestBundle::roundTripGivesIdenticalModels()
{
    auto bundle = ModelBundle::readFile(m_bundle);
    QVERIFY2(bundle.ok(), qPrintable(bundle.ok() ? QString() : bundle.error().message));
    QCOMPARE(bundle->models.size(), std::size_t(2));
    // The manifest carries what scoring needs, with original ids.
    const QJsonObject purchase = bundle->models[0].manifest;
    QCOMPARE(purchase[QLatin1String("task")].toString(), QStringLiteral("purchase"));
    QCOMPARE(purchase[QLatin1String("labels")].toArray().size(), 2);
    QCOMPARE(purchase[QLatin1String("features")][QLatin1String("scaler")][QLatin1String("offset")]
                 .toArray()
                 .size(),
             13);
    QVERIFY(purchase[QLatin1String("threshold")].isDouble());
    QCOMPARE(
        purchase[QLatin1String("preparation")][QLatin1String("filter")][QLatin1String("min_item_support")]
            .toInt(),
        2);
    const QJsonObject pop = bundle->models[1].manifest;
    const QJsonArray items = pop[QLatin1String("catalogue")][QLatin1String("items")].toArray();
    QCOMPARE(items.size(), pop[QLatin1String("report")][QLatin1String("catalogue_size")].toInteger());
    QVERIFY(!items.isEmpty());
    // Taobao ids are decimal numbers; the bundle holds them as the log wrote them, not codes.
    bool numeric = false;
    items.first().toString().toLongLong(&numeric);
    QVERIFY(numeric);
    QVERIFY(
        !pop[QLatin1String("catalogue")][QLatin1String("categories")].toArray().first().toString().isEmpty());

    // Another workspace with the same data prepared the same way: the models attach to its run.
    QTemporaryDir other;
    const QString ws2 = other.filePath(QStringLiteral("b.swb"));
    QVERIFY(makeRunWorkspace(ws2, other.path()));
    auto target = Workspace::open(ws2);
    QVERIFY(target.ok());
    auto imported = importBundle(*target.value(), *bundle);
    QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().message));
    QCOMPARE(imported->size(), std::size_t(2));
    auto source = Workspace::open(m_ws);
    QVERIFY(source.ok());
    for (const QString& name : {kPurchase, kPop}) {
        auto before = source.value()->model(name);
        auto after = target.value()->model(name);
        QVERIFY(before.ok() && after.ok());
        QCOMPARE(after->run, QStringLiteral("run"));
        QCOMPARE(withoutBundle(after->report), before->report);
        QCOMPARE(*target.value()->modelWeights(name), *source.value()->modelWeights(name));
        // Identical predictions: the same CSV, case by case.
        const QString p1 = other.filePath(name + QStringLiteral("-1.csv"));
        const QString p2 = other.filePath(name + QStringLiteral("-2.csv"));
        QCOMPARE(
            test::runCli({QStringLiteral("evaluate"), name, QStringLiteral("--predictions"), p1, kWs, m_ws})
                .exitCode,
            0);
        QCOMPARE(
            test::runCli({QStringLiteral("evaluate"), name, QStringLiteral("--predictions"), p2, kWs, ws2})
                .exitCode,
            0);
        const QByteArray a = readAll(p1);
        QVERIFY(a.count('\n') > 10);
        QCOMPARE(readAll(p2), a);
    }
}

void TestBundle::importWithoutRunAndNameClash()
{
    QTemporaryDir other;
    const QString ws = other.filePath(QStringLiteral("empty.swb"));
    for (int round = 0; round < 2; ++round) {
        const auto out =
            test::runCli({QStringLiteral("import-model"), m_bundle, QStringLiteral("--json"), kWs, ws});
        QCOMPARE(out.exitCode, 0);
        const QJsonArray models = out.json()[QLatin1String("models")].toArray();
        QCOMPARE(models.size(), 2);
        QVERIFY(models[0].toObject()[QLatin1String("run")].isNull());
        QCOMPARE(models[0].toObject()[QLatin1String("model_id")].toString(),
                 round == 0 ? kPurchase : kPurchase + QStringLiteral(" (2)"));
    }
    QCOMPARE(modelCount(ws), 4);
    auto w = Workspace::open(ws);
    auto bundle = ModelBundle::readFile(m_bundle);
    QVERIFY(bundle.ok());
    QCOMPARE(*w.value()->modelWeights(kPurchase + QStringLiteral(" (2)")), bundle->models[0].weights);
    // A model imported without its run is exported again from its stored manifest, unchanged.
    NullProgress none;
    auto again = bundleModels(*w.value(), {kPop}, {}, none, CancelToken());
    QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().message));
    QCOMPARE(again->models[0].manifest[QLatin1String("catalogue")],
             bundle->models[1].manifest[QLatin1String("catalogue")]);
    QCOMPARE(again->models[0].manifest[QLatin1String("report")],
             bundle->models[1].manifest[QLatin1String("report")]);
    // Evaluation needs the run: a clear refusal, not a crash.
    const auto eval = test::runCli({QStringLiteral("evaluate"), kPurchase, kWs, ws});
    QCOMPARE(eval.exitCode, 2);
    QVERIFY2(eval.err.contains("without the run"), eval.err.constData());
    // Listed with the other models.
    const auto list = test::runCli({QStringLiteral("models"), QStringLiteral("--json"), kWs, ws});
    QCOMPARE(list.json()[QLatin1String("models")].toArray().size(), 4);
}

void TestBundle::corruptBundlesAreRefused()
{
    const QByteArray good = readAll(m_bundle);
    QVERIFY(ModelBundle::decode(good).ok());
    const auto refused = [](const QByteArray& bytes, const char* expected) -> QString {
        auto r = ModelBundle::decode(bytes, QStringLiteral("x.swbundle"));
        if (r.ok())
            return QStringLiteral("accepted");
        if (r.error().message.isEmpty() || !r.error().message.contains(QString::fromUtf8(expected)))
            return QStringLiteral("message: ") + r.error().message;
        return {};
    };
    // Truncated at many offsets, from the empty file to one byte short.
    const qsizetype step = std::max<qsizetype>(1, good.size() / 3000);
    for (qsizetype n = 0; n < good.size(); n += (n < 64 ? 1 : step)) {
        const QString why = refused(good.left(n), "");
        QVERIFY2(why.isEmpty(), qPrintable(QStringLiteral("truncated at %1: %2").arg(n).arg(why)));
    }
    QVERIFY(refused(good.left(good.size() - 1), "").isEmpty());
    // A flipped byte anywhere: the signature, the header, each section's header, payload and CRC.
    std::uint64_t manifestLength = 0;
    std::memcpy(&manifestLength, good.constData() + 20, 8);
    const qsizetype weightsAt = 28 + qsizetype(manifestLength) + 4;
    for (const qsizetype at :
         {qsizetype(0), qsizetype(7), qsizetype(16), qsizetype(20), qsizetype(30),
          qsizetype(28 + manifestLength / 2), qsizetype(28 + manifestLength + 1), weightsAt, weightsAt + 12,
          weightsAt + 40, good.size() - 100, good.size() - 1}) {
        QByteArray bad = good;
        bad[at] = char(bad[at] ^ 0x5a);
        const QString why = refused(bad, "");
        QVERIFY2(why.isEmpty(), qPrintable(QStringLiteral("flipped byte %1: %2").arg(at).arg(why)));
    }
    // A wrong version.
    QByteArray version = good;
    putAt<quint32>(version, 8, 2);
    QVERIFY2(refused(version, "format version 2").isEmpty(),
             qPrintable(refused(version, "format version 2")));
    // A tampered checksum of the manifest.
    QByteArray checksum = good;
    checksum[weightsAt - 1] = char(checksum[weightsAt - 1] + 1);
    QVERIFY2(refused(checksum, "checksum").isEmpty(), qPrintable(refused(checksum, "checksum")));
    // A manifest claiming 2^62 bytes.
    QByteArray huge = good;
    putAt<quint64>(huge, 20, quint64(1) << 62);
    QVERIFY2(refused(huge, "claims").isEmpty(), qPrintable(refused(huge, "claims")));
    // A section count beyond any bundle.
    QByteArray sections = good;
    putAt<quint32>(sections, 12, 0xffffffffu);
    QVERIFY(refused(sections, "sections").isEmpty());
    // A tensor claiming 2^40 floats behind a valid checksum: refused before it is allocated.
    auto bundle = ModelBundle::decode(good);
    QVERIFY(bundle.ok());
    QByteArray tensor("SWBT");
    const auto put = [&](auto v) {
        tensor.append(reinterpret_cast<const char*>(&v), sizeof v);
    };
    put(quint32(1));
    put(quint32(1));
    put(quint32(0));
    put(quint32(1));
    tensor.append('w');
    put(quint64(1) << 20);
    put(quint64(1) << 20);
    put(quint32(0));
    bundle->models[0].weights = tensor;
    QVERIFY2(refused(bundle->encode(), "1048576 × 1048576").isEmpty(),
             qPrintable(refused(bundle->encode(), "1048576 × 1048576")));
    // Not a bundle at all.
    QVERIFY(refused(QByteArray("SQLite format 3\0 and more", 26), "signature").isEmpty());

    // The CLI refuses them too and stores nothing.
    QTemporaryDir other;
    const QString ws = other.filePath(QStringLiteral("w.swb"));
    QCOMPARE(test::runCli({QStringLiteral("models"), kWs, ws}).exitCode, 0);
    for (const QByteArray& bad : {good.left(good.size() / 2), checksum, huge, version}) {
        const QString path = other.filePath(QStringLiteral("bad.swbundle"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(bad);
        f.close();
        const auto out = test::runCli({QStringLiteral("import-model"), path, kWs, ws});
        QCOMPARE(out.exitCode, 2);
        QVERIFY(out.err.contains(path.toUtf8()));
        QCOMPARE(modelCount(ws), 0);
    }
}

void TestBundle::weightsThatDoNotFitAreRefused()
{
    auto bundle = ModelBundle::readFile(m_bundle);
    QVERIFY(bundle.ok());
    // The logistic regression's manifest with the popularity model's weights: both decode, but
    // they are not one model. The whole bundle is refused and nothing is stored.
    std::swap(bundle->models[0].weights, bundle->models[1].weights);
    QTemporaryDir other;
    auto ws = Workspace::open(other.filePath(QStringLiteral("w.swb")));
    QVERIFY(ws.ok());
    auto imported = importBundle(*ws.value(), *bundle);
    QVERIFY(!imported.ok());
    QVERIFY2(imported.error().message.contains(kPurchase), qPrintable(imported.error().message));
    QCOMPARE(ws.value()->models()->size(), std::size_t(0));
}

void TestBundle::cli()
{
    const QString out = m_dir.filePath(QStringLiteral("one.swbundle"));
    QCOMPARE(test::runCli({QStringLiteral("export"), kPop, kWs, m_ws}).exitCode, 1); // no --out
    QCOMPARE(test::runCli({QStringLiteral("export"), QStringLiteral("--out"), out, kWs, m_ws}).exitCode, 1);
    const auto missing = test::runCli(
        {QStringLiteral("export"), QStringLiteral("nope"), QStringLiteral("--out"), out, kWs, m_ws});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY(missing.err.contains("nope"));
    QVERIFY(!QFile::exists(out)); // nothing written on error
    const auto one = test::runCli(
        {QStringLiteral("export"), kPop, QStringLiteral("--out"), out, QStringLiteral("--json"), kWs, m_ws});
    QCOMPARE(one.exitCode, 0);
    QCOMPARE(one.json()[QLatin1String("kind")].toString(), QStringLiteral("model"));
    QCOMPARE(one.json()[QLatin1String("bytes")].toInteger(), QFile(out).size());
    QCOMPARE(test::runCli({QStringLiteral("import-model"), kWs, m_ws}).exitCode, 1);
    QCOMPARE(
        test::runCli({QStringLiteral("import-model"), m_dir.filePath(QStringLiteral("absent")), kWs, m_ws})
            .exitCode,
        2);
    // Into the workspace it came from: stored beside the original under a new name, on its run.
    const auto back =
        test::runCli({QStringLiteral("import-model"), out, QStringLiteral("--json"), kWs, m_ws});
    QCOMPARE(back.exitCode, 0);
    const QJsonObject m = back.json()[QLatin1String("models")].toArray()[0].toObject();
    QCOMPARE(m[QLatin1String("model_id")].toString(), kPop + QStringLiteral(" (2)"));
    QCOMPARE(m[QLatin1String("run")].toString(), QStringLiteral("run"));
}

QTEST_GUILESS_MAIN(TestBundle)
#include "test_bundle.moc"
