// `scenewb export` and `scenewb import-model`: model bundles (core/bundle).

#include "cliutil.h"
#include "commands.h"

#include "core/bundle/bundleexport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace swb::cli {

int exportCommand(const QStringList& args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("out"), Tr::tr("The bundle file to write."), Tr::tr("FILE")});
    parser.addOption({QStringLiteral("router"),
                      Tr::tr("A JSON file with the router's configuration (makes a scene bundle)."),
                      Tr::tr("ROUTER.json")});
    if (!parse(parser, args, QStringLiteral("export"), QStringLiteral("MODEL...")))
        return Usage;
    const QStringList names = parser.positionalArguments();
    if (names.isEmpty()) {
        printLine(stderr, Tr::tr("scenewb export: give at least one model (see 'scenewb models')"));
        return Usage;
    }
    const QString out = parser.value(QStringLiteral("out"));
    if (out.isEmpty()) {
        printLine(stderr, Tr::tr("scenewb export: --out FILE is required"));
        return Usage;
    }
    QJsonObject router;
    if (parser.isSet(QStringLiteral("router"))) {
        const QString path = parser.value(QStringLiteral("router"));
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return fail(Error{ErrorCode::FileUnreadable,
                              Tr::tr("cannot open the router configuration: %1").arg(file.errorString()),
                              path,
                              0,
                              0,
                              {}});
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return fail(Error{ErrorCode::InputRejected,
                              Tr::tr("the router configuration is not a JSON object"),
                              path,
                              0,
                              0,
                              {}});
        router = doc.object();
    }
    const CancelToken& cancel = cancelOnInterrupt();
    auto workspace = openWorkspace(parser);
    if (!workspace)
        return fail(workspace.error());
    TerminalProgress progress;
    auto bundle = bundleModels(*workspace.value(), names, router, progress, cancel);
    progress.clear();
    if (!bundle)
        return fail(bundle.error());
    if (Status s = bundle->writeFile(out); !s)
        return fail(s.error());
    QJsonArray models;
    for (const BundledModel& m : bundle->models)
        models.append(QJsonObject{{QStringLiteral("model_id"), m.manifest.value(QStringLiteral("name"))},
                                  {QStringLiteral("task"), m.manifest.value(QStringLiteral("task"))},
                                  {QStringLiteral("model"), m.manifest.value(QStringLiteral("model"))}});
    if (parser.isSet(QStringLiteral("json"))) {
        printJson(QJsonObject{
            {QStringLiteral("out"), out},
            {QStringLiteral("kind"), bundle->isScene() ? QStringLiteral("scene") : QStringLiteral("model")},
            {QStringLiteral("bytes"), QFile(out).size()},
            {QStringLiteral("models"), models}});
        return Ok;
    }
    printLine(stdout,
              Tr::tr("wrote %1 (%2 model(s), %3 bytes)").arg(out).arg(models.size()).arg(QFile(out).size()));
    return Ok;
}

int importModelCommand(const QStringList& args)
{
    QCommandLineParser parser;
    if (!parse(parser, args, QStringLiteral("import-model"), QStringLiteral("FILE")))
        return Usage;
    if (parser.positionalArguments().size() != 1) {
        printLine(stderr, Tr::tr("scenewb import-model: give one bundle file"));
        return Usage;
    }
    auto bundle = ModelBundle::readFile(parser.positionalArguments().front());
    if (!bundle)
        return fail(bundle.error());
    auto workspace = openWorkspace(parser);
    if (!workspace)
        return fail(workspace.error());
    auto imported = importBundle(*workspace.value(), *bundle);
    if (!imported)
        return fail(imported.error());
    QJsonArray models;
    for (const ImportedModel& m : *imported)
        models.append(
            QJsonObject{{QStringLiteral("model_id"), m.info.name},
                        {QStringLiteral("bundled_as"), m.bundledName},
                        {QStringLiteral("task"), m.info.task},
                        {QStringLiteral("model"), m.info.kind},
                        {QStringLiteral("run"), m.attachedToRun ? QJsonValue(m.info.run) : QJsonValue()}});
    if (parser.isSet(QStringLiteral("json"))) {
        printJson(
            QJsonObject{{QStringLiteral("models"), models}, {QStringLiteral("router"), bundle->router}});
        return Ok;
    }
    for (const ImportedModel& m : *imported)
        printLine(stdout, m.attachedToRun
                              ? Tr::tr("imported %1 (%2 %3) on run %4")
                                    .arg(m.info.name, m.info.task, m.info.kind, m.info.run)
                              : Tr::tr("imported %1 (%2 %3) without its run: it cannot be evaluated here")
                                    .arg(m.info.name, m.info.task, m.info.kind));
    return Ok;
}

} // namespace swb::cli
