#include "benchcases.h"

#include "core/models/nn/trainer.h"

#include <QFile>
#include <QJsonArray>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <numeric>

namespace benchcases {

namespace {

static_assert(std::endian::native == std::endian::little, "the files are written as little-endian");

template <typename T> bool writeRaw(const QString& path, const T* data, std::size_t count)
{
    QFile file(path);
    const auto bytes = qint64(count * sizeof(T));
    if (!file.open(QIODevice::WriteOnly) ||
        (bytes > 0 && file.write(reinterpret_cast<const char*>(data), bytes) != bytes) || !file.flush()) {
        std::fprintf(stderr, "bench_models: cannot write %s: %s\n", qPrintable(path),
                     qPrintable(file.errorString()));
        return false;
    }
    return true;
}

QString splitKey(swb::SplitPart part)
{
    return swb::splitPartKey(part);
}

constexpr swb::SplitPart kParts[] = {swb::SplitPart::Train, swb::SplitPart::Validation, swb::SplitPart::Test};

} // namespace

bool writeClassification(const QString& dir, const QString& prefix, const swb::ClassificationData& data,
                         QJsonObject& meta)
{
    QJsonObject cases;
    for (const swb::SplitPart part : kParts) {
        const swb::FeatureCases& c = data.part(part);
        const QString base = dir + QLatin1Char('/') + prefix + QLatin1Char('-') + splitKey(part);
        if (!writeRaw(base + QStringLiteral("-x.f32"), c.x.data(), c.x.size()) ||
            !writeRaw(base + QStringLiteral("-y.i32"), c.y.data(), c.y.size()))
            return false;
        cases.insert(splitKey(part), qint64(c.size()));
    }
    meta.insert(QStringLiteral("width"), data.width);
    meta.insert(QStringLiteral("classes"), qint64(data.labels.size()));
    meta.insert(QStringLiteral("labels"), QJsonArray::fromStringList(data.labels));
    meta.insert(QStringLiteral("cases"), cases);
    return true;
}

std::vector<swb::CaseRef> capCases(const std::vector<swb::CaseRef>& cases, qint64 cap)
{
    if (cap <= 0 || std::size_t(cap) >= cases.size())
        return cases;
    std::vector<swb::CaseRef> kept;
    kept.reserve(std::size_t(cap));
    for (qint64 i = 0; i < cap; ++i)
        kept.push_back(cases[std::size_t(double(i) * double(cases.size()) / double(cap))]);
    return kept;
}

bool writeNextItem(const QString& dir, const swb::NextItemData& data, int context, QJsonObject& meta)
{
    QJsonObject cases;
    for (const swb::SplitPart part : kParts) {
        std::vector<std::int32_t> ids;
        std::vector<std::int32_t> targets;
        for (const swb::CaseRef& c : data.part(part)) {
            const std::uint32_t target = data.target(c);
            if (part != swb::SplitPart::Test && target == swb::Catalogue::kNoItem)
                continue;
            const std::uint32_t* begin = data.contextBegin(c);
            const std::uint32_t* end = data.contextEnd(c);
            const std::ptrdiff_t have = std::min<std::ptrdiff_t>(end - begin, context);
            for (std::ptrdiff_t j = 0; j < context - have; ++j)
                ids.push_back(-1);
            for (const std::uint32_t* p = end - have; p != end; ++p)
                ids.push_back(*p == swb::Catalogue::kNoItem ? -1 : std::int32_t(*p));
            targets.push_back(target == swb::Catalogue::kNoItem ? -1 : std::int32_t(target));
        }
        const QString base = dir + QStringLiteral("/next-item-") + splitKey(part);
        if (!writeRaw(base + QStringLiteral("-ids.i32"), ids.data(), ids.size()) ||
            !writeRaw(base + QStringLiteral("-y.i32"), targets.data(), targets.size()))
            return false;
        cases.insert(splitKey(part), qint64(targets.size()));
    }
    meta.insert(QStringLiteral("catalogue"), qint64(data.catalogue.size()));
    meta.insert(QStringLiteral("context"), context);
    meta.insert(QStringLiteral("cases"), cases);
    meta.insert(QStringLiteral("unseen_test_targets"), qint64(data.unseenTargets[2]));
    return true;
}

bool writeStart(const QString& dir, const QString& prefix, swb::nn::Sequential& net, std::uint64_t seed,
                std::size_t cases, int epochs, QJsonObject& meta)
{
    net.initialize(seed);
    QJsonArray tensors;
    for (const swb::nn::NamedTensor& t : net.saveParameters()) {
        if (!writeRaw(dir + QLatin1Char('/') + prefix + QStringLiteral("-init-") + t.name +
                          QStringLiteral(".f32"),
                      t.values.data(), t.values.size()))
            return false;
        tensors.append(QJsonObject{{QStringLiteral("name"), t.name},
                                   {QStringLiteral("rows"), qint64(t.rows)},
                                   {QStringLiteral("cols"), qint64(t.cols)}});
    }
    std::vector<std::uint32_t> order(cases);
    std::iota(order.begin(), order.end(), 0u);
    std::vector<std::uint32_t> all;
    all.reserve(cases * std::size_t(epochs));
    swb::nn::SplitMix64 rng = swb::nn::batchOrderGenerator(seed);
    for (int e = 0; e < epochs; ++e) {
        swb::nn::shuffleOrder(rng, order);
        all.insert(all.end(), order.begin(), order.end());
    }
    if (!writeRaw(dir + QLatin1Char('/') + prefix + QStringLiteral("-order.i32"), all.data(), all.size()))
        return false;
    meta.insert(QStringLiteral("init"), tensors);
    meta.insert(QStringLiteral("order_epochs"), epochs);
    return true;
}

} // namespace benchcases
