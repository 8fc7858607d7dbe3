#include "pageworkspace.h"

#include "core/data/workspace.h"

#include <QCoreApplication>

namespace swb {

bool openPageWorkspace(const QString& path, const std::function<void(std::shared_ptr<Workspace>)>& use,
                       const std::function<void(const QString&)>& fail)
{
    auto opened = Workspace::open(path);
    if (!opened) {
        fail(QCoreApplication::translate("swb::PageWorkspace", "Cannot open the workspace %1: %2")
                 .arg(path, opened.error().toString()));
        return false;
    }
    use(std::shared_ptr<Workspace>(std::move(opened.value())));
    return true;
}

} // namespace swb
