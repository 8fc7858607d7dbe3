// libFuzzer target for the model bundle loader (core/bundle/modelbundle.cpp): any bytes must give a
// bundle or an error with a message, never a crash, a sanitizer report or a huge allocation
// (libFuzzer's -malloc_limit_mb, by default its -rss_limit_mb of 2048, turns one into a failure).
// Built by tests/fuzz/CMakeLists.txt with clang-14; run briefly by the test fuzz_bundle_smoke.

#include "core/bundle/modelbundle.h"

#include <QByteArray>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    auto bundle = swb::ModelBundle::decode(bytes, QStringLiteral("fuzz"));
    if (!bundle) {
        if (bundle.error().message.isEmpty())
            std::abort(); // every refusal must say why
        return 0;
    }
    // What was accepted must survive a round trip: encoding it again gives a bundle that loads.
    auto again = swb::ModelBundle::decode(bundle->encode());
    if (!again || again->models.size() != bundle->models.size())
        std::abort();
    for (std::size_t i = 0; i < bundle->models.size(); ++i) {
        if (again->models[i].weights != bundle->models[i].weights)
            std::abort();
    }
    return 0;
}
