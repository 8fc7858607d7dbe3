#pragma once

#include "core/data/workspace.h"
#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"
#include "core/util/result.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

#include <cstdio>
#include <memory>

// What every `scenewb` command shares: option parsing, output, errors, the workspace, Ctrl+C.
namespace swb::cli {

// Translation context of the CLI's messages (lupdate reads the macro).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(scenewb)
};

void printLine(std::FILE* out, const QString& text);
void printJson(const QJsonObject& object);
// Prints "scenewb: file:line:column: message" on stderr and returns the exit code for it.
int fail(const Error& error);
// Parses the options common to every command (--workspace, --json, --help) plus any the caller
// added; returns false (after printing) on a usage error.
bool parse(QCommandLineParser& parser, const QStringList& args, const QString& command,
           const QString& positional);
Result<std::unique_ptr<Workspace>> openWorkspace(const QCommandLineParser& parser);
// Progress on stderr when it is a terminal, one line redrawn in place.
class TerminalProgress final : public ProgressSink
{
public:
    TerminalProgress();
    ~TerminalProgress() override { clear(); }
    void report(std::int64_t done, std::int64_t total, const QString& stage) override
    {
        m_throttled.report(done, total, stage);
    }
    void clear()
    {
        if (m_tty)
            std::fputs("\r                                        \r", stderr);
    }

private:
    bool m_tty;
    ThrottledProgress m_throttled;
};

// From the first call on, Ctrl+C (or SIGTERM) cancels this token instead of killing the process.
const CancelToken& cancelOnInterrupt();

} // namespace swb::cli
