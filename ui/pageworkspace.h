#pragma once

#include <QString>

#include <functional>
#include <memory>

namespace swb {

class Workspace;

// What every page's setWorkspacePath does: opens a connection of the page's own on the workspace at
// `path` and hands it to `use`; when it cannot be opened, `fail` gets the message naming the file
// and the reason. Returns whether it opened.
bool openPageWorkspace(const QString& path, const std::function<void(std::shared_ptr<Workspace>)>& use,
                       const std::function<void(const QString&)>& fail);

} // namespace swb
