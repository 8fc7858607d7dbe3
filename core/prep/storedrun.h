#pragma once

#include "core/data/workspace.h"
#include "core/prep/preparation.h"

namespace swb {

// The settings a stored run was prepared with. A record that no longer parses is a damaged
// workspace (ErrorCode::Corrupt naming the workspace file), not a wrong setting of the user's.
Result<PrepConfig> storedRunConfig(const RunInfo& run, const QString& workspacePath);

// Rebuilds a stored run: loads its dataset and prepares it again with the stored settings
// (preparation is deterministic, so this is the run that was stored). Progress goes 0..1000:
// loading to 400, preparing to 1000.
Result<PreparedData> loadPreparedRun(const Workspace& workspace, const QString& runName,
                                     ProgressSink& progress, const CancelToken& cancel);

} // namespace swb
