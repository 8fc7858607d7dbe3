#pragma once

#include <QStringList>

// The `scenewb` subcommands. Each takes the arguments after its name and returns the exit code:
// 0 success, 1 usage error, 2 input rejected or unreadable (including storage failures), 130 when
// interrupted (Ctrl+C; nothing is stored).
namespace swb::cli {

enum ExitCode
{
    Ok = 0,
    Usage = 1,
    Rejected = 2,
    Interrupted = 130
};

int importCommand(const QStringList& args);
int datasetsCommand(const QStringList& args);
int inspectCommand(const QStringList& args);
int prepCommand(const QStringList& args);        // prepcommands.cpp
int runsCommand(const QStringList& args);        // prepcommands.cpp
int analyseCommand(const QStringList& args);     // analysecommand.cpp
int trainCommand(const QStringList& args);       // modelcommands.cpp
int modelsCommand(const QStringList& args);      // modelcommands.cpp
int evaluateCommand(const QStringList& args);    // modelcommands.cpp
int exportCommand(const QStringList& args);      // bundlecommands.cpp
int importModelCommand(const QStringList& args); // bundlecommands.cpp

} // namespace swb::cli
