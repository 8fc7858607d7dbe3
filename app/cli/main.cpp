#include "commands.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

namespace {

void printUsage(std::FILE* out)
{
    const QString text = QCoreApplication::translate(
        "scenewb",
        "Usage: scenewb COMMAND [OPTIONS]\n"
        "\n"
        "Commands:\n"
        "  import FILE... [--format NAME] [--mapping MAP.json] [--name DATASET] [--strict]\n"
        "                 [--workspace WS] [--json]   import a behaviour log (YOOCHOOSE: clicks and buys)\n"
        "  datasets [--workspace WS] [--json]         list the datasets of the workspace\n"
        "  inspect DATASET [--workspace WS] [--json]  counts of a stored dataset\n"
        "  prep DATASET [--config PREP.json] [--name RUN] [--workspace WS] [--json]\n"
        "                                             clean, sessionize, filter and split a dataset\n"
        "  runs [--workspace WS] [--json]             list the prepared runs\n"
        "  analyse DATASET|RUN [--workspace WS] [--json]\n"
        "                                             funnel, activity, session lengths, top items\n"
        "  train RUN --task intent|next-item|purchase --model NAME [--params JSON] [--seed N]\n"
        "                 [--name MODEL] [--workspace WS] [--json]   train, evaluate and store a model\n"
        "  models [--workspace WS] [--json]           list the trained models\n"
        "  evaluate MODEL [--split validation|test] [--predictions FILE.csv] [--workspace WS] [--json]\n"
        "                                             metrics of a stored model\n"
        "  export MODEL... --out FILE [--router ROUTER.json] [--workspace WS] [--json]\n"
        "                                             write models to a bundle (several: a scene bundle)\n"
        "  import-model FILE [--workspace WS] [--json]\n"
        "                                             store the models of a bundle in the workspace\n"
        "\n"
        "Run 'scenewb COMMAND --help' for the options of a command.\n");
    std::fputs(text.toLocal8Bit().constData(), out);
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("scene-workbench"));
    QCoreApplication::setOrganizationName(QStringLiteral("scenewb"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SWB_VERSION));

    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    if (args.isEmpty()) {
        printUsage(stderr);
        return swb::cli::Usage;
    }
    const QString command = args.takeFirst();
    if (command == QLatin1String("--help") || command == QLatin1String("-h") ||
        command == QLatin1String("help")) {
        printUsage(stdout);
        return swb::cli::Ok;
    }
    if (command == QLatin1String("--version")) {
        std::printf("scenewb %s\n", SWB_VERSION);
        return swb::cli::Ok;
    }
    if (command == QLatin1String("import"))
        return swb::cli::importCommand(args);
    if (command == QLatin1String("datasets"))
        return swb::cli::datasetsCommand(args);
    if (command == QLatin1String("inspect"))
        return swb::cli::inspectCommand(args);
    if (command == QLatin1String("prep"))
        return swb::cli::prepCommand(args);
    if (command == QLatin1String("runs"))
        return swb::cli::runsCommand(args);
    if (command == QLatin1String("analyse") || command == QLatin1String("analyze"))
        return swb::cli::analyseCommand(args);
    if (command == QLatin1String("train"))
        return swb::cli::trainCommand(args);
    if (command == QLatin1String("models"))
        return swb::cli::modelsCommand(args);
    if (command == QLatin1String("evaluate"))
        return swb::cli::evaluateCommand(args);
    if (command == QLatin1String("export"))
        return swb::cli::exportCommand(args);
    if (command == QLatin1String("import-model"))
        return swb::cli::importModelCommand(args);
    std::fprintf(
        stderr, "%s\n",
        qPrintable(QCoreApplication::translate("scenewb", "scenewb: unknown command \"%1\"").arg(command)));
    printUsage(stderr);
    return swb::cli::Usage;
}
