#include "cliutil.h"

#include <unistd.h>

#include "commands.h"

#include <QJsonDocument>

#include <csignal>
#include <cstdlib>

namespace swb::cli {

namespace {

CancelToken g_cancel;

void onInterrupt(int)
{
    g_cancel.cancel();
}

} // namespace

void printLine(std::FILE* out, const QString& text)
{
    std::fprintf(out, "%s\n", text.toLocal8Bit().constData());
}

void printJson(const QJsonObject& object)
{
    std::fputs(QJsonDocument(object).toJson(QJsonDocument::Indented).constData(), stdout);
}

int fail(const Error& error)
{
    printLine(stderr, QStringLiteral("scenewb: ") + error.toString());
    if (error.isCancelled())
        return Interrupted;
    return error.code == ErrorCode::InvalidArgument && error.file.isEmpty() ? Usage : Rejected;
}

bool parse(QCommandLineParser& parser, const QStringList& args, const QString& command,
           const QString& positional)
{
    parser.setApplicationDescription(Tr::tr("scenewb %1").arg(command));
    parser.addOption({QStringLiteral("workspace"),
                      Tr::tr("Workspace file (default: %1).").arg(Workspace::defaultPath()), Tr::tr("WS")});
    parser.addOption({QStringLiteral("json"), Tr::tr("Print one JSON object on stdout.")});
    parser.addHelpOption();
    if (!positional.isEmpty())
        parser.addPositionalArgument(positional, Tr::tr("See 'scenewb --help'."));
    if (!parser.parse(QStringList{QStringLiteral("scenewb")} + args)) {
        printLine(stderr, QStringLiteral("scenewb %1: %2").arg(command, parser.errorText()));
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(parser.helpText().toLocal8Bit().constData(), stdout);
        std::exit(Ok);
    }
    return true;
}

Result<std::unique_ptr<Workspace>> openWorkspace(const QCommandLineParser& parser)
{
    const QString path = parser.isSet(QStringLiteral("workspace")) ? parser.value(QStringLiteral("workspace"))
                                                                   : Workspace::defaultPath();
    return Workspace::open(path);
}

TerminalProgress::TerminalProgress()
    : m_tty(isatty(fileno(stderr)) != 0),
      m_throttled([this](std::int64_t done, std::int64_t total, const QString& stage) {
          if (m_tty && total > 0)
              std::fprintf(stderr, "\r%s %3d%%", stage.toLocal8Bit().constData(), int(done * 100 / total));
      })
{}

const CancelToken& cancelOnInterrupt()
{
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    return g_cancel;
}

} // namespace swb::cli
